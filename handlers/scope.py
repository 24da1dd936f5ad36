"""Scope words of a question: place (成都的), department (公积金中心, 武侯区教育局) and year."""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from handlers.catalog import Catalog, ProjectEntry
from handlers.fuzzy import syllables
from handlers.pinyin import every_reading
from handlers.wordlists import word_lists

_CJK = "\u4e00-\u9fff"


def _rules() -> dict[str, Any]:
    rules: dict[str, Any] = word_lists()["scope"]
    return rules


@dataclass(frozen=True)
class ScopeWords:
    """What a question says about where and when: the words, and the projects they allow."""

    places: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    year: int | None = None
    words: tuple[str, ...] = ()

    @property
    def said(self) -> bool:
        return bool(self.places or self.departments or self.year)

    def label(self) -> str:
        """How the scope reads in a message: 2023年成都."""
        year = f"{self.year}年" if self.year else ""
        return year + "".join(self.places) + "".join(self.departments)


@dataclass
class Scoped:
    """The projects a question is about after scope words and the latest-year rule."""

    words: ScopeWords
    projects: list[ProjectEntry]
    hidden_years: list[int] = field(default_factory=list)


def places_of(owner: str | None) -> list[str]:
    """The places an owner's name starts with: 成都市武侯区教育局 -> [成都, 武侯]."""
    return list(_places_of(owner))


@lru_cache(maxsize=65536)  # a city's projects share a few hundred departments and units
def _places_of(owner: str | None) -> tuple[str, ...]:
    suffixes = "|".join(_rules()["place_suffixes"])
    pattern = re.compile(rf"([{_CJK}]{{2,3}}?)({suffixes})")
    places, text = [], re.sub(r"[（(].*?[）)]", "", owner or "")
    while match := pattern.match(text):
        places.append(match[1])
        text = text[match.end() :]
    return tuple(places)


def project_places(project: ProjectEntry) -> set[str]:
    """Every place named by the project's department, unit or document title."""
    return {
        p for owner in (project.department, project.unit, project.title) for p in places_of(owner)
    }


@lru_cache(maxsize=65536)
def department_core(owner: str) -> str:
    """A department's name without places, brackets and 本级: 成都市民政局 -> 民政局."""
    text = re.sub(r"[（(].*?[）)]", "", owner)
    for place in places_of(text):
        text = text[text.index(place) + len(place) :]
        text = re.sub(rf"^({'|'.join(_rules()['place_suffixes'])})", "", text)
    return text.removesuffix("本级")


def _subsequence(word: str, text: str) -> bool:
    rest = iter(text)
    return all(char in rest for char in word)


def _department_word(text: str, core: str) -> str | None:
    """The department as the question says it: whole, or shortened (公积金中心 for
    住房公积金管理中心): a run of 3+ characters that starts with a 2-character piece of the
    name and keeps its ending (中心, 局 ...)."""
    if len(core) >= 3 and core in text:
        return core
    for ending in _rules()["department_endings"]:
        if not core.endswith(ending):
            continue
        for match in re.finditer(re.escape(ending), text):
            for start in range(max(0, match.start() - 6), match.start() - 1):
                word = text[start : match.end()]
                if text[start : start + 2] in core and _subsequence(word, core):
                    return word
    return None


@dataclass(frozen=True)
class ScopeIndex:
    """Places and departments of a catalog's projects, computed once per catalog."""

    places: dict[int, frozenset[str]]
    departments: dict[int, frozenset[str]]
    spellings: dict[str, str]

    @property
    def all_places(self) -> set[str]:
        return set().union(*self.places.values()) if self.places else set()

    @property
    def all_departments(self) -> set[str]:
        return set().union(*self.departments.values()) if self.departments else set()


_INDEXES: dict[int, tuple[Catalog, ScopeIndex]] = {}


def scope_index(catalog: Catalog) -> ScopeIndex:
    """The scope index of a catalog (cached while the catalog lives)."""
    cached = _INDEXES.get(id(catalog))
    if cached and cached[0] is catalog:
        return cached[1]
    places = {id(p): frozenset(project_places(p)) for p in catalog.projects}
    departments = {
        id(p): frozenset(department_core(o) for o in (p.department, p.unit) if o)
        for p in catalog.projects
    }
    every = set().union(*places.values()) if places else set()
    spellings = {"".join(read): place for place in every for read in every_reading(place)}
    index = ScopeIndex(places, departments, spellings)
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[id(catalog)] = (catalog, index)
    return index


