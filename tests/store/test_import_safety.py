"""No import loses data: originals restore edits, truncated copies are refused, dry runs write
nothing, and one unreadable project never sinks the others."""

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli import main
from store.documents import parse_bytes
from tests.conftest import SAMPLE

FIRST_CODE = "37020022P88002810055U"


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def exported(capsys: pytest.CaptureFixture, db_url: str) -> dict:
    _, out, _ = run_cli(capsys, "export", "--json", "--db", db_url)
    return json.loads(out)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def edited_copy() -> str:
    text = sample_text().replace("≥20000笔", "≥25000笔")
    return text.replace("\t1221.10\n\t其他资金", "\t1300.00\n\t其他资金")


def cut_after(text: str, marker: str) -> str:
    """The text up to and including the first `marker`: a download that stopped there."""
    return text[: text.index(marker) + len(marker)]


def indicator_values(data: dict, code: str) -> dict[str, str]:
    project = next(p for p in data["projects"] if p["code"] == code)
    return {i["name"]: i["value"] for i in project["indicators"]}


def test_the_original_after_an_edited_copy_restores_it_and_prints_the_change(
    capsys, db_url: str, tmp_path: Path
) -> None:
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    original = exported(capsys, db_url)
    run_cli(capsys, "import", "--db", db_url, write(tmp_path, "edited.txt", edited_copy()))
    assert indicator_values(exported(capsys, db_url), FIRST_CODE)["发放贷款笔数"] == "≥25000笔"

    code, out, _ = run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    assert code == 0
    assert "already imported" not in out
    assert "1 replaced" in out and "发放贷款笔数: ≥25000笔 -> ≥20000笔" in out
    assert "fiscal_funds: 1300 -> 1221.1" in out
    assert exported(capsys, db_url) == original


def test_a_copy_cut_inside_the_indicator_table_is_refused_and_the_store_unchanged(
    capsys, db_url: str, tmp_path: Path
) -> None:
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    before = exported(capsys, db_url)
    truncated = write(tmp_path, "cut.txt", cut_after(sample_text(), "\t≥20000笔\n"))

    code, out, err = run_cli(capsys, "import", "--db", db_url, truncated)
    assert code == 2 and "1 refused" in out
    assert "cut.txt" in err and "ends inside the indicator table" in err
    assert "(line " in err and "住房公积金业务运行专项业务经费" in err
    assert exported(capsys, db_url) == before
    code, _, _ = run_cli(capsys, "import", "--replace", "--db", db_url, truncated)
    assert code == 2 and exported(capsys, db_url) == before


def test_a_copy_losing_most_indicators_is_refused_unless_replace_is_given(
    capsys, db_url: str, tmp_path: Path
) -> None:
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    before = exported(capsys, db_url)
    text = cut_after(sample_text(), "\t≥600件\n\t计划标准\n\n")
    truncated = write(tmp_path, "cut-at-row.txt", text)

    code, out, err = run_cli(capsys, "import", "--db", db_url, truncated)
    assert code == 2
    [line] = err.splitlines()
    assert "cut-at-row.txt" in line and FIRST_CODE in line
    assert "would remove 12 of its 13 indicators" in line and "--replace" in line
    assert exported(capsys, db_url) == before

    code, out, err = run_cli(capsys, "import", "--replace", "--db", db_url, truncated)
    assert code == 0 and err == "" and "1 replaced" in out
    after = exported(capsys, db_url)
    assert list(indicator_values(after, FIRST_CODE).values()) == ["≥600件"]
    assert after["projects"][1:] == before["projects"][1:]


def test_a_copy_that_blanks_the_budget_is_refused_unless_replace_is_given(
    capsys, db_url: str, tmp_path: Path
) -> None:
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    text = sample_text().replace("\t预算数\n\t1221.10\n", "\t预算数\n\t\n", 1)
    text = text.replace("\t1221.10\n\t其他资金", "\t\n\t其他资金", 1)
    blank = write(tmp_path, "blank-budget.txt", text)
    code, _, err = run_cli(capsys, "import", "--db", db_url, blank)
    assert code == 2 and "would blank its budget (1221.1 万元)" in err
    assert exported(capsys, db_url)["projects"][0]["budget"] == 1221.1
    code, _, _ = run_cli(capsys, "import", "--replace", "--db", db_url, blank)
    assert code == 0 and exported(capsys, db_url)["projects"][0]["budget"] is None


