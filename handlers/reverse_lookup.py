"""Indicators by their target: 哪些指标要求100%, 满意度要求95%以上的有哪些, 截止时间是年底的指标."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers.answer_items import indicator_answer
from handlers.catalog import Catalog, IndicatorEntry, ProjectEntry
from handlers.kind_builders import language_of, make_reply
from handlers.normalize import remove_fillers
from handlers.question_reading import Understanding
from handlers.reply import Reply
from handlers.reply_text import answer_line
from handlers.wordlists import word_lists
from store.messages import Language, say

_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|[\u4e00-\u9fff]{0,4})")
_DATE = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")


def _words() -> dict[str, Any]:
    words: dict[str, Any] = word_lists()["reverse_lookup"]
    return words


@dataclass(frozen=True)
class Condition:
    """What an indicator's target must be: a number (with comparator and unit) or a deadline."""

    number: float | None = None
    unit: str | None = None
    comparator: str = "="  # = | >= | <=
    month: int | None = None
    day: int | None = None
    words: str = ""

    def holds(self, item: IndicatorEntry) -> bool:
        if self.month is not None:
            return _due(item.deadline, self.month, self.day)
        if item.number is None or self.number is None:
            return False
        if self.unit and (item.unit or "") != self.unit:
            return False
        if self.comparator == ">=":
            return item.number >= self.number and item.comparator not in ("<=", "<")
        if self.comparator == "<=":
            return item.number <= self.number and item.comparator not in (">=", ">")
        return item.number == self.number or item.number_max == self.number

    def describe(self, language: Language) -> str:
        if self.month is not None:
            day = f"{self.day}日" if self.day else "底"
            shown = (
                f"{self.month}月{day}" if language == "zh" else f"{self.month}/{self.day or 'end'}"
            )
            return say(language, "condition_deadline", date=shown)
        value = f"{self.number:g}{self.unit or ''}"
        key = {">=": "condition_at_least", "<=": "condition_at_most"}.get(self.comparator)
        return say(language, key or "condition_equal", value=value)


def _due(deadline: date | None, month: int, day: int | None) -> bool:
    if deadline is None or deadline.month != month:
        return False
    return day is None or deadline.day == day


def _comparator(text: str) -> str:
    """>=, <= or =, by the longest comparing word in the text (不超过 before 超过)."""
    pairs: list[tuple[str, str]] = [
        (w, c) for c, words in _words()["comparators"].items() for w in words
    ]
    for word, comparator in sorted(pairs, key=lambda pair: -len(pair[0])):
        if word in text:
            return comparator
    return "="


def _number_condition(text: str, units: set[str]) -> Condition | None:
    for match in _NUMBER.finditer(text):
        tail = match[2]
        if tail[:1] in ("月", "日", "号", "年", "季"):
            continue
        unit = "%" if tail == "%" else _unit_of(tail, units)
        words = match[1] + (unit or "")
        return Condition(float(match[1]), unit, _comparator(text), words=words)
    return None


def _unit_of(tail: str, units: set[str]) -> str | None:
    """The store's unit the words after a number start with (人次 in 1000人次以上)."""
    return next((u for u in sorted(units, key=len, reverse=True) if tail.startswith(u)), None)


def read_condition(reading: Understanding, catalog: Catalog) -> Condition | None:
    """The condition a question asks indicators to meet, when it asks for indicators by value."""
    text, words = reading.text, _words()
    asks_which = any(w in text for w in words["which"])
    units = catalog.memo("units", lambda: {i.unit for i in catalog.indicators if i.unit})
    number = _number_condition(text, units)
    if number and (asks_which or number.comparator != "="):
        return number
    money = {"budget", "budget_weak", "plan", "whole_plan", "total"} & set(reading.cues)
    if any(w in text for w in words["deadline"]) and (asks_which or "指标" in text or not money):
        if day := _DATE.search(text):
            return Condition(month=int(day[1]), day=int(day[2]), words=day[0])
        if reading.time:
            return Condition(month=reading.time.month, words=reading.time.words)
    return None


def _name_filter(reading: Understanding, condition: Condition, catalog: Catalog) -> str:
    """What else the question says about the indicators (满意度), without the condition."""
    words = _words()
    known = words["which"] + words["deadline"] + words["fillers"]
    known += [word for group in words["comparators"].values() for word in group]
    text = reading.rest.replace(condition.words, " ")
    for word in sorted(known, key=len, reverse=True):
        text = text.replace(word, " ")
    text = re.sub(r"[\d.%\s]+", "", text)
    return remove_fillers(text, catalog.names).replace("指标", "")


def _named(item: IndicatorEntry, words: str, catalog: Catalog) -> bool:
    return not words or words in item.name or catalog.in_category(item, words)


def lookup(
    reading: Understanding, catalog: Catalog, scope: list[ProjectEntry], condition: Condition
) -> Reply:
    """The indicators of the projects in scope whose target meets the condition."""
    language = language_of(reading)
    words = _name_filter(reading, condition, catalog)
    items = [
        item
        for project in scope
        for item in project.indicators
        if condition.holds(item) and _named(item, words, catalog)
    ]
    described = condition.describe(language)
    if not items:
        return make_reply(
            reading, "lookup", [], [say(language, "lookup_none", condition=described)]
        )
    answers = [indicator_answer(item) for item in items]
    head = say(language, "lookup_found", condition=described, count=len(answers))
    lines = [answer_line(a, language) for a in answers]
    return make_reply(reading, "lookup", answers, lines, title=head)
