"""Broad replies picked from the catalog's rows equal the replies built answer by answer."""

import pickle
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from handlers import catalog as catalog_module
from handlers import kind_builders
from handlers.catalog import Catalog, catalog_for
from handlers.question_reading import understand
from handlers.reply import Reply
from handlers.routing import route
from handlers.wordlists import glossary
from store.db import open_database
from store.documents import parse_bytes, parse_file
from store.importer import import_document
from tests.conftest import SAMPLE, database_kinds, shared_store_url
from tests.handlers.test_indicator_search import city_document

NOW = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
BROAD = [
    "6月底计划支出多少",
    "5月底计划支出多少",  # no checkpoint in May: the nearest ones
    "Q1 spending plan",
    "预算多少",
    "各项目预算",
    "质量指标",
    "满意度指标有哪些",
    "all satisfaction indicators",
    "全年支出计划",
]


def _answer(catalog: Catalog, question: str) -> Reply:
    return route(understand(question, catalog, NOW, glossary()), catalog, NOW)


@pytest.fixture(scope="module", params=database_kinds())
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The catalog of a store of the sample and a 60-project city document, built once per kind
    of database for the module: the tests only read it, in memory."""
    engine = open_database(shared_store_url(request, tmp_path_factory, "city"))
    try:
        import_document(engine, parse_file(SAMPLE))
        import_document(engine, parse_bytes(city_document(60, seed=8), "city.txt"))
        with Session(engine) as session:
            return catalog_for(session)
    finally:
        engine.dispose()


@pytest.mark.parametrize("question", BROAD)
def test_broad_replies_from_the_rows_are_the_replies_built_one_by_one(
    city: Catalog, question: str
) -> None:
    assert city.rows is not None
    picked = _answer(city, question)
    built = _answer(replace(city, rows=None, derived={}), question)
    assert picked.intent in ("milestone", "budget", "category", "plan")
    assert picked.to_json() == built.to_json()
    assert (picked.title, picked.lines, picked.answers) == (built.title, built.lines, built.answers)


def test_a_scope_out_of_catalog_order_keeps_its_order(city: Catalog) -> None:
    reading = understand("质量指标", city, NOW, glossary())
    backwards = list(reversed(city.projects))[:70]
    picked = kind_builders.category(reading, city, backwards)
    built = kind_builders.category(reading, replace(city, rows=None), backwards)
    assert picked.answers == built.answers and picked.lines == built.lines
    order = {project.code: place for place, project in enumerate(backwards)}
    places = [order[answer.project_code] for answer in picked.answers]
    assert places == sorted(places) and places[0] < places[-1]


def test_milestones_and_budgets_of_a_few_projects(city: Catalog) -> None:
    few = city.projects[3:9]
    reading = understand("6月底计划支出多少", city, NOW, glossary())
    for month in (3, 5, 6, 12):
        picked = kind_builders.milestone(reading, few, month, city)
        assert picked == kind_builders.milestone(reading, few, month)
    assert kind_builders.budget(reading, few, city) == kind_builders.budget(reading, few)
    assert kind_builders.plan(reading, few, city) == kind_builders.plan(reading, few)


def test_the_rows_are_built_with_the_catalog_and_follow_its_order(city: Catalog) -> None:
    rows = city.rows
    assert rows is not None and len(rows.indicators) == len(city.indicators)
    assert [a.name for a in rows.indicators] == [i.name for i in city.indicators]
    assert rows.starts[-1] == len(city.indicators)
    assert catalog_module.in_category("产出指标", "质量指标", "质量指标")


def test_the_rows_written_with_the_catalog_are_read_back_equal(city: Catalog) -> None:
    assert city.rows is not None
    again = pickle.loads(pickle.dumps(city, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.rows is not None and again.rows.indicators == city.rows.indicators
    assert again.rows.milestones == city.rows.milestones
    assert again.rows.budgets == city.rows.budgets
    assert type(again.rows.budgets[0]).__name__ == "BudgetAnswer"
    for question in BROAD:
        assert _answer(again, question).to_json() == _answer(city, question).to_json()


def test_catalog_entries_are_written_as_their_values_and_keep_their_links(city: Catalog) -> None:
    item = city.indicators[-1]
    assert b"number_max" not in pickle.dumps(item) and b"fiscal_funds" not in pickle.dumps(
        item.project
    )  # (a dict of slots per entry would name every field)
    again = pickle.loads(pickle.dumps(city, protocol=pickle.HIGHEST_PROTOCOL))
    last = again.indicators[-1]
    assert (last.name, last.value, last.level2) == (item.name, item.value, item.level2)
    assert last.project is again.projects[item.project.place] and last in last.project.indicators
    assert again.projects[0].plan == city.projects[0].plan
