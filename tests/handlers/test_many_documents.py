"""A store of several documents: the sample, its next year with changed values, and two
documents of other places and years (Chengdu 2023, Wuhou district 2024, in 元).

tests/fixtures/many_documents.jsonl holds the phrasings (scope words, projects named loosely,
related indicators, totals, rankings, indicators by target, English, and questions that must
get no answer), each with the items a user expects in the modes of test_phrasings.py, and
optionally the intent, the first answer's amount or target, and words the text must hold.
"""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from handlers.routing import answer_question
from store.db import open_database
from store.documents import parse_bytes, parse_file
from store.importer import import_document
from tests.conftest import FIXTURES, SAMPLE
from tests.handlers.test_phrasings import passes
from tests.yearly import SAMPLE_NEXT_YEAR, next_year

CASES = [json.loads(line) for line in (FIXTURES / "many_documents.jsonl").open(encoding="utf-8")]
NOW = datetime(2023, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def keys(reply) -> list[tuple]:
    """(kind, project code, name or checkpoint) of each answer."""
    found = []
    for a in reply.answers:
        detail = a.name if a.kind == "indicator" else getattr(a, "checkpoint", None)
        found.append((a.kind, getattr(a, "project_code", None), detail))
    return found


def _store(path: Path) -> Session:
    engine = open_database(f"sqlite:///{path}")
    import_document(engine, parse_file(SAMPLE))
    later = next_year(SAMPLE.read_text(encoding="utf-8"), 2022, SAMPLE_NEXT_YEAR)
    import_document(engine, parse_bytes(later.encode("utf-8"), "qingdao-2023.txt"))
    for name in ("chengdu-2023.txt", "wuhou-2024.txt"):
        import_document(engine, parse_file(FIXTURES / name))
    return Session(engine)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Session:
    with _store(tmp_path_factory.mktemp("many") / "many.db") as session:
        yield session


def test_the_table_has_the_kinds_of_cases_asked_for() -> None:
    assert len(CASES) >= 150
    assert sum(case["mode"] == "none" for case in CASES) >= 30
    assert sum(case["q"].isascii() for case in CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_a_phrasing_on_a_store_of_many_documents(many: Session, case: dict) -> None:
    reply = answer_question(case["q"], many, NOW)
    expected = {tuple(e) for e in case["expect"]}
    assert passes(case["mode"], keys(reply), expected), (keys(reply), reply.text)
    assert reply.text
    if "intent" in case:
        assert reply.intent == case["intent"], reply.text
    if "amount" in case:
        assert reply.answers[0].amount == pytest.approx(case["amount"]), reply.text
    if "target" in case:
        assert reply.answers[0].target == case["target"]
    if "text" in case:
        assert case["text"] in reply.text
