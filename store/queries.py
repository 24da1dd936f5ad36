"""Read queries the CLI and the bot share."""

from typing import Any

from sqlalchemy import Executable, Select, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from store.checkpoints import PlanPoint
from store.models import Checkpoint, Document, Indicator, Project, Subscription


def all_projects(session: Session) -> list[Project]:
    """Every project in the order it was first imported (a replaced project keeps its place)."""
    query = select(Project).order_by(col(Project.id))
    return list(session.exec(query))


def project_plan(session: Session, project_id: int) -> list[Checkpoint]:
    """A project's checkpoints by month."""
    query = select(Checkpoint).where(Checkpoint.project_id == project_id)
    return list(session.exec(query.order_by(col(Checkpoint.month))))


def project_plan_points(session: Session, project_id: int) -> list[PlanPoint]:
    """A project's checkpoints by month, as plain plan points."""
    return [
        PlanPoint(p.label, p.month, p.date, p.amount) for p in project_plan(session, project_id)
    ]


def project_indicators(session: Session, project_id: int) -> list[Indicator]:
    """A project's indicators in table order."""
    query = select(Indicator).where(Indicator.project_id == project_id)
    return list(session.exec(query.order_by(col(Indicator.position))))


def project_rows(session: Session) -> list[Any]:
    """Every project's fields (no ORM objects), in import order: one query."""
    query = _columns(
        Project.id,
        Project.code,
        Project.name,
        Project.year,
        Project.money_unit,
        Project.budget,
        Project.fiscal_funds,
        Project.other_funds,
        Project.purpose,
        Project.goal,
        Project.department,
        Project.unit,
        Project.document_id,
    )
    return _rows(session, query.order_by(col(Project.id)))


def document_titles(session: Session) -> dict[int, str | None]:
    """Each document's title by its id: one query."""
    query = _columns(Document.id, Document.title)
    return {doc_id: title for doc_id, title in _rows(session, query)}


def _rows(session: Session, query: Executable) -> list[Any]:
    """Plain rows through the session's connection, without the ORM's per-row work."""
    return list(session.connection().execute(query).fetchall())


def _columns(*columns: Any) -> Select[Any]:
    """SELECT of model columns (any number of them)."""
    return select_columns(*columns)


def checkpoint_rows(session: Session) -> list[Any]:
    """Every checkpoint as (project_id, label, month, date, amount) by project and month."""
    query = _columns(
        Checkpoint.project_id,
        Checkpoint.label,
        Checkpoint.month,
        Checkpoint.date,
        Checkpoint.amount,
    )
    return _rows(session, query.order_by(col(Checkpoint.project_id), col(Checkpoint.month)))


def indicator_rows(session: Session) -> list[Any]:
    """Every indicator's fields the engine answers from, by project and table order."""
    query = _columns(
        Indicator.project_id,
        Indicator.level1,
        Indicator.level2,
        Indicator.name,
        Indicator.description,
        Indicator.value,
        Indicator.basis,
        Indicator.kind,
        Indicator.deadline,
        Indicator.unit,
        Indicator.comparator,
        Indicator.number,
        Indicator.number_max,
    )
    return _rows(session, query.order_by(col(Indicator.project_id), col(Indicator.position)))


def project_by_code(session: Session, code: str) -> Project | None:
    """The project with this code."""
    return session.exec(select(Project).where(Project.code == code)).first()


def projects_by_code(session: Session, codes: list[str]) -> dict[str, Project]:
    """The stored projects with these codes, by code: one query per 500 codes."""
    found: dict[str, Project] = {}
    for start in range(0, len(codes), 500):
        query = select(Project).where(col(Project.code).in_(codes[start : start + 500]))
        found.update((project.code, project) for project in session.exec(query))
    return found


def indicator_counts(session: Session) -> dict[int, int]:
    """How many indicators each project has, by project id: one query."""
    query = _columns(Indicator.project_id, func.count()).group_by(col(Indicator.project_id))
    return dict(_rows(session, query))


def codes_in_store(session: Session, codes: list[str]) -> set[str]:
    """Which of the codes the store already holds: one query per 500 codes."""
    found: set[str] = set()
    for start in range(0, len(codes), 500):
        query = select(Project.code).where(col(Project.code).in_(codes[start : start + 500]))
        found.update(session.exec(query))
    return found


def find_projects(session: Session, code_or_name: str) -> list[Project]:
    """Projects whose code is, or whose name contains, the given text (none for a blank one)."""
    if not code_or_name.strip():
        return []
    if exact := project_by_code(session, code_or_name):
        return [exact]
    named = [p for p in all_projects(session) if p.name == code_or_name]
    if named:
        return named
    return [p for p in all_projects(session) if code_or_name in p.name]


def document_by_hash(session: Session, content_hash: str) -> Document | None:
    """The document imported with this content hash."""
    return session.exec(select(Document).where(Document.content_hash == content_hash)).first()


def documents_of(session: Session, projects: list[Project]) -> list[Document]:
    """The documents the given projects came from, in import order."""
    ids = sorted({p.document_id for p in projects})
    return [doc for doc_id in ids if (doc := session.get(Document, doc_id))]


def store_version(session: Session) -> tuple[object, ...]:
    """Changes whenever a document is imported or a project replaced (a replacement from a
    file imported before touches that document's import time)."""
    projects = select_columns(func.count(col(Project.id)), func.max(Project.id)).subquery()
    query = select_columns(
        select_columns(func.max(Document.id)).scalar_subquery(),
        select_columns(func.max(Document.imported_at)).scalar_subquery(),
        projects.c[0],
        projects.c[1],
    )  # one statement: asked before every question
    return tuple(session.connection().execute(query).one())


def subscriptions_version(session: Session) -> tuple[object, ...]:
    """Changes whenever a subscription is added or changed."""
    row = session.exec(select(func.count(col(Subscription.id)), func.max(Subscription.updated_at)))
    return tuple(row.one())
