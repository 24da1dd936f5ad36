"""A store of several documents: the sample, its next year with changed values, and two
documents of other places and years (Chengdu 2023, Wuhou district 2024, written in 元 and
stored, like every amount, in 万元).

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
from tests.handlers.test_phrasings import keys, passes
from tests.yearly import SAMPLE_NEXT_YEAR, next_year

CASES = [json.loads(line) for line in (FIXTURES / "many_documents.jsonl").open(encoding="utf-8")]
NOW = datetime(2023, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


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


def test_the_exact_name_comes_before_the_names_that_contain_it(many: Session) -> None:
    reply = answer_question("验收合格率", many, NOW)
    assert reply.answers[0].name == "验收合格率"
    assert "住房质量验收合格率" in [a.name for a in reply.answers]


def test_a_total_is_one_new_answer_before_the_unchanged_budget_answers(many: Session) -> None:
    data = answer_question("成都的总预算", many, NOW).to_json()
    total, *parts = data["answers"]
    assert (total["kind"], total["amount"], total["unit"], total["count"]) == (
        "total",
        1545.5,
        "万元",
        4,
    )
    assert {p["kind"] for p in parts} == {"budget"}
    assert set(parts[0]) == {
        "kind",
        "project_code",
        "project_name",
        "amount",
        "unit",
        "fiscal_funds",
        "other_funds",
    }
    assert "合计 1545.50 万元" in data["text"]


def test_a_ranking_puts_every_amount_in_one_unit(many: Session) -> None:
    same_unit = answer_question("武侯区哪个项目预算最多", many, NOW)
    assert [(a.rank, a.amount, a.unit) for a in same_unit.answers] == [
        (1, 320.0, "万元"),  # the document writes 元; the store holds 万元
        (2, 45.0, "万元"),
    ]
    mixed = answer_question("成都哪个项目预算最少", many, NOW)
    assert [(a.project_name, a.amount, a.unit) for a in mixed.answers][:2] == [
        ("社区教育培训补助", 45.0, "万元"),
        ("中小学校舍维修改造", 320.0, "万元"),
    ]


def test_a_user_file_adds_synonyms(many: Session, tmp_path: Path) -> None:
    extra = tmp_path / "glossary.json"
    extra.write_text(json.dumps({"synonyms": [["人才住房", "英才房"]]}), encoding="utf-8")
    without = answer_question("英才房预算", many, NOW)
    assert [a.project_name for a in without.answers] != ["人才住房购置及后期管理"]
    reply = answer_question("英才房预算", many, NOW, str(extra))
    assert [(a.kind, a.project_name) for a in reply.answers] == [
        ("budget", "人才住房购置及后期管理")
    ]


@pytest.fixture(scope="module")
def sample_only(tmp_path_factory) -> Session:
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('one') / 'one.db'}")
    import_document(engine, parse_file(SAMPLE))
    with Session(engine) as session:
        yield session


def test_with_the_sample_alone_a_weak_match_is_only_a_suggestion(sample_only: Session) -> None:
    reply = answer_question("市民满意度目标", sample_only, NOW)
    assert reply.answers == () and reply.intent == "unknown"
    assert any("使用对象满意度" in s for s in reply.suggestions)


def test_with_the_sample_alone_an_unknown_project_is_said_so(sample_only: Session) -> None:
    reply = answer_question("垃圾分类项目预算多少", sample_only, NOW)
    assert reply.answers == ()
    assert reply.text.startswith("没有找到“垃圾分类”相关的项目")
