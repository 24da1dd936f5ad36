"""One rule for project names: reading commands take the closest name, writing commands say
which project they matched, and a blank name matches nothing."""

from bot.assistant import Assistant
from bot.cli import main
from bot.settings import Settings
from store.db import open_database

TYPO = "人材住房"
MATCHED = "人材住房 -> 人才住房购置及后期管理"


def test_show_takes_the_closest_name(db: str, capsys) -> None:
    assert main(["show", TYPO, "--db", db]) == 0
    assert "人才住房购置及后期管理" in capsys.readouterr().out


def test_show_refuses_a_blank_name(db: str, capsys) -> None:
    assert main(["show", "", "--db", db]) == 1
    assert "no project matches" in capsys.readouterr().err


def test_actual_says_which_project_a_loose_name_matched(db: str, capsys) -> None:
    assert main(["actual", TYPO, "100", "--as-of", "2022-07-31", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[0] == MATCHED


def test_an_exact_name_needs_no_note(db: str, capsys) -> None:
    assert main(["actual", "人才住房", "100", "--as-of", "2022-07-31", "--db", db]) == 0
    assert "->" not in capsys.readouterr().out


def test_progress_value_says_which_project_it_matched(db: str, capsys) -> None:
    args = ["progress-value", TYPO, "筹集租赁型人才住房套数", "80套", "--as-of", "2022-07-31"]
    assert main([*args, "--db", db]) == 0
    assert MATCHED in capsys.readouterr().out.splitlines()


def test_subscribe_says_which_project_it_matched(db: str, capsys) -> None:
    assert main(["subscribe", "telegram:42", "--project", TYPO, "--db", db]) == 0
    assert MATCHED in capsys.readouterr().out.splitlines()


def test_subscribe_refuses_a_blank_project(db: str, capsys) -> None:
    assert main(["subscribe", "telegram:42", "--project", "", "--db", db]) == 2
    assert "no project matches" in capsys.readouterr().err


def test_chat_actual_says_which_project_it_matched(db: str) -> None:
    assistant = Assistant(open_database(db), Settings(_env_file=None))
    outcome = assistant.record("telegram:1", True, f"/actual {TYPO} 100 7月底")
    assert outcome is not None and outcome.reply.intent == "actual_recorded"
    assert outcome.reply.lines[0] == MATCHED


def test_chat_progress_says_which_project_it_matched(db: str) -> None:
    assistant = Assistant(open_database(db), Settings(_env_file=None))
    outcome = assistant.record("telegram:1", True, f"/progress {TYPO} 筹集租赁型人才住房套数 80套")
    assert outcome is not None and outcome.reply.intent == "indicator_recorded"
    assert outcome.reply.lines[0] == MATCHED
