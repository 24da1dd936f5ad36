"""A reply over many projects is built once per catalog and reworded for each question."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from handlers.routing import answer_question
from store.documents import parse_bytes
from store.importer import import_document
from tests.handlers.test_indicator_search import city_document

NOW = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def ask(engine: Engine, question: str):
    with Session(engine) as session:
        return answer_question(question, session, NOW)


def test_the_same_broad_reply_serves_other_wordings_with_their_own_query(loaded: Engine) -> None:
    import_document(loaded, parse_bytes(city_document(60, seed=8), "city.txt"))
    first = ask(loaded, "6月底计划支出多少")
    second = ask(loaded, "到6月底应该支出多少")
    assert first.intent == second.intent == "milestone" and len(first.answers) >= 60
    assert second.query == "到6月底应该支出多少" and first.query == "6月底计划支出多少"
    assert second.answers is first.answers  # kept, not rebuilt
    english = ask(loaded, "June spending plan")
    assert english.answers == first.answers and english.lines != first.lines
    assert english.language == "en"


def test_an_import_makes_the_broad_replies_anew(loaded: Engine) -> None:
    import_document(loaded, parse_bytes(city_document(60, seed=8), "city.txt"))
    before = ask(loaded, "6月底计划支出多少")
    import_document(loaded, parse_bytes(city_document(5, seed=9), "more.txt"))
    after = ask(loaded, "6月底计划支出多少")
    assert after.intent == before.intent == "milestone"
    assert len(after.answers) == len(before.answers) + 5
