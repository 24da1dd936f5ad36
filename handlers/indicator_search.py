"""Rank indicators against what remains of a question; tell strong matches from weak ones."""

from dataclasses import dataclass

from handlers.catalog import Catalog, IndicatorEntry, ProjectEntry
from handlers.fuzzy import prepare, similarity

STRONG = 0.66  # below this a match is only a suggestion
TIE = 0.05  # matches this close to the best are equally good: show them all
TOO_VAGUE = 6  # this many equally good matches: the question names no indicator (公积金, 住房)
DESCRIPTION_WEIGHT = 0.9
UNIT_BONUS = 0.05  # 多少平方米 points at the indicator measured in 平方米


@dataclass(frozen=True)
class Hit:
    """An indicator and how well it matches."""

    item: IndicatorEntry
    score: float


def rank(query: str, catalog: Catalog, projects: list[ProjectEntry] | None = None) -> list[Hit]:
    """Every indicator (of `projects`, if given) scored against the query, best first."""
    prepared = prepare(query)
    pool = [i for i in catalog.indicators if not projects or i.project in projects]
    hits = []
    for item in pool:
        by_name = similarity(prepared, item.name_text, catalog.weights)
        by_description = similarity(prepared, item.description_text, catalog.weights)
        score = max(by_name, DESCRIPTION_WEIGHT * by_description)
        if item.unit and len(item.unit.strip("%")) >= 2 and item.unit in query:
            with_unit = similarity(prepared, prepare(item.name + item.unit), catalog.weights)
            score = max(score, with_unit) + UNIT_BONUS
        hits.append(Hit(item, score))
    return sorted(hits, key=lambda hit: -hit.score)


def best_matches(hits: list[Hit]) -> list[Hit]:
    """The strong hits about as good as the best one; empty when even the best is weak."""
    if not hits or hits[0].score < STRONG:
        return []
    best = [hit for hit in hits if hit.score >= max(STRONG, hits[0].score - TIE)]
    return best if len(best) < TOO_VAGUE else []


def near_misses(hits: list[Hit], limit: int = 3) -> list[IndicatorEntry]:
    """Weak hits worth suggesting ("did you mean ...")."""
    return [hit.item for hit in hits[:limit] if hit.score >= 0.45]


def find(
    query: str, catalog: Catalog, projects: list[ProjectEntry] | None = None
) -> tuple[list[Hit], list[Hit]]:
    """(strong matches, all hits) of a query; one character (率) only matches a name it equals."""
    hits = rank(query, catalog, projects)
    if len(query) == 1:
        return [hit for hit in hits if hit.item.name == query], hits
    return best_matches(hits), hits
