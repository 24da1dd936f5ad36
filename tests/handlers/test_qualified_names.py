"""Names ending in a qualifier (专项经费（009）, 项目（二期）) are asked with or without it."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from handlers.routing import answer_question
from tests.bigstore import big_store

MAY = datetime(2022, 5, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """24 generated projects, eight topics: 道路养护专项经费（001）, （009） and （017）, …"""
    return big_store(Path(tmp_path_factory.mktemp("qualified")), projects=24)


def answers(engine: Engine, question: str) -> list[str]:
    with Session(engine) as session:
        reply = answer_question(question, session, MAY)
    return [answer["project_name"] for answer in reply.to_json()["answers"]]


@pytest.mark.parametrize(
    "question",
    ["道路养护专项经费（009）预算多少", "道路养护专项经费(009)的预算", "道路养护专项经费009预算"],
)
def test_the_name_with_its_qualifier_names_that_project_only(store: Engine, question: str) -> None:
    assert answers(store, question) == ["道路养护专项经费（009）"]


def test_the_name_without_its_qualifier_names_every_project_of_that_name(store: Engine) -> None:
    named = answers(store, "道路养护专项经费6月底计划支出多少")
    assert named == [
        "道路养护专项经费（001）",
        "道路养护专项经费（009）",
        "道路养护专项经费（017）",
    ]


def test_a_full_name_names_that_project_even_when_phases_share_it(tmp_path: Path) -> None:
    from store.documents import parse_bytes
    from store.importer import import_document
    from tests.bigstore import project_text

    engine = big_store(tmp_path, projects=1)
    body = ["", "青岛市某局", "2022年部门预算项目绩效目标", ""]
    phases = [("城市道路改造项目", "P900"), ("城市道路改造项目（一期）", "P901")]
    phases.append(("城市道路改造项目（二期）", "P902"))
    texts = [
        project_text(1, code).replace("道路养护专项经费（001）", name) for name, code in phases
    ]
    import_document(engine, parse_bytes("\n".join([*body, *texts]).encode(), "phases.txt"))
    assert answers(engine, "城市道路改造项目预算多少") == ["城市道路改造项目"]
    assert answers(engine, "城市道路改造项目（二期）预算多少") == ["城市道路改造项目（二期）"]