def _store_bytes(db_url: str) -> bytes:
    """The store file's bytes once SQLite's write-ahead log is folded into it (a write the log
    still held would otherwise not show; folding an empty log changes nothing)."""
    path = Path(db_url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def test_a_dry_run_prints_the_real_report_and_leaves_the_store_byte_identical(
    capsys, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'dry.db'}"
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    edited = write(tmp_path, "edited.txt", edited_copy())
    digest = hashlib.sha256(_store_bytes(db_url)).hexdigest()

    code, dry_out, dry_err = run_cli(capsys, "import", "--dry-run", "--db", db_url, edited)
    assert code == 0 and "发放贷款笔数: ≥20000笔 -> ≥25000笔" in dry_out
    assert "dry run" in dry_err
    assert hashlib.sha256(_store_bytes(db_url)).hexdigest() == digest

    code, real_out, _ = run_cli(capsys, "import", "--db", db_url, edited)
    assert code == 0 and real_out == dry_out


def test_a_dry_run_of_several_files_judges_each_after_the_ones_before_it(
    capsys, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{tmp_path / 'several.db'}"
    run_cli(capsys, "db", "upgrade", "--db", db_url)
    first = write(tmp_path, "a.txt", sample_text())
    second = write(tmp_path, "b.txt", edited_copy())
    digest = hashlib.sha256(_store_bytes(db_url)).hexdigest()

    code, dry_out, _ = run_cli(capsys, "import", "--dry-run", "--db", db_url, first, second)
    assert code == 0
    assert f"{first}: 3 projects (3 added, 0 replaced)" in dry_out
    assert f"{second}: 3 projects (0 added, 1 replaced)" in dry_out
    assert "发放贷款笔数: ≥20000笔 -> ≥25000笔" in dry_out
    assert hashlib.sha256(_store_bytes(db_url)).hexdigest() == digest

    code, real_out, _ = run_cli(capsys, "import", "--db", db_url, first, second)
    assert code == 0 and real_out == dry_out


def test_a_dry_run_changes_nothing_in_postgresql_either(capsys, db_url: str, tmp_path: Path):
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    before = exported(capsys, db_url)
    edited = write(tmp_path, "edited.txt", edited_copy())
    code, out, _ = run_cli(capsys, "import", "--dry-run", "--db", db_url, edited, str(SAMPLE))
    assert code == 0 and out.count("1 replaced") == 2  # the edit, then the original back
    assert exported(capsys, db_url) == before


def broken_middle_project() -> str:
    """The sample with an unreadable amount in its second project's budget."""
    text = sample_text()
    second = text.index("2.人才住房")  # the second project's heading
    head, tail = text[:second], text[second:]
    return head + tail.replace("\t预算数\n\t", "\t预算数\n\t约", 1)


def test_one_unreadable_project_is_refused_and_the_others_imported(
    capsys, db_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "one-bad.txt", broken_middle_project())
    document = parse_bytes(broken_middle_project().encode(), "one-bad.txt")
    assert len(document.projects) == 2 and len(document.refused) == 1

    code, out, err = run_cli(capsys, "import", "--db", db_url, path)
    assert code == 2
    assert "3 projects (2 added, 0 replaced, 1 refused)" in out
    [line] = err.splitlines()
    assert "one-bad.txt" in line and "is not an amount" in line and "table " in line
    assert len(exported(capsys, db_url)["projects"]) == 2


def test_strict_refuses_the_whole_file_on_one_unreadable_project(
    capsys, db_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "one-bad.txt", broken_middle_project())
    code, out, err = run_cli(capsys, "import", "--strict", "--db", db_url, path)
    assert code == 2 and out == ""
    assert "is not an amount" in err and "--strict" in err
    assert exported(capsys, db_url)["projects"] == []
