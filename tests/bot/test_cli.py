"""The targetbot command line as a user runs it: in this process (tests/bot/cli_runner.py) where
the process itself is not what a test is about, the installed console script where it is."""

import json
import os
import pty
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from bot.cli import main
from store.db import head_revision
from tests.bot.cli_runner import Cli, Ran, one_line_refusal
from tests.bot.test_run import TARGETBOT
from tests.conftest import SAMPLE


def targetbot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed console script in a process of its own."""
    return subprocess.run([TARGETBOT, *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_console_script_imports_exports_and_refuses_without_traceback(tmp_path: Path) -> None:
    # A real process on purpose: the entry point in pyproject.toml, `sys.exit(main())` turning
    # the return value into the exit status, the streams' encoding, nothing printed at exit.
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    done = targetbot("import", "--db", db, str(SAMPLE), cwd=tmp_path)
    assert done.returncode == 0 and "3 added" in done.stdout
    exported = targetbot("export", "--json", "--db", db, cwd=tmp_path)
    assert len(json.loads(exported.stdout)["projects"]) == 3
    (tmp_path / "junk.txt").write_text("hello\n")
    refused = targetbot("import", "--db", db, "junk.txt", cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        "targetbot: cannot import junk.txt: no performance-target table (三级指标 / 指标值) found"
    ]


def test_database_url_comes_from_the_environment_file(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'env.db'}\n")
    done = cli("import", str(SAMPLE))
    assert done.code == 0 and "Traceback" not in done.err, done.err
    assert (tmp_path / "env.db").exists()


def stderr_on_a_terminal(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run targetbot with stderr on a pseudo-terminal: exit code, stdout, what the terminal got.
    A real process on purpose: whether stderr is a terminal is decided by the process's own
    file descriptor 2, which pytest's capture replaces in this one."""
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


def test_several_files_show_a_progress_bar_on_a_terminal_only(tmp_path: Path, cli: Cli) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SAMPLE.read_bytes() + b"\n")
    files = (str(SAMPLE), str(copy))
    piped = cli("import", "--db", f"sqlite:///{tmp_path / 'p.db'}", *files)
    assert piped.code == 0 and "copy.txt: already imported, nothing changed" in piped.out
    assert piped.err == ""  # no bar, no redraw lines in a log
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


def test_an_unusable_database_url_is_one_line_naming_the_setting(tmp_path: Path, cli: Cli) -> None:
    line = one_line_refusal(cli("projects", "--db", "mysql://u:pw@h/db"))
    assert line.startswith("targetbot: --db 'mysql://u:***@h/db' cannot be used")
    assert "sqlite:///PATH" in line and "postgresql://" in line and "pw" not in line
    (tmp_path / ".env").write_text("DATABASE_URL=oracle://x\n")
    line = one_line_refusal(cli("projects"))
    assert line.startswith("targetbot: DATABASE_URL 'oracle://x' cannot be used")


def test_postgres_and_postgresql_urls_are_postgresql_with_psycopg(tmp_path: Path, cli: Cli) -> None:
    for scheme in ("postgres", "postgresql"):
        url = f"{scheme}://nobody@127.0.0.1:1/none?connect_timeout=1"
        line = one_line_refusal(cli("projects", "--db", url), code=1)
        assert line.startswith("targetbot: database error: OperationalError"), line
        assert "psycopg" in line or "connection" in line


def sample_db(tmp_path: Path, cli: Cli) -> str:
    db = f"sqlite:///{tmp_path / 'sample.db'}"
    done = cli("import", "--db", db, str(SAMPLE))
    assert done.code == 0 and "Traceback" not in done.err, done.err
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
    tmp_path: Path, cli: Cli, option: str, value: str, form: str
) -> None:
    db = f"sqlite:///{tmp_path / 'o.db'}"
    line = one_line_refusal(cli("subscribe", "telegram:42", option, value, "--db", db))
    assert line.startswith(f"targetbot: {option} '{value}' is not {form}")


def test_subscribe_takes_loose_project_names_and_unsubscribe_refuses_a_bad_chat(
    tmp_path: Path, cli: Cli
) -> None:
    db = sample_db(tmp_path, cli)
    done = cli("subscribe", "telegram:42", "--project", "人才住房", "--db", db)
    assert done.code == 0, done.err
    assert "reminders for 37020022P46000910003U" in done.out
    line = one_line_refusal(cli("subscribe", "telegram:42", "--project", "火星基地", "--db", db))
    assert "--project '火星基地': no project matches" in line
    line = one_line_refusal(cli("unsubscribe", "foo:1", "--db", db))
    assert line.startswith("targetbot: 'foo:1' is not telegram:<chat id>")


