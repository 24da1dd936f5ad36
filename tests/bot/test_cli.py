"""The targetbot console script as a user runs it."""

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

from bot.cli import main
from tests.conftest import SAMPLE


def targetbot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "targetbot"
    return subprocess.run([str(script), *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_console_script_imports_exports_and_refuses_without_traceback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    done = targetbot("import", "--db", db, str(SAMPLE), cwd=tmp_path)
    assert done.returncode == 0 and "3 added" in done.stdout
    exported = targetbot("export", "--json", "--db", db, cwd=tmp_path)
    assert len(json.loads(exported.stdout)["projects"]) == 3
    (tmp_path / "junk.txt").write_text("hello\n")
    refused = targetbot("import", "--db", db, "junk.txt", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "targetbot: cannot import junk.txt: no performance-target table (三级指标 / 指标值) found"
    ]


def test_database_url_comes_from_the_environment_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'env.db'}\n")
    assert targetbot("import", str(SAMPLE), cwd=tmp_path).returncode == 0
    assert (tmp_path / "env.db").exists()


def stderr_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run targetbot with stderr on a pseudo-terminal: exit code, stdout, what the terminal got."""
    leader, follower = pty.openpty()
    script = Path(sys.executable).parent / "targetbot"
    process = subprocess.Popen(
        [str(script), *args], stdout=subprocess.PIPE, stderr=follower, cwd=cwd, text=True
    )
    os.close(follower)
    screen: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the process closed its end
                return
            if not chunk:
                return
            screen.append(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    out, _ = process.communicate(timeout=60)
    reader.join(timeout=10)
    os.close(leader)
    return process.returncode, out, b"".join(screen).decode(errors="replace")


def test_several_files_show_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SAMPLE.read_bytes() + b"\n")
    files = (str(SAMPLE), str(copy))
    piped = targetbot("import", "--db", f"sqlite:///{tmp_path / 'p.db'}", *files, cwd=tmp_path)
    assert piped.returncode == 0 and "copy.txt: already imported, nothing changed" in piped.stdout
    assert piped.stderr == ""  # no bar, no redraw lines in a log
    code, out, screen = stderr_on_a_terminal(
        "import", "--db", f"sqlite:///{tmp_path / 't.db'}", *files, cwd=tmp_path
    )
    assert code == 0 and "copy.txt: already imported, nothing changed" in out
    assert "2/2" in screen and "━" in screen


def test_projects_lists_a_table_and_show_prints_one_project(db_url: str, capsys) -> None:
    main(["import", "--db", db_url, str(SAMPLE)])
    capsys.readouterr()
    assert main(["projects", "--db", db_url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["code", "name", "year", "budget", "(万元)", "indicators"]
    assert (
        "人才住房购置及后期管理" in table[3] and "14424.00" in table[3] and table[3].endswith("11")
    )
    assert main(["show", "--db", db_url, "37020022P46000910003U"]) == 0
    shown = capsys.readouterr().out
    assert "3月底 (2022-03-31): — 万元" in shown and "≥110套" in shown
    assert main(["show", "--db", db_url, "人才住房"]) == 0
    assert "人才住房购置及后期管理" in capsys.readouterr().out


def test_show_names_the_candidates_when_several_match(db_url: str, capsys) -> None:
    main(["import", "--db", db_url, str(SAMPLE)])
    capsys.readouterr()
    assert main(["show", "--db", db_url, "住房"]) == 1
    err = capsys.readouterr().err
    assert "3 projects match '住房'" in err


def test_an_unreachable_database_is_one_line_not_a_traceback(capsys) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    assert main(["projects", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("targetbot: database error: OperationalError") and "Traceback" not in err


def test_projects_and_answers_print_one_money_format_and_a_share_rounded_once(
    tmp_path: Path, capsys
) -> None:
    db = f"sqlite:///{tmp_path / 'numbers.db'}"
    assert main(["import", "--db", db, str(SAMPLE)]) == 0
    capsys.readouterr()
    question = "人才住房6月底计划支出多少"
    printed = []
    for args in (["projects"], ["ask", question], ["ask", "--json", question]):
        assert main([*args, "--db", db]) == 0
        printed.append(capsys.readouterr().out)
    listing, answer, as_json = printed
    assert "14424.00" in listing and "14,424" not in listing  # as in every answer
    assert "14172.00 万元，占预算 98.25%" in answer  # 14172 / 14424 = 98.2529…%, rounded once
    assert json.loads(as_json)["answers"][0]["share"] == 98.25
