"""Parse indicator values (`≥600件`, `95%以上`, `2022年12月31日`) into their parts."""

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from store.vocab import vocab

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
DATE = "date"

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+|[零〇一二两三四五六七八九十百千]+)"
_RANGE_SEP = r"\s*(?:-|~|～|—|–|至|到)\s*"
_BEFORE = ("之前", "以前", "前")


@dataclass(frozen=True)
class ParsedValue:
    """The parts of a written value; `deadline` is set for dates."""

    kind: str
    comparator: str | None = None
    number: float | None = None
    number_max: float | None = None
    unit: str | None = None
    deadline: date | None = None


def cn_number(text: str) -> float | None:
    """Turn `12.5`, `十二` or `两百` into a number; None when it is not one."""
    if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", text):
        return float(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            return None
    return float(total + (digit or 0)) if text else None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return "".join(text.split())


def parse_date(text: str) -> ParsedValue | None:
    """Read dates and date ranges: 2022年12月31日, 2022年12月, 2023.07-2024.01, 2022年底."""
    clean = _clean(text)
    comparator = "<="
    for word in _BEFORE:
        if clean.endswith(word):
            clean = clean[: -len(word)]
            break
    else:
        comparator = "="
    ym = r"(\d{4})(?:年|\.|/|-)(\d{1,2})(?:月份?[底末]?)?"
    ymd = r"(\d{4})(?:年|\.|/|-)(\d{1,2})(?:月|\.|/|-)(\d{1,2})日?"
    end = None
    if m := re.fullmatch(ymd, clean):
        end = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(ym, clean):
        end = _safe_month_end(int(m[1]), int(m[2]))
    elif m := re.fullmatch(ym + _RANGE_SEP + ym, clean):
        end = _safe_month_end(int(m[3]), int(m[4]))
    elif m := re.fullmatch(ym + _RANGE_SEP + r"(\d{1,2})月?", clean):
        end = _safe_month_end(int(m[1]), int(m[3]))
    elif m := re.fullmatch(ymd + _RANGE_SEP + ymd, clean):
        end = _safe_date(int(m[4]), int(m[5]), int(m[6]))
    elif m := re.fullmatch(r"(\d{4})年(?:底|末|年底|年末|内)?", clean):
        end = date(int(m[1]), 12, 31)
    if end is None:
        return None
    return ParsedValue(kind=DATE, comparator=comparator, deadline=end)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _safe_month_end(year: int, month: int) -> date | None:
    return month_end(year, month) if 1 <= month <= 12 and year >= 1900 else None


@cache
def _comparator_words() -> list[tuple[str, str]]:
    words = [(w, op) for op, ws in vocab()["comparator_words"].items() for w in ws]
    normalised = [(unicodedata.normalize("NFKC", w), op) for w, op in words]
    return sorted(set(normalised), key=lambda pair: -len(pair[0]))


def _strip_prefix(text: str) -> tuple[str | None, str]:
    for word, op in _comparator_words():
        if text.startswith(word) and len(text) > len(word):
            return op, text[len(word) :]
    return None, text


def _strip_suffix(text: str) -> tuple[str | None, str]:
    for word, op in _comparator_words():
        if text.endswith(word) and len(text) > len(word) and word[0] not in "<>=≥≤":
            return op, text[: -len(word)]
    return None, text


def _is_cn(number: str) -> bool:
    return not number[0].isdigit() and number[0] != "."


def parse_quantity(text: str) -> ParsedValue | None:
    """Read `≥600件`, `95%以上`, `不低于90%`, `90%-95%`, `＝1个`; None if not a quantity."""
    clean = _clean(text)
    prefix_op, rest = _strip_prefix(clean)
    suffix_op, rest = _strip_suffix(rest)
    pattern = rf"({_NUMBER})(%?)(?:{_RANGE_SEP}({_NUMBER})%?)?([^\d]{{0,12}})"
    m = re.fullmatch(pattern, rest)
    if not m or (_is_cn(m[1]) and not m[4].startswith(tuple(vocab()["measure_words"]))):
        return None
    number = cn_number(m[1])
    high = cn_number(m[3]) if m[3] else None
    if number is None or (m[3] and high is None):
        return None
    unit = (m[2] + m[4]) or None
    comparator = prefix_op or suffix_op or ("between" if high is not None else "=")
    return ParsedValue(QUANTITATIVE, comparator, number, high, unit)


@lru_cache(maxsize=65536)  # immutable answers; a city's values repeat (`≥95%`, `100%`)
def parse_value(text: str) -> ParsedValue:
    """Classify a written value as a date, a quantity or qualitative text."""
    return parse_date(text) or parse_quantity(text) or ParsedValue(kind=QUALITATIVE)
