"""Phrasings of every kind of question, answered from a store loaded with the sample.

tests/fixtures/phrasings.jsonl holds other wordings than ../shared/eval (typos, synonyms,
English, ambiguous and unanswerable ones); each names the items a user expects, in the
scorer's three modes: `top` (the first answer), `all` (all of them), `none` (no answer).
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from handlers.routing import answer_question
from tests.conftest import FIXTURES

PHRASINGS = [json.loads(line) for line in (FIXTURES / "phrasings.jsonl").open(encoding="utf-8")]
NOW = datetime(2022, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def keys(reply) -> list[tuple]:
    """(kind, project code, name or checkpoint) of each answer (a total has no project)."""
    found = []
    for a in reply.answers:
        detail = a.name if a.kind == "indicator" else getattr(a, "checkpoint", None)
        found.append((a.kind, getattr(a, "project_code", None), detail))
    return found


def passes(mode: str, got: list[tuple], expected: set[tuple]) -> bool:
    if mode == "none":
        return not got
    if mode == "top":
        return bool(got) and got[0] in expected
    return expected <= set(got) and len(set(got) & expected) * 2 >= len(set(got))


@pytest.fixture(scope="module")
def sample_session(tmp_path_factory) -> Session:
    from store.db import open_database
    from store.documents import parse_file
    from store.importer import import_document
    from tests.conftest import SAMPLE

    engine: Engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('kinds') / 'k.db'}")
    import_document(engine, parse_file(SAMPLE))
    with Session(engine) as session:
        yield session


@pytest.mark.parametrize("case", PHRASINGS, ids=[c["q"] for c in PHRASINGS])
def test_phrasing_gets_the_expected_answer_question(sample_session: Session, case: dict) -> None:
    reply = answer_question(case["q"], sample_session, NOW)
    expected = {tuple(e) for e in case["expect"]}
    assert passes(case["mode"], keys(reply), expected), (keys(reply), reply.text)
    assert reply.text
