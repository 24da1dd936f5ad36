"""The `export --json` shape of CONTRACT.md, built from the store."""

from typing import Any

from sqlmodel import Session

from store.models import Checkpoint, Document, Indicator, Project
from store.queries import all_projects, documents_of, project_indicators, project_plan
from store.snapshot import INDICATOR_FIELDS


def document_json(doc: Document) -> dict[str, Any]:
    """A document's department, title and year."""
    return {"department": doc.department, "title": doc.title, "year": doc.year}


def checkpoint_json(point: Checkpoint) -> dict[str, Any]:
    """One plan checkpoint."""
    return {
        "checkpoint": point.label,
        "month": point.month,
        "date": point.date.isoformat(),
        "amount": point.amount,
    }


def indicator_json(item: Indicator, parsed: bool = False) -> dict[str, Any]:
    """One indicator; its weight when the document gives one; with `parsed`, its comparator,
    number, unit, kind and deadline too."""
    data: dict[str, Any] = {name: getattr(item, name) for name in INDICATOR_FIELDS}
    if item.weight is not None:
        data["weight"] = item.weight
    if parsed:
        data |= {
            "comparator": item.comparator,
            "number": item.number,
            "number_max": item.number_max,
            "unit": item.unit,
            "kind": item.kind,
            "deadline": item.deadline.isoformat() if item.deadline else None,
        }
    return data


def written_fields(project: Project) -> dict[str, Any]:
    """What only some documents write: amounts in another unit than 万元 (`source_money_unit`,
    the amounts are still exported in 万元) and a 中期目标 (`midterm_goal`)."""
    data: dict[str, Any] = {}
    if project.source_money_unit != project.money_unit:
        data["source_money_unit"] = project.source_money_unit
    if project.midterm_goal is not None:
        data["midterm_goal"] = project.midterm_goal
    return data


def project_json(session: Session, project: Project, parsed: bool = False) -> dict[str, Any]:
    """One project with its plan and indicators; the fields of written_fields() only when the
    document has them."""
    assert project.id is not None
    return {
        "code": project.code,
        "name": project.name,
        "department": project.department,
        "unit_code": project.unit_code,
        "unit": project.unit,
        "year": project.year,
        "money_unit": project.money_unit,
        "budget": project.budget,
        "fiscal_funds": project.fiscal_funds,
        "other_funds": project.other_funds,
        "purpose": project.purpose,
        "goal": project.goal,
        **written_fields(project),
        "plan": [checkpoint_json(p) for p in project_plan(session, project.id)],
        "indicators": [indicator_json(i, parsed) for i in project_indicators(session, project.id)],
    }


def export_all(session: Session, parsed: bool = False) -> dict[str, Any]:
    """Every project; `document` describes their document (`documents` when several)."""
    projects = all_projects(session)
    documents = documents_of(session, projects)
    data: dict[str, Any] = {}
    if documents:
        data["document"] = document_json(documents[0])
    if len(documents) > 1:
        data["documents"] = [document_json(d) for d in documents]
    data["projects"] = [project_json(session, p, parsed) for p in projects]
    return data
