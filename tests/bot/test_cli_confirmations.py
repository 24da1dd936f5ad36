"""Confirmations say what was stored, in the reply's language; a wrong -o suffix is refused."""

from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.cli import main
from bot.settings import Settings
from store.db import open_database


def test_the_source_is_named_in_the_replys_language(db: str, capsys) -> None:
    assert main(["actual", "人才住房", "100", "--as-of", "2022-07-31", "--db", db]) == 0
    assert "（来源：表单）" in capsys.readouterr().out
    assistant = Assistant(open_database(db), Settings(_env_file=None))
    outcome = assistant.record("telegram:1", True, "/actual 人才住房 200 7月底")
    assert outcome is not None and "（来源：聊天）" in outcome.reply.lines[0]


def test_progress_value_confirms_each_field_given(db: str, capsys) -> None:
    args = ["progress-value", "人才住房", "筹集租赁型人才住房套数", "80套", "--as-of", "2022-07-31"]
    args += ["--forecast", "115套", "--reason", "人员:人手不足", "--likelihood", "确定能"]
    assert main([*args, "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  全年预计完成：115套",
        "  偏差原因：人员保障：人手不足",
        "  完成目标可能性：确定能",
    ]


def test_subscribe_names_the_reminders_language(db: str, capsys) -> None:
    assert main(["subscribe", "telegram:7", "--language", "en", "--db", db]) == 0
    assert "Reminders in English." in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("command", "name", "suffix"),
    [
        (["monitor", "--as-of", "2022-07-31"], "m.csv", ".xlsx"),
        (["chart"], "x.jpg", ".png"),
    ],
)
def test_a_wrong_output_suffix_is_refused_in_one_line(
    db: str, tmp_path: Path, capsys, command: list[str], name: str, suffix: str
) -> None:
    out = tmp_path / name
    assert main([*command, "-o", str(out), "--db", db]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and f"-o {out}" in error[0] and suffix in error[0]
    assert not out.exists()
