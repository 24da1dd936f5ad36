"""Save a parsed document: one transaction, idempotent, replacing projects by code."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, insert
from sqlmodel import Session, col, select

from store.db import unit_of_work
from store.models import Checkpoint, Document, Indicator, Project
from store.parsed_document import ParsedDocument, ParsedIndicator, ParsedProject
from store.queries import document_by_hash, project_by_code, project_indicators, project_plan
from store.snapshot import INDICATOR_FIELDS, PROJECT_FIELDS, parsed_snapshot, stored_snapshot


@dataclass
class ProjectChange:
    """What an import did to one project."""

    code: str
    name: str
    status: str  # added | replaced | unchanged
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def describe(self) -> str:
        if self.status != "replaced":
            return f"{self.status}: {self.code} {self.name}"
        parts = [f"+{name}" for name in self.added] + [f"-{name}" for name in self.removed]
        parts += [f"{name}: {old} -> {new}" for name, old, new in self.changed]
        parts += [f"{name} changed" for name in self.fields]
        return f"replaced: {self.code} {self.name} ({'; '.join(parts)})"


@dataclass
class ImportReport:
    """What importing one file did."""

    source: str
    already_imported: bool
    projects: list[ProjectChange] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.already_imported:
            return [f"{self.source}: already imported, nothing changed"]
        counts = {s: sum(p.status == s for p in self.projects) for s in ("added", "replaced")}
        head = f"{self.source}: {len(self.projects)} projects ({counts['added']} added, "
        head += f"{counts['replaced']} replaced)"
        return [head] + [f"  {p.describe()}" for p in self.projects]


def import_document(engine: Engine, document: ParsedDocument) -> ImportReport:
    """Store a parsed document in one transaction and report what changed."""
    with unit_of_work(engine) as session:
        if document_by_hash(session, document.content_hash):
            return ImportReport(document.source_name, already_imported=True)
        doc_id = _insert_document(session, document)
        report = ImportReport(document.source_name, already_imported=False)
        for position, parsed in enumerate(document.projects):
            report.projects.append(_save_project(session, doc_id, position, parsed))
        _drop_orphan_documents(session, keep=doc_id)
    return report


def _insert_document(session: Session, document: ParsedDocument) -> int:
    """Insert the document's row; its id."""
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


def _save_project(
    session: Session, doc_id: int, position: int, parsed: ParsedProject
) -> ProjectChange:
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
        return ProjectChange(parsed.code, parsed.name, "added")
    assert existing.id is not None
    old = stored_snapshot(
        existing, project_plan(session, existing.id), project_indicators(session, existing.id)
    )
    new = parsed_snapshot(parsed)
    if old == new:
        return ProjectChange(parsed.code, parsed.name, "unchanged")
    session.exec(delete(Checkpoint).where(col(Checkpoint.project_id) == existing.id))
    session.exec(delete(Indicator).where(col(Indicator.project_id) == existing.id))
    existing.document_id, existing.position = doc_id, position
    _fill(session, existing, parsed)
    return _change(parsed, old, new)


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
        **{name: getattr(item, name) for name in INDICATOR_FIELDS},
        "comparator": value.comparator,
        "number": value.number,
        "number_max": value.number_max,
        "unit": value.unit,
        "kind": value.kind,
        "deadline": value.deadline,
    }


def _change(parsed: ParsedProject, old: dict[str, Any], new: dict[str, Any]) -> ProjectChange:
    change = ProjectChange(parsed.code, parsed.name, "replaced")
    old_values = {row[2]: row[4] for row in old["indicators"]}
    new_values = {row[2]: row[4] for row in new["indicators"]}
    change.added = [name for name in new_values if name not in old_values]
    change.removed = [name for name in old_values if name not in new_values]
    change.changed = [
        (name, old_values[name], value)
        for name, value in new_values.items()
        if name in old_values and old_values[name] != value
    ]
    change.fields = [name for name, value in new["fields"].items() if old["fields"][name] != value]
    if old["plan"] != new["plan"]:
        change.fields.append("plan")
    return change


def _drop_orphan_documents(session: Session, keep: int | None) -> None:
    used = select(Project.document_id)
    orphans = select(Document).where(col(Document.id).not_in(used), Document.id != keep)
    for orphan in session.exec(orphans):
        session.delete(orphan)
