"""Save a parsed document: one transaction, replacing projects by code, never losing data."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Table, delete, insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, col, select

from store.db import unit_of_work
from store.document_actuals import record_document_actuals
from store.import_decisions import ImportReport, ProjectChange, decide, reports_actuals
from store.models import Document, Project
from store.parsed_document import ParsedDocument, ParsedIndicator
from store.queries import document_by_hash, project_by_code
from store.snapshot import PROJECT_FIELDS, STORED_INDICATOR_FIELDS

__all__ = ["ImportReport", "ProjectChange", "dry_run_session", "import_document", "import_into"]

# The tables themselves: batched Core inserts skip the ORM's per-row work.
PROJECTS: Table = SQLModel.metadata.tables["project"]
CHECKPOINTS: Table = SQLModel.metadata.tables["checkpoint"]
INDICATORS: Table = SQLModel.metadata.tables["indicator"]


def import_document(
    engine: Engine, document: ParsedDocument, replace: bool = False, dry_run: bool = False
) -> ImportReport:
    """Store what a parsed document says in one transaction and report what changed.

    `dry_run` imports exactly the same in a transaction that is rolled back (dry_run_session
    judges several files in a row); `replace` allows an import that removes most of a stored
    project's indicators or blanks its budget. Another process storing the same file (or the
    same projects) at once makes this one decide again: the loser of a race over one file
    reports it as already imported."""
    if dry_run:
        with dry_run_session(engine) as session:
            return import_into(session, document, replace)
    for attempt in range(1, 4):
        try:
            with unit_of_work(engine) as session:
                return import_into(session, document, replace)
        except (IntegrityError, OperationalError) as error:
            if attempt == 3 or not _lost_a_race(error):
                raise
    raise AssertionError("unreachable")


@contextmanager
def dry_run_session(engine: Engine) -> Iterator[Session]:
    """One transaction that imports write into and that is rolled back at the end, so each file
    of a dry run is judged against the store as the files before it would have left it."""
    with Session(engine) as session:
        transaction = session.begin()
        try:
            yield session
        finally:
            transaction.rollback()


def _lost_a_race(error: Exception) -> bool:
    """A unique key taken by a concurrent transaction, or SQLite's write lock held by one."""
    return isinstance(error, IntegrityError) or "locked" in str(error).lower()


def import_into(session: Session, document: ParsedDocument, replace: bool) -> ImportReport:
    """Decide, then write (flushed, not committed) what the session's transaction should hold:
    the projects added or replaced, and the actuals the document's actual columns report."""
    report = decide(session, document, replace)
    writes = [c for c in report.projects if c.status in ("added", "replaced", "actuals")]
    unchanged = [c for c in report.projects if c.status == "unchanged"]
    if writes:
        doc_id = _document_row(session, document)
        _save_projects(session, doc_id, [c for c in writes if c.status != "actuals"])
    _record_actuals(session, writes + unchanged, document.source_name)  # notes of unchanged too
    if writes:
        _drop_orphan_documents(session, keep=doc_id)
    session.flush()
    return report


def _document_row(session: Session, document: ParsedDocument) -> int:
    """The id of the Document of this content: the one stored before, or a new one."""
    if existing := document_by_hash(session, document.content_hash):
        existing.imported_at = dt.datetime.now(dt.UTC)
        session.add(existing)
        assert existing.id is not None
        return existing.id
    doc = Document(
        source_name=document.source_name.rsplit("/", 1)[-1],
        content_hash=document.content_hash,
        format=document.format,
        department=document.department,
        title=document.title,
        year=document.year,
        imported_at=dt.datetime.now(dt.UTC),
    )
    session.add(doc)
    session.flush()
    assert doc.id is not None  # assigned by the flush
    return doc.id


def _save_projects(session: Session, doc_id: int, writes: list[ProjectChange]) -> None:
    """Write the added and replaced projects in a few statements: new projects in one batched
    insert, replaced ones updated with their old rows deleted, then every checkpoint and every
    indicator of the file in one batched insert each. A code given twice keeps the last."""
    last = {change.code: change for change in writes}
    added = [c for c in last.values() if c.stored is None]
    replaced = [c for c in last.values() if c.stored is not None]
    ids = _insert_projects(session, doc_id, added)
    ids.update(_update_projects(session, doc_id, replaced))
    _insert_rows(session, ids, list(last.values()))


