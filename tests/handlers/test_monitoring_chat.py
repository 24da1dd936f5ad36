"""Chat input of actuals: statements are recorded, questions are not; the three inputs agree."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.assistant import Assistant
from bot.cli import main
from bot.settings import Settings
from handlers.monitoring_chat import is_spoken_spending
from store.actuals import spending_history
from store.db import open_database
from store.documents import parse_file
from store.importer import import_document
from tests.conftest import SAMPLE

HOUSING = "37020022P46000910003U"


@pytest.mark.parametrize(
    "text",
    [
        "人才住房6月底支出12000万",
        "人才住房 7月底累计支出 1.3亿",
        "人才住房支出12,000",
        "人才住房2022-06-30执行12000万元",
    ],
)
def test_statements_of_spending_are_recognised(text: str) -> None:
    assert is_spoken_spending(text)


@pytest.mark.parametrize(
    "text",
    [
        "人才住房6月底支出多少",
        "人才住房6月底计划支出14172万",
        "人才住房支出进度",
        "支出12000万吗？",
        "贷款笔数",
    ],
)
def test_questions_are_not_recorded(text: str) -> None:
    assert not is_spoken_spending(text)


def fresh(tmp_path: Path, name: str) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / name}"
    engine = open_database(url)
    import_document(engine, parse_file(SAMPLE))
    return url, engine


def amounts(engine: Engine) -> list[tuple[str, float]]:
    with Session(engine) as session:
        return [(r.as_of.isoformat(), r.amount) for r in spending_history(session, HOUSING)]


def test_chat_cli_and_file_store_the_same_actuals(tmp_path: Path) -> None:
    _, chat_engine = fresh(tmp_path, "chat.db")
    assistant = Assistant(chat_engine, Settings(_env_file=None))
    assert assistant.record("telegram:1", True, "人才住房6月底支出12000万") is not None
    assert assistant.record("telegram:1", True, "/actual 人才住房 1.3亿 7月底") is not None
    cli_url, cli_engine = fresh(tmp_path, "cli.db")
    assert main(["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--db", cli_url]) == 0
    assert main(["actual", HOUSING, "130000000元", "--as-of", "7月底", "--db", cli_url]) == 0
    file_url, file_engine = fresh(tmp_path, "file.db")
    export = tmp_path / "export.csv"
    rows = [
        "预算编码,预算项目,执行数,截止日期",
        f"{HOUSING},人才住房购置及后期管理,120000000,2022-06-30",
    ]
    rows.append(f"{HOUSING},人才住房购置及后期管理,130000000,2022-07-31")
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["actuals", "import", str(export), "--db", file_url]) == 0
    expected = [("2022-06-30", 12000.0), ("2022-07-31", 13000.0)]
    assert amounts(chat_engine) == amounts(cli_engine) == amounts(file_engine) == expected
