"""The targetbot console script as a user runs it."""

import json
import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest

from bot.cli import main
from store.db import head_revision
from tests.bot.test_run import TARGETBOT, clean_env
from tests.conftest import SAMPLE


def targetbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TARGETBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


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
    process = subprocess.Popen(
        [TARGETBOT, *args], stdout=subprocess.PIPE, stderr=follower, cwd=cwd, text=True
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


def one_line_refusal(done: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single stderr line of a refused command (exit `code`, no traceback)."""
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_an_unusable_database_url_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    line = one_line_refusal(targetbot("projects", "--db", "mysql://u:pw@h/db", cwd=tmp_path))
    assert line.startswith("targetbot: --db 'mysql://u:***@h/db' cannot be used")
    assert "sqlite:///PATH" in line and "postgresql://" in line and "pw" not in line
    (tmp_path / ".env").write_text("DATABASE_URL=oracle://x\n")
    line = one_line_refusal(targetbot("projects", cwd=tmp_path))
    assert line.startswith("targetbot: DATABASE_URL 'oracle://x' cannot be used")


def test_postgres_and_postgresql_urls_are_postgresql_with_psycopg(tmp_path: Path) -> None:
    for scheme in ("postgres", "postgresql"):
        url = f"{scheme}://nobody@127.0.0.1:1/none?connect_timeout=1"
        line = one_line_refusal(targetbot("projects", "--db", url, cwd=tmp_path), code=1)
        assert line.startswith("targetbot: database error: OperationalError"), line
        assert "psycopg" in line or "connection" in line


def sample_db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'sample.db'}"
    assert targetbot("import", "--db", db, str(SAMPLE), cwd=tmp_path).returncode == 0
    return db


@pytest.mark.parametrize(
    ("option", "value", "form"),
    [
        ("--lead-days", "abc", "whole days 0..366 separated by commas"),
        ("--lead-days", "7,,1", "whole days 0..366 separated by commas"),
        ("--at", "25:99", "a time of day HH:MM"),
        ("--at", "9", "a time of day HH:MM"),
    ],
)
def test_a_bad_subscribe_option_is_one_line_naming_it(
    tmp_path: Path, option: str, value: str, form: str
) -> None:
    db = f"sqlite:///{tmp_path / 'o.db'}"
    line = one_line_refusal(
        targetbot("subscribe", "telegram:42", option, value, "--db", db, cwd=tmp_path)
    )
    assert line.startswith(f"targetbot: {option} '{value}' is not {form}")


def test_subscribe_takes_loose_project_names_and_unsubscribe_refuses_a_bad_chat(
    tmp_path: Path,
) -> None:
    db = sample_db(tmp_path)
    done = targetbot("subscribe", "telegram:42", "--project", "人才住房", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "reminders for 37020022P46000910003U" in done.stdout
    line = one_line_refusal(
        targetbot("subscribe", "telegram:42", "--project", "火星基地", "--db", db, cwd=tmp_path)
    )
    assert "--project '火星基地': no project matches" in line
    line = one_line_refusal(targetbot("unsubscribe", "foo:1", "--db", db, cwd=tmp_path))
    assert line.startswith("targetbot: 'foo:1' is not telegram:<chat id>")


def test_send_due_names_the_chat_and_the_missing_setting(tmp_path: Path) -> None:
    db = sample_db(tmp_path)
    subscribed = targetbot("subscribe", "telegram:42", "--db", db, cwd=tmp_path)
    assert subscribed.returncode == 0, subscribed.stderr

    def send_due(now: str) -> subprocess.CompletedProcess:
        command = ["reminders", "--send-due", "--db", db, "--now", now]
        return targetbot(*command, cwd=tmp_path, env=clean_env())

    line = one_line_refusal(send_due("2022-06-23T09:00:00+08:00"), code=1)
    assert "not sent to telegram:42: TELEGRAM_BOT_TOKEN not set" in line
    assert "recorded as skipped" in line
    after = send_due("2022-07-01T09:00:00+08:00")  # the 6月底 checkpoint has passed
    assert "skipped 2" in after.stdout and "no channel 0" in after.stdout  # both leads of 6月底
    assert after.returncode == 0 and "not sent to telegram:42" not in after.stderr


def test_send_due_with_the_bot_api_unreachable_is_one_line_and_keeps_reminders_due(
    tmp_path: Path,
) -> None:
    db = sample_db(tmp_path)
    assert targetbot("subscribe", "telegram:42", "--db", db, cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WECOM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": "123456:not-a-real-token",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # nothing listens there
        "RETRY_BASE_WAIT": "0.01",
    }
    now = ["--now", "2022-06-23T09:00:00+08:00"]
    done = targetbot("reminders", "--send-due", "--db", db, *now, cwd=tmp_path, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("targetbot:")]
    assert "the Telegram Bot API cannot be used" in line and "stays due" in line
    assert "not-a-real-token" not in done.stderr + done.stdout
    import sqlite3

    with sqlite3.connect(tmp_path / "sample.db") as store:  # nothing claimed: all still due
        assert store.execute("SELECT count(*) FROM delivery").fetchone() == (0,)


def test_db_before_the_command_and_bad_store_or_output_paths_are_one_line(tmp_path: Path) -> None:
    db = sample_db(tmp_path)
    listed = targetbot("--db", db, "projects", cwd=tmp_path)
    assert listed.returncode == 0 and "人才住房购置及后期管理" in listed.stdout
    line = one_line_refusal(targetbot("projects", "--db", "sqlite://folder/x.db", cwd=tmp_path))
    assert line.startswith("targetbot: --db 'sqlite://folder/x.db' cannot be used")
    missing = tmp_path / "no-such-folder" / "x.db"
    line = one_line_refusal(targetbot("projects", "--db", f"sqlite:///{missing}", cwd=tmp_path))
    assert line == f"targetbot: --db: the folder {missing.parent} does not exist"
    line = one_line_refusal(targetbot("projects", "--db", "", cwd=tmp_path))
    assert line.startswith("targetbot: --db '' cannot be used")
    chart = targetbot(
        "chart", "人才住房", "-o", str(missing.with_suffix(".png")), "--db", db, cwd=tmp_path
    )
    assert one_line_refusal(chart).endswith(
        f"No such file or directory: {missing.with_suffix('.png')}"
    )


def test_db_upgrade_on_a_new_database_says_it_created_the_schema(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.db'}"
    done = targetbot("db", "upgrade", "--db", db, cwd=tmp_path)
    newest = head_revision()
    assert done.returncode == 0 and done.stdout.startswith(f"schema created at version {newest}")
    again = targetbot("db", "upgrade", "--db", db, cwd=tmp_path)
    assert f"newest schema version ({newest}); nothing to do" in again.stdout


def test_show_says_politely_that_nothing_matches(tmp_path: Path) -> None:
    db = sample_db(tmp_path)
    line = one_line_refusal(targetbot("show", "不存在的项目", "--db", db, cwd=tmp_path), code=1)
    assert line == (
        "targetbot: no project matches '不存在的项目' (by code or name); "
        "`targetbot projects` lists them all"
    )


def test_the_console_answers_subscribe_with_how_to_subscribe_a_chat(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    done = targetbot("run", "--db", db, cwd=tmp_path, env=clean_env(), stdin="/subscribe\n")
    assert done.returncode == 0, done.stderr
    assert "控制台收不到提醒" in done.stdout and "targetbot subscribe telegram:" in done.stdout
    assert "没有 /subscribe 这个命令" not in done.stdout


def test_show_prints_the_documents_unit_midterm_goal_and_weights(
    db_url: str, capsys, tmp_path: Path
) -> None:
    from tests.store.test_layout_families import written_fields_doc

    path = tmp_path / "water-2023.docx"
    path.write_bytes(written_fields_doc())
    assert main(["import", "--db", db_url, str(path)]) == 0
    capsys.readouterr()
    assert main(["show", "--db", db_url, "污水处理厂"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert "(文件中金额以元填写，此处换算为万元)" in shown
    assert shown[shown.index("中期目标: 三年内污水处理率达到95%") + 1] == "资金支出计划:"
    assert "  产出指标 / 数量指标 / 污水处理量: ≥1000万吨 (权重 60)" in shown


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
