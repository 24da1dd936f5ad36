"""Save a parsed document: one transaction, replacing projects by code, never losing data."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from store.db import unit_of_work
from store.document_actuals import record_document_actuals
from store.import_decisions import ImportReport, ProjectChange, decide
from store.models import Checkpoint, Document, Indicator, Project
from store.parsed_document import ParsedDocument, ParsedIndicator, ParsedProject
from store.queries import document_by_hash, project_by_code
from store.snapshot import PROJECT_FIELDS, STORED_INDICATOR_FIELDS

__all__ = ["ImportReport", "ProjectChange", "dry_run_session", "import_document", "import_into"]


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
    if not writes:
        return report
    doc_id = _document_row(session, document)
    now = dt.datetime.now(dt.UTC)
    for change in writes:
        assert change.parsed is not None
        if change.status == "actuals":
            project = project_by_code(session, change.parsed.code)
            assert project is not None
        else:
            project = _save_project(session, doc_id, change.position, change.parsed)
        change.actuals = record_document_actuals(
            session, project, change.parsed, document.source_name, now
        )
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


def _save_project(session: Session, doc_id: int, position: int, parsed: ParsedProject) -> Project:
    existing = project_by_code(session, parsed.code)
    if existing is None:
        project = Project(
            document_id=doc_id,
            position=position,
            code=parsed.code,
            name=parsed.name,
            year=parsed.year,
        )
        _fill(session, project, parsed)
        return project
    session.exec(delete(Checkpoint).where(col(Checkpoint.project_id) == existing.id))
    session.exec(delete(Indicator).where(col(Indicator.project_id) == existing.id))
    existing.document_id, existing.position = doc_id, position
    _fill(session, existing, parsed)
    return existing


def _fill(session: Session, project: Project, parsed: ParsedProject) -> None:
    for name in PROJECT_FIELDS:
        setattr(project, name, getattr(parsed, name))
    session.add(project)
    session.flush()
    plan = [
        {
            "project_id": project.id,
            "position": position,
            "label": point.label,
            "month": point.month,
            "date": point.date,
            "amount": point.amount,
        }
        for position, point in enumerate(parsed.plan)
    ]
    indicators = [
        _indicator_row(project.id, position, item)
        for position, item in enumerate(parsed.indicators)
    ]
    if plan:
        session.execute(insert(Checkpoint), plan)
    if indicators:
        session.execute(insert(Indicator), indicators)


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