def _record_actuals(session: Session, writes: list[ProjectChange], source: str) -> None:
    """The actuals of the projects whose document reports any (a 自评表's or 监控表's columns),
    stored as of their dates; the notes kept for the import report."""
    now = dt.datetime.now(dt.UTC)
    for change in writes:
        parsed = change.parsed
        assert parsed is not None
        if not reports_actuals(parsed):
            continue
        project = project_by_code(session, parsed.code)
        assert project is not None
        change.actuals = record_document_actuals(session, project, parsed, source, now)


def _update_projects(
    session: Session, doc_id: int, replaced: list[ProjectChange]
) -> dict[str | None, int | None]:
    """Give replaced projects their new fields and drop their old checkpoints and indicators."""
    ids: dict[str | None, int | None] = {}
    for change in replaced:
        assert change.stored is not None and change.parsed is not None
        project = change.stored
        project.document_id, project.position = doc_id, change.position
        for name in PROJECT_FIELDS:
            setattr(project, name, getattr(change.parsed, name))
        session.add(project)
        ids[project.code] = project.id
    if replaced:
        session.flush()
        old = list(ids.values())
        session.execute(delete(CHECKPOINTS).where(CHECKPOINTS.c.project_id.in_(old)))
        session.execute(delete(INDICATORS).where(INDICATORS.c.project_id.in_(old)))
    return ids


def _insert_projects(
    session: Session, doc_id: int, added: list[ProjectChange]
) -> dict[str | None, int | None]:
    """Insert new projects in document order (one batched statement); their ids by code."""
    if not added:
        return {}
    rows = []
    for change in added:
        assert change.parsed is not None
        parsed = change.parsed
        row = {"document_id": doc_id, "position": change.position, "code": parsed.code}
        rows.append(row | {name: getattr(parsed, name) for name in PROJECT_FIELDS})
    columns = PROJECTS.c
    query = insert(PROJECTS).returning(columns.id, columns.code)  # mapped by code, any order
    return {code: key for key, code in session.execute(query, rows)}


def _insert_rows(
    session: Session, ids: dict[str | None, int | None], changes: list[ProjectChange]
) -> None:
    """Every checkpoint and every indicator of the written projects: two batched inserts."""
    plan, indicators = [], []
    for change in changes:
        assert change.parsed is not None
        key = ids[change.code]
        plan += [
            {
                "project_id": key,
                "position": position,
                "label": point.label,
                "month": point.month,
                "date": point.date,
                "amount": point.amount,
            }
            for position, point in enumerate(change.parsed.plan)
        ]
        indicators += [
            _indicator_row(key, position, item)
            for position, item in enumerate(change.parsed.indicators)
        ]
    for table, rows in ((CHECKPOINTS, plan), (INDICATORS, indicators)):
        if rows:
            _bulk_insert(session, table, rows)


def _bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows inside the session's transaction straight through the driver:
    PostgreSQL's COPY (one stream instead of a statement per row), SQLite's executemany (dates
    written as SQLAlchemy writes them, YYYY-MM-DD), anything else through SQLAlchemy."""
    connection = session.connection()
    driver_error = connection.dialect.loaded_dbapi.Error
    try:
        _driver_insert(connection, table, rows)
    except driver_error as error:  # as SQLAlchemy would raise it: retried, reported, one line
        statement = f"bulk insert into {table.name}"
        raise DBAPIError.instance(statement, None, error, driver_error) from error


def _driver_insert(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY, executemany, or SQLAlchemy's insert, by the connection's dialect."""
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    raw: Any = connection.connection.dbapi_connection  # the driver's own connection
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor()
        with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
    elif connection.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        values = [tuple(_sqlite_value(row[name]) for name in columns) for row in rows]
        raw.cursor().executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)
    else:
        connection.execute(insert(table), rows)


def _sqlite_value(value: object) -> object:
    return value.isoformat() if type(value) is dt.date else value


def _indicator_row(project_id: int | None, position: int, item: ParsedIndicator) -> dict[str, Any]:
    value = item.parsed
    return {
        "project_id": project_id,
        "position": position,
        **{name: getattr(item, name) for name in STORED_INDICATOR_FIELDS},
        "comparator": value.comparator,
        "number": value.number,
        "number_max": value.number_max,
        "unit": value.unit,
        "kind": value.kind,
        "deadline": value.deadline,
    }


def _drop_orphan_documents(session: Session, keep: int | None) -> None:
    used = select(Project.document_id)
    orphans = select(Document).where(col(Document.id).not_in(used), Document.id != keep)
    for orphan in session.exec(orphans):
        session.delete(orphan)
