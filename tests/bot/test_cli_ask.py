"""`targetbot ask`: the text, one JSON reply, or JSON lines from standard input in order."""

import io
import json
import sys
from pathlib import Path

from bot.cli import main
from tests.bot.cli_runner import Cli
from tests.conftest import SAMPLE


def test_ask_prints_the_text_a_chat_user_reads(db_url: str, capsys) -> None:
    main(["import", "--db", db_url, str(SAMPLE)])
    capsys.readouterr()
    assert main(["ask", "--db", db_url, "贷款笔数目标是多少"]) == 0
    assert capsys.readouterr().out.startswith("发放贷款笔数：≥20000笔")


def test_ask_json_prints_the_reply_object(db_url: str, capsys) -> None:
    main(["import", "--db", db_url, str(SAMPLE)])
    capsys.readouterr()
    main(["ask", "--db", db_url, "--json", "--now", "2022-05-20T09:00", "下一个节点"])
    reply = json.loads(capsys.readouterr().out)
    assert reply["query"] == "下一个节点"
    assert {a["checkpoint"] for a in reply["answers"]} == {"6月底"}


def test_ask_json_reads_questions_from_stdin_one_reply_per_line(
    db_url: str, capsys, monkeypatch
) -> None:
    main(["import", "--db", db_url, str(SAMPLE)])
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("人才住房预算多少\n\nasdfgh\n项目总成本\n"))
    assert main(["ask", "--db", db_url, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    replies = [json.loads(line) for line in lines]
    assert [r["query"] for r in replies] == ["人才住房预算多少", "", "asdfgh", "项目总成本"]
    assert replies[0]["answers"][0]["kind"] == "budget" and replies[2]["answers"] == []
    assert len(replies[3]["answers"]) == 2


def test_ask_refuses_a_bad_clock(db_url: str, capsys) -> None:
    assert main(["ask", "--db", db_url, "--now", "yesterday", "下一个节点"]) == 2
    assert "not an ISO date-time" in capsys.readouterr().err


def test_piped_questions_are_answered_one_json_line_each(tmp_path: Path, cli: Cli) -> None:
    db = f"sqlite:///{tmp_path / 'ask.db'}"
    assert cli("import", "--db", db, str(SAMPLE)).code == 0
    done = cli("ask", "--json", "--db", db, stdin="逾期律\n年底支出计划\n")
    assert done.code == 0 and done.err == ""
    replies = [json.loads(line) for line in done.out.splitlines()]
    assert replies[0]["answers"][0]["name"] == "住房公积金个贷逾期率"
    assert len(replies[1]["answers"]) == 3
