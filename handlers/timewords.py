"""Time words to checkpoint months: 6月底, 上半年, 一季度, Q1, end of March, 下个月, year-end."""

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.wordlists import word_lists

_CN_NUMBER = "一二三四五六七八九十"
_MONTH_ZH = re.compile(
    rf"(\d{{1,2}}|[{_CN_NUMBER}]{{1,3}})\s*月\s*(?:份)?\s*(?:\d{{1,2}}\s*[日号])?"
    r"\s*(?:之前|以前|底|末|末尾|前|初|中)?"
)
_MONTHS_EN = re.compile(r"(\d{1,2})\s*-?\s*months?(?![a-z])")


@dataclass(frozen=True)
class TimeWord:
    """A month found in a question and the words that named it."""

    month: int
    words: str


def _named(text: str) -> TimeWord | None:
    table = word_lists()["time"]["named"]
    for word in sorted(table, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text):
            return TimeWord(table[word], word)
    return None


def _relative(text: str, now: datetime) -> TimeWord | None:
    table = word_lists()["time"]["relative"]
    for word in sorted(table, key=len, reverse=True):
        if word not in text:
            continue
        shift = table[word]
        if shift == "quarter":
            return TimeWord((now.month - 1) // 3 * 3 + 3, word)
        if shift == "next_quarter":
            return TimeWord(((now.month - 1) // 3 * 3 + 5) % 12 + 1, word)
        return TimeWord((now.month - 1 + shift) % 12 + 1, word)
    return None


def _month_zh(text: str) -> TimeWord | None:
    numbers = word_lists()["time"]["months_zh"]
    for match in _MONTH_ZH.finditer(text):
        raw = match[1]
        month = int(raw) if raw.isdigit() else numbers.get(raw)
        if month and 1 <= month <= 12 and not text[: match.start()].endswith(("每", "个")):
            return TimeWord(month, match[0])
    return None


def _month_en(text: str) -> TimeWord | None:
    if match := _MONTHS_EN.search(text):
        month = int(match[1])
        return TimeWord(month, match[0]) if 1 <= month <= 12 else None
    names = word_lists()["time"]["months_en"]
    for word in sorted(names, key=len, reverse=True):
        pattern = rf"(?:(?:the\s+)?end\s+of\s+|by\s+)?(?<![a-z]){word}(?![a-z])"
        if match := re.search(pattern, text):
            return TimeWord(names[word], match[0])
    return None


def find_month(text: str, now: datetime) -> TimeWord | None:
    """The checkpoint month a (lower-cased) question names, relative words read against `now`."""
    return _named(text) or _month_zh(text) or _relative(text, now) or _month_en(text)
