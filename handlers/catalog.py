"""What the engine knows, read from the store once and kept until the store changes."""

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from sqlalchemy import Engine
from sqlmodel import Session

from handlers import catalog_cache
from handlers.fuzzy import Text, Weights, prepare
from handlers.match_index import IndicatorIndex, TextTable
from handlers.name_index import NameIndex
from handlers.normalize import half_width, squeeze
from handlers.project_aliases import derive_aliases
from handlers.wordlists import word_lists
from store.checkpoints import PlanPoint
from store.queries import (
    checkpoint_rows,
    document_titles,
    indicator_rows,
    project_rows,
    store_version,
)

if TYPE_CHECKING:
    from handlers.answer_rows import AnswerRows

T = TypeVar("T")


@dataclass(eq=False, slots=True)
class ProjectEntry:
    """A project with its loose names, plan and indicators; `place` is its place in the
    catalog's list of projects."""

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
    place: int = 0

    def __getstate__(self) -> tuple[object, ...]:
        """Its values (not the default dict of slots, kept until the catalog file is written)."""
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


@lru_cache(maxsize=4096)
def _prepared(text: str) -> Text:
    return prepare(text)


@dataclass(eq=False, slots=True)
class IndicatorEntry:
    """An indicator; its texts are prepared for matching when asked for."""

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
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickled as its values: the default (a dict of slots per indicator, kept until the whole
        catalog file is written) costs 60 MB more at city size."""
        return IndicatorEntry, tuple(getattr(self, name) for name in _INDICATOR_FIELDS)

    @property
    def name_text(self) -> Text:
        return _prepared(self.name)

    @property
    def description_text(self) -> Text:
        return _prepared(self.description or "")


_INDICATOR_FIELDS = tuple(field.name for field in fields(IndicatorEntry))


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
    match_index: IndicatorIndex
    name_index: NameIndex[ProjectEntry]
    rows: "AnswerRows | None" = None  # the answers broad replies list (handlers/answer_rows.py)
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """Something derived from the whole catalog, computed on first use and kept with it."""
        if key not in self.derived:
            self.derived[key] = compute()
        value: T = self.derived[key]
        return value

    def in_category(self, item: IndicatorEntry, category: str) -> bool:
        """Whether an indicator falls under a 一级 or 二级 category."""
        return in_category(item.level1, item.level2, category)


@lru_cache(maxsize=65536)  # a store has few distinct pairs of levels
def in_category(level1: str, level2: str, category: str) -> bool:
    """Whether a pair of 一级 / 二级 levels falls under a category (质量指标, 满意度 ...)."""
    stem = category.removesuffix("指标")
    return category in (level1, level2) or any(stem and stem in level for level in (level1, level2))


def _load_projects(session: Session, shared: dict[Any, Any]) -> dict[int, ProjectEntry]:
    """Projects by store id, in import order, with their plans and titles: three queries."""
    titles = document_titles(session)
    projects: dict[int, ProjectEntry] = {}
    for place, row in enumerate(project_rows(session)):
        projects[row.id] = ProjectEntry(
            code=row.code,
            name=row.name,
            year=row.year,
            money_unit=row.money_unit,
            budget=row.budget,
            fiscal_funds=row.fiscal_funds,
            other_funds=row.other_funds,
            purpose=row.purpose,
            goal=row.goal,
            aliases=derive_aliases(row.name, [row.department, row.unit]),
            department=shared.setdefault(row.department, row.department),
            unit=shared.setdefault(row.unit, row.unit),
            title=titles.get(row.document_id),
            place=place,
        )
    for project_id, label, month, day, amount in checkpoint_rows(session):
        projects[project_id].plan.append(
            PlanPoint(shared.setdefault(label, label), month, day, amount)
        )
    return projects


def _load_indicators(
    session: Session, projects: dict[int, ProjectEntry], shared: dict[Any, Any]
) -> None:
    """Every indicator, attached to its project: one query; repeated words kept once."""
    one = shared.setdefault
    for (
        key,
        level1,
        level2,
        name,
        description,
        value,
        basis,
        kind,
        deadline,
        unit,
        comparator,
        number,
        number_max,
    ) in indicator_rows(session):
        project = projects[key]
        item = IndicatorEntry(
            project, one(level1, level1), one(level2, level2), name, description, value,
            one(basis, basis), one(kind, kind), deadline, one(unit, unit),
            one(comparator, comparator), number, number_max,
        )  # fmt: skip
        project.indicators.append(item)


def _categories(indicators: list[IndicatorEntry]) -> dict[str, str]:
    """Category words -> canonical category, from language.json and the store's own levels."""
    table = {
        word: canonical for canonical, words in word_lists()["categories"].items() for word in words
    }
    for level in dict.fromkeys(lv for item in indicators for lv in (item.level1, item.level2)):
        table.setdefault(level, level)
        if len(level.removesuffix("指标")) >= 2:
            table.setdefault(level.removesuffix("指标"), level)
    return dict(sorted(table.items(), key=lambda pair: -len(pair[0])))


