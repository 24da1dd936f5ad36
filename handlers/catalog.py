"""What the engine knows, read from the store once and kept until the store changes."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from handlers.fuzzy import Text, Weights, prepare
from handlers.project_aliases import derive_aliases
from handlers.wordlists import word_lists
from store.checkpoints import PlanPoint
from store.models import Document, Project
from store.queries import all_projects, project_indicators, project_plan_points, store_version


@dataclass(eq=False)
class ProjectEntry:
    """A project with its loose names, plan and indicators."""

    code: str
    name: str
    year: int
    money_unit: str
    budget: float | None
    fiscal_funds: float | None
    other_funds: float | None
    purpose: str | None
    goal: str | None
    aliases: list[str]
    plan: list[PlanPoint] = field(default_factory=list)
    indicators: list["IndicatorEntry"] = field(default_factory=list)
    department: str | None = None
    unit: str | None = None
    title: str | None = None


@dataclass
class IndicatorEntry:
    """An indicator prepared for matching."""

    project: ProjectEntry
    level1: str
    level2: str
    name: str
    description: str | None
    value: str
    basis: str | None
    kind: str
    deadline: date | None
    unit: str | None
    name_text: Text
    description_text: Text
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None


@dataclass
class Catalog:
    """Projects, indicators and the indexes the engine matches questions against."""

    projects: list[ProjectEntry]
    indicators: list[IndicatorEntry]
    weights: Weights
    names: str
    indicator_names: str
    aliases: list[tuple[str, list[ProjectEntry]]]
    categories: dict[str, str]

    def in_category(self, item: IndicatorEntry, category: str) -> bool:
        """Whether an indicator falls under a 一级 or 二级 category."""
        stem = category.removesuffix("指标")
        return category in (item.level1, item.level2) or any(
            stem and stem in level for level in (item.level1, item.level2)
        )


def _project_entry(session: Session, project: Project, title: str | None = None) -> ProjectEntry:
    assert project.id is not None
    entry = ProjectEntry(
        code=project.code,
        name=project.name,
        year=project.year,
        money_unit=project.money_unit,
        budget=project.budget,
        fiscal_funds=project.fiscal_funds,
        other_funds=project.other_funds,
        purpose=project.purpose,
        goal=project.goal,
        aliases=derive_aliases(project.name, [project.department, project.unit]),
        department=project.department,
        unit=project.unit,
        title=title,
    )
    entry.plan = project_plan_points(session, project.id)
    entry.indicators = [
        IndicatorEntry(
            project=entry,
            level1=i.level1,
            level2=i.level2,
            name=i.name,
            description=i.description,
            value=i.value,
            basis=i.basis,
            kind=i.kind,
            deadline=i.deadline,
            unit=i.unit,
            name_text=prepare(i.name),
            description_text=prepare(i.description or ""),
            comparator=i.comparator,
            number=i.number,
            number_max=i.number_max,
        )
        for i in project_indicators(session, project.id)
    ]
    return entry


def _categories(indicators: list[IndicatorEntry]) -> dict[str, str]:
    """Category words -> canonical category, from language.json and the store's own levels."""
    table = {
        word: canonical for canonical, words in word_lists()["categories"].items() for word in words
    }
    for item in indicators:
        for level in (item.level1, item.level2):
            table.setdefault(level, level)
            if len(level.removesuffix("指标")) >= 2:
                table.setdefault(level.removesuffix("指标"), level)
    return dict(sorted(table.items(), key=lambda pair: -len(pair[0])))


def build_catalog(session: Session) -> Catalog:
    """Read every project from the store and index it."""
    titles = {d.id: d.title for d in session.exec(select(Document))}
    projects = [
        _project_entry(session, p, titles.get(p.document_id)) for p in all_projects(session)
    ]
    indicators = [item for project in projects for item in project.indicators]
    alias_map: dict[str, list[ProjectEntry]] = {}
    for project in projects:
        for alias in project.aliases:
            alias_map.setdefault(alias, []).append(project)
    names = [i.name for i in indicators] + [i.description or "" for i in indicators]
    names += [alias for project in projects for alias in project.aliases]
    return Catalog(
        projects=projects,
        indicators=indicators,
        weights=Weights(
            [i.name_text for i in indicators] + [i.description_text for i in indicators]
        ),
        names="\n".join(names),
        indicator_names="\n".join(i.name for i in indicators),
        aliases=sorted(alias_map.items(), key=lambda pair: -len(pair[0])),
        categories=_categories(indicators),
    )


_CACHE: dict[str, tuple[tuple[object, ...], Catalog]] = {}


def catalog_for(session: Session) -> Catalog:
    """The catalog of the session's database, rebuilt only when the store has changed."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    key = f"{id(engine)}:{engine.url}"
    version = store_version(session)
    cached = _CACHE.get(key)
    if cached and cached[0] == version:
        return cached[1]
    catalog = build_catalog(session)
    _CACHE[key] = (version, catalog)
    return catalog
