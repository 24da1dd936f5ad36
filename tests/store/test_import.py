"""Import semantics: idempotent, replacing by code with a change report, refusing cleanly."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from store.documents import parse_bytes, parse_file
from store.importer import import_document
from tests.builders import build_docx
from tests.conftest import SAMPLE, export


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_importing_the_same_document_again_changes_nothing(loaded: Engine) -> None:
    before = export(loaded)
    report = import_document(loaded, parse_file(SAMPLE))
    assert report.already_imported
    assert report.lines() == [f"{SAMPLE}: already imported, nothing changed"]
    assert export(loaded) == before


def test_the_same_projects_in_another_format_are_unchanged(loaded: Engine, truth: dict) -> None:
    report = import_document(loaded, parse_bytes(build_docx(truth), "sample.docx"))
    assert [p.status for p in report.projects] == ["unchanged"] * 3
    assert export(loaded) == truth


def test_a_changed_project_is_replaced_and_the_change_reported(loaded: Engine) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("≥20000笔", "≥25000笔").replace(
        "\t住房公积金宣传次数\n", "\t宣传活动次数\n"
    )
    text = text.replace("\t1221.10\n\t其他资金", "\t1300.00\n\t其他资金")
    report = import_document(loaded, parse_bytes(text.encode(), "qingdao-v2.txt"))
    first, *rest = report.projects
    assert first.status == "replaced" and [p.status for p in rest] == ["unchanged", "unchanged"]
    assert first.changed == [("发放贷款笔数", "≥20000笔", "≥25000笔")]
    assert (first.added, first.removed) == (["宣传活动次数"], ["住房公积金宣传次数"])
    assert first.fields == [("fiscal_funds", "1221.1", "1300")]
    line = first.describe()
    assert "发放贷款笔数: ≥20000笔 -> ≥25000笔" in line and "+宣传活动次数" in line
    project = export(loaded)["projects"][0]
    assert {i["name"]: i["value"] for i in project["indicators"]}["发放贷款笔数"] == "≥25000笔"
    assert len(export(loaded)["projects"]) == 3


def test_an_edited_copy_reports_old_and_new_for_every_changed_field(
    capsys, db_url: str, tmp_path: Path
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    edited = text.replace("\t人才住房购置及后期管理\n", "\t人才住房购置及管理\n").replace(
        "\t14172.00\n", "\t14000.00\n"
    )
    copy = tmp_path / "edited.txt"
    copy.write_text(edited, encoding="utf-8")
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    code, out, _ = run_cli(capsys, "import", "--db", db_url, str(copy))
    assert code == 0
    (line,) = [x for x in out.splitlines() if "replaced:" in x]
    assert "name: 人才住房购置及后期管理 -> 人才住房购置及管理" in line
    assert "plan 6月底: 14172 (2022-06-30) -> 14000 (2022-06-30)" in line
    assert " changed" not in line


def test_cli_import_prints_what_was_added(capsys, db_url: str) -> None:
    code, out, _ = run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    assert code == 0
    assert "3 projects (3 added, 0 replaced)" in out and "added: 37020022P88002810055U" in out
    code, out, _ = run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    assert code == 0 and "already imported, nothing changed" in out


def _refused(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def refusals(tmp_path: Path) -> list[tuple[Path, str]]:
    sample = SAMPLE.read_text(encoding="utf-8")
    return [
        (_refused(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary"), "binary data"),
        (_refused(tmp_path, "empty.txt", b""), "the file is empty"),
        (_refused(tmp_path, "blank.docx", b"   \n"), "the file is empty"),
        (_refused(tmp_path, "fake.docx", b"not a zip at all"), "not a .docx file"),
        (
            _refused(tmp_path, "letter.txt", "尊敬的领导：\n您好。\n".encode()),
            "no performance-target",
        ),
        (_refused(tmp_path, "broken.zip.docx", b"PK\x03\x04broken"), "damaged zip"),
        (
            _refused(
                tmp_path, "badrow.txt", sample.replace("\t≥600件\n", "\t≥600件\n\t多余\n").encode()
            ),
            "table 2, row 2 (line 52): row has 7 cells",
        ),
        (
            _refused(tmp_path, "badplan.txt", sample.replace("\t610.00\n", "\t六百万\n").encode()),
            "plan amount '六百万' is not a number",
        ),
    ]


def test_every_kind_of_unreadable_file_is_refused_and_the_database_is_unchanged(
    capsys, db_url: str, tmp_path: Path
) -> None:
    run_cli(capsys, "import", "--db", db_url, str(SAMPLE))
    _, before, _ = run_cli(capsys, "export", "--json", "--db", db_url)
    for path, reason in refusals(tmp_path):
        code, out, err = run_cli(capsys, "import", "--db", db_url, str(path))
        assert code == 2, path
        assert err.count("\n") == 1 and str(path) in err and reason in err, err
        assert "Traceback" not in err and " added" not in out.replace("0 added", "")
        _, after, _ = run_cli(capsys, "export", "--json", "--db", db_url)
        assert json.loads(after) == json.loads(before)


def test_a_bad_file_among_several_leaves_the_good_ones_imported(
    capsys, db_url: str, tmp_path: Path
) -> None:
    bad = _refused(tmp_path, "empty.txt", b"")
    code, out, err = run_cli(capsys, "import", "--db", db_url, str(bad), str(SAMPLE))
    assert code == 2 and "empty.txt: the file is empty" in err
    assert "3 added" in out
    _, exported, _ = run_cli(capsys, "export", "--json", "--db", db_url)
    assert len(json.loads(exported)["projects"]) == 3


def test_a_failure_while_saving_rolls_the_whole_file_back(loaded: Engine) -> None:
    before = export(loaded)
    text = SAMPLE.read_text(encoding="utf-8").replace("≥20000笔", "≥1笔")
    document = parse_bytes(text.encode(), "v2.txt")
    document.projects[1].indicators[0].level1 = None  # NOT NULL: fails after project 1 is saved
    with pytest.raises(Exception):  # noqa: B017 - any database error
        import_document(loaded, document)
    assert export(loaded) == before


def test_the_loser_of_two_imports_of_one_file_at_once_reports_already_imported(
    engine: Engine, db_url: str, capsys
) -> None:
    """A rival import has stored the same file but not committed yet when this one starts;
    this one waits, then reports the file as already imported and goes on with its batch."""
    import threading
    import time

    from sqlmodel import Session

    from bot.cli import main
    from store.import_decisions import decide
    from store.importer import _document_row, _save_projects
    from tests.conftest import FIXTURES

    sample = parse_file(SAMPLE)
    rival = Session(engine)
    rival.begin()
    doc_id = _document_row(rival, sample)
    _save_projects(rival, doc_id, decide(rival, sample, False).projects)
    rival.flush()
    codes: list[int] = []
    batch = threading.Thread(
        target=lambda: codes.append(
            main(["import", "--db", db_url, str(SAMPLE), str(FIXTURES / "chengdu-2023.txt")])
        )
    )
    batch.start()
    time.sleep(1.0)
    rival.commit()
    rival.close()
    batch.join(60)
    assert codes == [0]
    out = capsys.readouterr().out
    assert f"{SAMPLE}: already imported, nothing changed" in out
    assert "chengdu-2023.txt:" in out and "added" in out
