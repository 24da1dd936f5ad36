"""A file is written in a few batched statements, whatever its number of projects."""

from sqlalchemy import Engine, event
from sqlmodel import Session

from store.documents import parse_bytes
from store.importer import import_document
from store.queries import all_projects, indicator_rows
from tests.handlers.test_indicator_search import city_document


def import_statements(engine: Engine, data: bytes, name: str) -> int:
    """How many SQL statements importing one document sends."""
    sent: list[str] = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        report = import_document(engine, parse_bytes(data, name))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert {p.status for p in report.projects} == {"added"}
    return len(sent)


def test_a_file_is_written_in_the_same_few_statements_for_any_number_of_projects(
    engine: Engine,
) -> None:
    few = import_statements(engine, city_document(2, seed=1), "small.txt")
    many = import_statements(engine, city_document(60, seed=2), "large.txt")
    assert many == few <= 12
    with Session(engine) as session:
        projects = all_projects(session)
    assert len(projects) == 62
    assert [p.position for p in projects[2:]] == list(range(60))


def test_replacing_many_projects_keeps_their_ids_and_takes_the_new_rows(engine: Engine) -> None:
    data = city_document(30, seed=3)
    import_document(engine, parse_bytes(data, "a.txt"))
    with Session(engine) as session:
        before = {p.code: p.id for p in all_projects(session)}
    edited = data.decode().replace("满意度", "满意率").encode()
    report = import_document(engine, parse_bytes(edited, "b.txt"), replace=True)
    statuses = [p.status for p in report.projects]
    assert statuses.count("replaced") >= 10 and set(statuses) <= {"replaced", "unchanged"}
    with Session(engine) as session:
        after = all_projects(session)
        assert {p.code: p.id for p in after} == before
        names = [row.name for row in indicator_rows(session)]
    assert any("满意率" in name for name in names)
    assert not any("满意度" in name for name in names)


def test_a_driver_error_of_the_batched_insert_is_raised_as_sqlalchemys(engine: Engine) -> None:
    """COPY and the raw executemany bypass SQLAlchemy; their errors must not (the retry of a
    lost race, the CLI's one-line database error and the chat's 'store unavailable' read them)."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from store.importer import INDICATORS, _bulk_insert

    row = {"project_id": 999_999, "position": 0, "level1": "产出指标", "level2": "数量指标"}
    row |= {"name": "x", "description": None, "value": "1"}
    with Session(engine) as session, pytest.raises(IntegrityError):
        _bulk_insert(session, INDICATORS, [row])