def known_places(catalog: Catalog) -> set[str]:
    """Every place the store's projects belong to."""
    return scope_index(catalog).all_places


def english_places(text: str, catalog: Catalog) -> str:
    """chengdu -> 成都: a place written in pinyin becomes its Chinese name."""
    for spelled, place in scope_index(catalog).spellings.items():
        text = re.sub(rf"(?<![a-z]){spelled}(?![a-z])", place, text)
    return text


def _find_year(text: str) -> tuple[int | None, str]:
    """2023年, 2023年度的, the 2023 ...: a year (and the words that said it)."""
    pattern = r"(?<![\d.])(20\d{2})(?:\s*年度?|(?![\d%.万]))(?:的)?"
    if match := re.search(pattern, text):
        return int(match[1]), match[0]
    return None, ""


def _sounding_like(text: str, word: str) -> str | None:
    """The part of the text that sounds like `word` (成督 for 成都), if any."""
    sounds, wanted = syllables(text), every_reading(word)
    for start in range(len(text) - len(word) + 1):
        if sounds[start : start + len(word)] in wanted:
            return text[start : start + len(word)]
    return None


def _departments_sharing_a_pair(text: str, catalog: Catalog) -> list[str]:
    """The store's departments, longest first, that hold two consecutive characters of the text
    (no other can be named in it: see _department_word)."""
    ordered, by_pair = catalog.memo("department pairs", lambda: _department_pairs(catalog))
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    found = set().union(*(by_pair.get(pair, ()) for pair in pairs))
    return [core for core in ordered if core in found]


def _department_pairs(catalog: Catalog) -> tuple[list[str], dict[str, set[str]]]:
    ordered = sorted(scope_index(catalog).all_departments, key=len, reverse=True)
    by_pair: dict[str, set[str]] = {}
    for core in ordered:
        for i in range(len(core) - 1):
            by_pair.setdefault(core[i : i + 2], set()).add(core)
    return ordered, by_pair


def read_scope(text: str, catalog: Catalog) -> tuple[ScopeWords, str]:
    """The scope words of a (normalised) question, and the question without them."""
    all_places = known_places(catalog)
    year, year_words = _find_year(text)
    words = [year_words] if year_words else []
    text = text.replace(year_words, " ", 1) if year_words else text
    departments = []
    for core in _departments_sharing_a_pair(text, catalog):
        if word := _department_word(text, core):
            departments.append(core)
            words.append(word)
            text = text.replace(word, " ", 1)
    places = []
    for place in sorted(all_places, key=len, reverse=True):
        said = place if place in text else _sounding_like(text, place)
        suffixes = "|".join(_rules()["place_suffixes"])
        if said and (match := re.search(rf"{said}(?:{suffixes})?(?:的)?", text)):
            places.append(place)
            words.append(match[0])
            text = text.replace(match[0], " ", 1)
    return ScopeWords(tuple(places), tuple(departments), year, tuple(words)), text


def _in_scope(project: ProjectEntry, words: ScopeWords, index: ScopeIndex) -> bool:
    if words.year and project.year != words.year:
        return False
    if words.places and not set(words.places) <= index.places[id(project)]:
        return False
    return set(words.departments) <= index.departments[id(project)]


def scoped_projects(words: ScopeWords, catalog: Catalog) -> Scoped:
    """The projects the scope allows; of a project in several years only the latest, unless
    a year was said (computed once per catalog and scope)."""
    key = ("scoped", words.places, words.departments, words.year)
    kept, hidden = catalog.memo(key, lambda: _scoped(words, catalog))
    return Scoped(words, list(kept), list(hidden))


def _scoped(words: ScopeWords, catalog: Catalog) -> tuple[list[ProjectEntry], list[int]]:
    index = scope_index(catalog)
    allowed = [p for p in catalog.projects if _in_scope(p, words, index)]
    if words.year:
        return allowed, []
    latest: dict[tuple[str, str], int] = {}
    for project in allowed:
        key = (project.name, department_core(project.department or ""))
        latest[key] = max(latest.get(key, project.year), project.year)
    kept = [p for p in allowed if latest[(p.name, department_core(p.department or ""))] == p.year]
    kept_ids = {id(p) for p in kept}
    hidden = sorted({p.year for p in allowed if id(p) not in kept_ids})
    return kept, hidden
