"""Rank indicators against what remains of a question; tell strong matches from weak ones."""

from dataclasses import dataclass

from handlers.catalog import Catalog, IndicatorEntry, ProjectEntry
from handlers.fuzzy import prepare

STRONG = 0.66  # below this a match is only a suggestion
TIE = 0.05  # matches this close to the best are equally good: show them all
TOO_VAGUE = 6  # this many equally good matches: the question names no indicator (公积金, 住房)
SUGGEST = 0.45  # a weak hit at least this good is worth suggesting
SOUND_ONLY = 0.6  # ... and this good when it shares no character with the question (天气 ~ 逾期)
KEEP = 10  # rank() returns at least this many of the best hits (when they score FLOOR)
FLOOR = 0.36  # hits under this explain nothing of the question and are left out


@dataclass(frozen=True)
class Hit:
    """An indicator and how well it matches."""

    item: IndicatorEntry
    score: float


def rank(query: str, catalog: Catalog, projects: list[ProjectEntry] | None = None) -> list[Hit]:
    """The best indicators (of `projects`, if given) for the query, best first: every one within
    TIE of the best and the KEEP best, none scoring under FLOOR."""
    prepared = prepare(query)
    if not prepared.text:
        return []
    index = catalog.match_index
    members = index.members(None if not projects else [p.place for p in projects])
    found = index.search(prepared, query, members, KEEP, TIE, FLOOR)
    return [Hit(catalog.indicators[number], score) for number, score in found]


def best_matches(hits: list[Hit]) -> list[Hit]:
    """The strong hits about as good as the best one; empty when even the best is weak."""
    if not hits or hits[0].score < STRONG:
        return []
    best = [hit for hit in hits if hit.score >= max(STRONG, hits[0].score - TIE)]
    return best if len(best) < TOO_VAGUE else []


def near_misses(hits: list[Hit], question: str, limit: int = 3) -> list[IndicatorEntry]:
    """Weak hits worth suggesting ("did you mean ..."): at least SUGGEST, and SOUND_ONLY when
    only their sound is like the question's (no character in common); below that floor the
    question gets example questions instead."""
    asked = {char for char in question if char.isalnum()}
    return [
        hit.item
        for hit in hits[:limit]
        if hit.score >= (SUGGEST if asked & _characters(hit.item) else SOUND_ONLY)
    ]


def _characters(item: IndicatorEntry) -> set[str]:
    return set(item.name) | set(item.description or "")


def find(
    query: str, catalog: Catalog, projects: list[ProjectEntry] | None = None
) -> tuple[list[Hit], list[Hit]]:
    """(strong matches, all hits) of a query; one character (率) only matches a name it equals."""
    hits = rank(query, catalog, projects)
    if len(query) == 1:
        return [hit for hit in hits if hit.item.name == query], hits
    return best_matches(hits), hits