def test_send_due_names_the_chat_and_the_missing_setting(tmp_path: Path, cli: Cli) -> None:
    db = sample_db(tmp_path, cli)
    subscribed = cli("subscribe", "telegram:42", "--db", db)
    assert subscribed.code == 0, subscribed.err

    def send_due(now: str) -> Ran:  # no TELEGRAM_* or WECOM_* setting: the runner strips them
        return cli("reminders", "--send-due", "--db", db, "--now", now)

    line = one_line_refusal(send_due("2022-06-23T09:00:00+08:00"), code=1)
    assert "not sent to telegram:42: TELEGRAM_BOT_TOKEN not set" in line
    assert "recorded as skipped" in line
    after = send_due("2022-07-01T09:00:00+08:00")  # the 6月底 checkpoint has passed
    assert "skipped 2" in after.out and "no channel 0" in after.out  # both leads of 6月底
    assert after.code == 0 and "not sent to telegram:42" not in after.err


def test_send_due_with_the_bot_api_unreachable_is_one_line_and_keeps_reminders_due(
    tmp_path: Path, cli: Cli
) -> None:
    db = sample_db(tmp_path, cli)
    assert cli("subscribe", "telegram:42", "--db", db).code == 0
    env = {  # over an environment without TELEGRAM_*, WECOM_* or DATABASE_URL
        "TELEGRAM_BOT_TOKEN": "123456:not-a-real-token",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # nothing listens there
        "RETRY_BASE_WAIT": "0.01",
    }
    now = ["--now", "2022-06-23T09:00:00+08:00"]
    done = cli("reminders", "--send-due", "--db", db, *now, env=env)
    assert done.code == 1 and "Traceback" not in done.err, done.err
    (line,) = [x for x in done.err.splitlines() if x.startswith("targetbot:")]
    assert "the Telegram Bot API cannot be used" in line and "stays due" in line
    assert "not-a-real-token" not in done.err + done.out
    with sqlite3.connect(tmp_path / "sample.db") as store:  # nothing claimed: all still due
        assert store.execute("SELECT count(*) FROM delivery").fetchone() == (0,)


def test_db_before_the_command_and_bad_store_or_output_paths_are_one_line(
    tmp_path: Path, cli: Cli
) -> None:
    db = sample_db(tmp_path, cli)
    listed = cli("--db", db, "projects")
    assert listed.code == 0 and "人才住房购置及后期管理" in listed.out
    line = one_line_refusal(cli("projects", "--db", "sqlite://folder/x.db"))
    assert line.startswith("targetbot: --db 'sqlite://folder/x.db' cannot be used")
    missing = tmp_path / "no-such-folder" / "x.db"
    line = one_line_refusal(cli("projects", "--db", f"sqlite:///{missing}"))
    assert line == f"targetbot: --db: the folder {missing.parent} does not exist"
    line = one_line_refusal(cli("projects", "--db", ""))
    assert line.startswith("targetbot: --db '' cannot be used")
    chart = cli("chart", "人才住房", "-o", str(missing.with_suffix(".png")), "--db", db)
    assert one_line_refusal(chart).endswith(
        f"No such file or directory: {missing.with_suffix('.png')}"
    )


def test_db_upgrade_on_a_new_database_says_it_created_the_schema(tmp_path: Path, cli: Cli) -> None:
    db = f"sqlite:///{tmp_path / 'new.db'}"
    done = cli("db", "upgrade", "--db", db)
    newest = head_revision()
    assert done.code == 0 and done.out.startswith(f"schema created at version {newest}")
    again = cli("db", "upgrade", "--db", db)
    assert f"newest schema version ({newest}); nothing to do" in again.out


def test_show_says_politely_that_nothing_matches(tmp_path: Path, cli: Cli) -> None:
    db = sample_db(tmp_path, cli)
    line = one_line_refusal(cli("show", "不存在的项目", "--db", db), code=1)
    assert line == (
        "targetbot: no project matches '不存在的项目' (by code or name); "
        "`targetbot projects` lists them all"
    )


def test_the_console_answers_subscribe_with_how_to_subscribe_a_chat(
    tmp_path: Path, cli: Cli
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    done = cli("run", "--db", db, stdin="/subscribe\n")
    assert done.code == 0, done.err
    assert "控制台收不到提醒" in done.out and "targetbot subscribe telegram:" in done.out
    assert "没有 /subscribe 这个命令" not in done.out


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
