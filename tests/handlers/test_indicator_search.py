"""Indicator search on a store of many projects: the index finds what scoring every indicator
finds, and the catalog is read in the same few queries however many projects there are."""

import random

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from handlers.catalog import build_catalog
from handlers.fuzzy import prepare, similarity
from handlers.indicator_search import FLOOR, Hit, best_matches, near_misses, rank
from store.documents import parse_bytes
from store.importer import import_document
from tests.textdocs import HEADER, project_rows, rows_text

TOPICS = ["校舍维修", "学生资助", "道路养护", "污水处理", "公积金贷款", "老旧小区改造", "就业培训"]
THINGS = ["学校", "学生", "车辆", "线路", "企业", "职工", "设备", "系统", "窗口", "档案"]
MEASURES = [
    ("数量", "个"),
    ("面积", "平方米"),
    ("覆盖率", "%"),
    ("合格率", "%"),
    ("服务满意度", "%"),
    ("响应时间", "分钟"),
    ("培训人次", "人次"),
]
QUESTIONS = [
    "贷款笔数",
    "贷款比数",
    "逾期率",
    "个贷逾期率",
    "学生资助学生数量",
    "校舍维修面积多少平方米",
    "道路养护车辆合格率",
    "服务满意度",
    "项目总成本",
    "培训人次",
    "响应时间",
    "系统正常运行率",
    "污水出理达标",
    "wu shui chu li",
    "档案",
]


def city_document(projects: int, seed: int = 5) -> bytes:
    """A department's document of generated projects, names recombined like a real city's."""
    rng, body = random.Random(seed), []
    for number in range(projects):
        topic = rng.choice(TOPICS)
        rows = []
        for thing, (measure, unit) in rng.sample(
            [(t, m) for t in THINGS for m in MEASURES], rng.randint(4, 8)
        ):
            name = f"{topic}{thing}{measure}"
            rows.append(
                ["产出指标", "数量指标", name, f"全年{name}", f"≥{number + 1}{unit}", "计划"]
            )
        rows.append(["产出指标", "成本指标", "项目总成本", "项目总成本", "≤100万元", "预算"])
        info = project_rows(code=f"CITY{seed}-{number:04d}", name=f"{topic}专项经费{number}号")
        body.append(f"{number + 1}.{topic}专项经费{number}号绩效目标表\n")
        body.append(rows_text(info) + " \n" + rows_text([HEADER, *rows]))
    return ("示范市教育局\n2022年部门预算项目绩效目标\n\n" + "".join(body)).encode()


def every_indicator_scored(query: str, catalog) -> list[Hit]:
    """The definition rank() keeps to: every indicator scored with fuzzy.similarity()."""
    prepared, hits = prepare(query), []
    for item in catalog.indicators:
        score = max(
            similarity(prepared, item.name_text, catalog.weights),
            0.9 * similarity(prepared, item.description_text, catalog.weights),
        )
        if item.unit and len(item.unit.strip("%")) >= 2 and item.unit in query:
            with_unit = similarity(prepared, prepare(item.name + item.unit), catalog.weights)
            score = max(score, with_unit) + 0.05
        hits.append(Hit(item, score))
    return sorted(hits, key=lambda hit: -hit.score)


@pytest.fixture(scope="module")
def city_catalog(tmp_path_factory):
    from store.db import open_database
    from store.documents import parse_file
    from tests.conftest import SAMPLE

    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('city') / 'city.db'}")
    import_document(engine, parse_file(SAMPLE))
    import_document(engine, parse_bytes(city_document(150), "city.txt"))
    with Session(engine) as session:
        return build_catalog(session)


@pytest.mark.parametrize("query", QUESTIONS)
def test_the_index_ranks_as_scoring_every_indicator_would(city_catalog, query: str) -> None:
    found = rank(query, city_catalog)
    everything = every_indicator_scored(query, city_catalog)
    assert bool(found) == (everything[0].score >= FLOOR)
    assert [hit.item for hit in found] == [hit.item for hit in everything[: len(found)]]
    assert [hit.score for hit in found] == pytest.approx(
        [h.score for h in everything[: len(found)]]
    )
    assert [h.item for h in best_matches(found)] == [h.item for h in best_matches(everything)]
    assert near_misses(found, query) == near_misses(everything, query)


def test_a_search_within_projects_stays_within_them(city_catalog) -> None:
    projects = [p for p in city_catalog.projects if p.name.startswith("道路养护")][:3]
    found = rank("车辆合格率", city_catalog, projects)
    assert found and {hit.item.project.code for hit in found} <= {p.code for p in projects}


def statements(engine: Engine) -> int:
    """How many SQL statements building the catalog sends."""
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as session:
            build_catalog(session)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(sent)


def test_the_catalog_is_read_in_the_same_few_queries_for_any_number_of_projects(
    engine: Engine,
) -> None:
    import_document(engine, parse_bytes(city_document(2, seed=1), "small.txt"))
    few = statements(engine)
    import_document(engine, parse_bytes(city_document(60, seed=2), "large.txt"))
    with Session(engine) as session:
        assert len(build_catalog(session).projects) == 62
    assert statements(engine) == few <= 4