def _matched_unit(item: IndicatorEntry) -> str | None:
    """A unit a question may name to point at the indicator (平方米 yes, % no)."""
    return item.unit if item.unit and len(item.unit.strip("%")) >= 2 else None


def _match_index(indicators: list[IndicatorEntry]) -> IndicatorIndex:
    """Each indicator's texts numbered once; a text used N times weighs as N uses."""
    names = [item.name for item in indicators]
    descriptions = [item.description or "" for item in indicators]
    units = [_matched_unit(item) for item in indicators]
    with_units = [name + unit if unit else "" for name, unit in zip(names, units, strict=True)]
    numbers = {
        text: n for n, text in enumerate(dict.fromkeys([*names, *descriptions, *with_units]))
    }
    unit_numbers = {unit: n for n, unit in enumerate(dict.fromkeys(u for u in units if u))}
    roles = np.array(
        [
            [numbers[name] for name in names],
            [numbers[text] for text in descriptions],
            [numbers[text] if text else -1 for text in with_units],
            [unit_numbers[unit] if unit else -1 for unit in units],
        ],
        dtype=np.int32,
    ).T.copy()
    uses = np.bincount(roles[:, :2].reshape(-1), minlength=len(numbers))
    projects = np.array([item.project.place for item in indicators], dtype=np.int32)
    return IndicatorIndex(TextTable(list(numbers), uses), roles, list(unit_numbers), projects)


def _full_names_name_their_own(
    alias_map: dict[str, list[ProjectEntry]], projects: list[ProjectEntry]
) -> None:
    """A project's full name (as written or as a question is read) names only the projects of
    that name: 道路改造项目 is not also 道路改造项目（一期） and （二期）, whose name without
    the qualifier is an alias of theirs."""
    exact: dict[str, list[ProjectEntry]] = {}
    for project in projects:
        for written in {project.name, squeeze(half_width(project.name))}:
            exact.setdefault(written, []).append(project)
    for name, owners in exact.items():
        if name in alias_map:
            alias_map[name] = owners


def build_catalog(session: Session) -> Catalog:
    """Read the store in four queries and index it."""
    from handlers.answer_rows import build_rows  # (it builds answers from this module's entries)

    shared: dict[Any, Any] = {}
    by_id = _load_projects(session, shared)
    _load_indicators(session, by_id, shared)
    projects = list(by_id.values())
    indicators = [item for project in projects for item in project.indicators]
    alias_map: dict[str, list[ProjectEntry]] = {}
    for project in projects:
        for alias in project.aliases:
            alias_map.setdefault(alias, []).append(project)
    _full_names_name_their_own(alias_map, projects)
    aliases = sorted(alias_map.items(), key=lambda pair: -len(pair[0]))
    names = [i.name for i in indicators] + [i.description or "" for i in indicators]
    names += [alias for project in projects for alias in project.aliases]
    match_index = _match_index(indicators)
    return Catalog(
        projects=projects,
        indicators=indicators,
        weights=match_index.table.weights,
        names="\n".join(dict.fromkeys(names)),
        indicator_names="\n".join(dict.fromkeys(i.name for i in indicators)),
        aliases=aliases,
        categories=_categories(indicators),
        match_index=match_index,
        name_index=NameIndex(aliases, [p.name for p in projects], least_sound=3),
        rows=build_rows(projects, indicators),
    )


_CACHE: dict[str, tuple[tuple[object, ...], Catalog]] = {}
_BUILDING = threading.Lock()


def catalog_for(session: Session) -> Catalog:
    """The catalog of the session's database, rebuilt only when the store has changed (a new
    process loads the one built for this store version from its cache file); threads asking at
    once wait for one build."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    key = f"{id(engine)}:{engine.url}"
    version = store_version(session)
    cached = _CACHE.get(key)
    if cached and cached[0] == version:
        return cached[1]
    with _BUILDING:
        cached = _CACHE.get(key)
        if cached and cached[0] == version:
            return cached[1]
        _CACHE.pop(key, None)  # let the old catalog go before the new one is built
        gc.unfreeze()  # (its objects were frozen: the collector may free them again)
        loaded = catalog_cache.load_or_build(engine, version, lambda: build_catalog(session))
        catalog: Catalog = loaded
        _CACHE[key] = (version, catalog)
        gc.freeze()  # a catalog's million objects are never scanned by the collector again
    return catalog
