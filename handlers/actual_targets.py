"""Which project and indicator an actual is for: codes, names, and the loose names of questions."""

from datetime import datetime

from sqlmodel import Session

from handlers.catalog import catalog_for
from handlers.indicator_search import find
from handlers.question_reading import understand
from handlers.wordlists import glossary
from store.actuals import ActualRefused
from store.messages import Language, say
from store.models import Indicator, Project
from store.queries import find_projects, project_by_code, project_indicators


def projects_named(session: Session, text: str, now: datetime) -> list[Project]:
    """Projects a code or a (loose) name means."""
    matches = find_projects(session, text.strip())
    if not matches:
        reading = understand(text, catalog_for(session), now, glossary())
        matches = [p for e in reading.projects if (p := project_by_code(session, e.code))]
    return matches


def matched_note(session: Session, text: str, project: Project, language: Language) -> list[str]:
    """`人材住房 -> 人才住房购置及后期管理` when the name was matched loosely (not as a code,
    a name or part of one): a command that writes says which project it took."""
    if find_projects(session, text.strip()):
        return []
    return [say(language, "project_matched", typed=text.strip(), name=project.name)]


def resolve_project(session: Session, text: str, now: datetime) -> Project:
    """The one project a code or (loose) name means; ActualRefused when none or several."""
    matches = projects_named(session, text, now)
    if not matches:
        raise ActualRefused("actual_no_project", name=text)
    if len(matches) > 1:
        names = "、".join(p.name for p in matches)
        raise ActualRefused("actual_many_projects", name=text, names=names)
    return matches[0]


def resolve_indicator(
    session: Session, projects: list[Project], text: str
) -> tuple[Project, Indicator]:
    """The one indicator a name means, within `projects` (every project when empty)."""
    catalog = catalog_for(session)
    codes = {p.code for p in projects}
    scope = [e for e in catalog.projects if not codes or e.code in codes]
    exact = [i for e in scope for i in e.indicators if i.name == text.strip()]
    hits = exact or [hit.item for hit in find(text, catalog, scope)[0]]
    if not hits:
        where = "、".join(p.name for p in projects)
        raise ActualRefused("no_indicator", project=where, name=text)
    if len({(i.project.code, i.name) for i in hits}) > 1:
        names = "、".join(f"{i.project.name}｜{i.name}" for i in hits)
        raise ActualRefused("many_indicators", name=text, names=names)
    found = project_by_code(session, hits[0].project.code)
    assert found is not None and found.id is not None
    rows = [row for row in project_indicators(session, found.id) if row.name == hits[0].name]
    return found, rows[0]
