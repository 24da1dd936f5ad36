"""Rules over ranked indicator hits: related names go together, unexplained words weaken."""

from handlers.catalog import IndicatorEntry
from handlers.indicator_search import Hit
from handlers.wordlists import word_lists

RELATED_FLOOR = 0.8  # a name containing (or inside) the asked one, scoring this, is related
UNEXPLAINED_RUN = 2  # this many question characters in a row that the indicator lacks


def _has_run(query: str, item: IndicatorEntry) -> bool:
    known = set(item.name) | set(item.description or "") | set(item.unit or "")
    run = 0
    for char in query:
        run = run + 1 if char not in known and char != " " else 0
        if run >= UNEXPLAINED_RUN:
            return True
    return False


def explained(query: str, hits: list[Hit]) -> list[Hit]:
    """The hits that explain every word of the question: 市民满意度 is not 使用对象满意度
    (words that tell nothing apart, such as 活动 or 数量, need no explaining)."""
    lists = word_lists()
    for word in sorted(lists["neutral_words"] + lists["fillers"], key=len, reverse=True):
        query = query.replace(word, " ")
    return [hit for hit in hits if not _has_run(query, hit.item)]


def with_related(query: str, matches: list[Hit], hits: list[Hit]) -> list[Hit]:
    """The matches plus indicators whose names contain the asked name or lie inside it
    (验收合格率 / 住房质量验收合格率), the exact name first."""
    if not matches or len(query) < 3:
        return matches
    chosen = {id(hit.item) for hit in matches}
    related = [
        hit
        for hit in hits
        if id(hit.item) not in chosen
        and hit.score >= RELATED_FLOOR
        and (query in hit.item.name or (len(hit.item.name) >= 3 and hit.item.name in query))
    ]
    every = matches + related
    return sorted(every, key=lambda hit: (hit.item.name != query, -hit.score))
