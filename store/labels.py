"""Recognise labels and headers of target tables, whatever their spelling."""

import re
import unicodedata
from functools import cache

from store.vocab import squash, vocab

_PARENTHESES = re.compile(r"\([^()]*\)$")
_CHECKPOINT = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:底|末)?")
_QUARTER = re.compile(r"(?:第)?([一二三四1234])季度(?:末|底)?")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MONTHS |= {"十": 10, "十一": 11, "十二": 12}


def label_key(text: str) -> str:
    """Normalise a label: half-width, no spaces, no trailing `（%）` or colon."""
    flat = squash(unicodedata.normalize("NFKC", text))
    flat = _PARENTHESES.sub("", flat).rstrip(":")
    return flat


@cache
def _lookup(section: str) -> dict[str, str]:
    table = {}
    for field, spellings in vocab()[section].items():
        for spelling in spellings:
            table[label_key(spelling)] = field
    return table


def project_field(text: str) -> str | None:
    """The project field a label names (`项目编码` -> `code`), or None."""
    key = label_key(text)
    return _lookup("project_labels").get(key) or _lookup("project_labels").get(
        key.removeprefix("其中")
    )


def indicator_column(text: str) -> str | None:
    """The indicator field a column header names (`指标值及单位` -> `value`), or None."""
    return _lookup("indicator_columns").get(label_key(text))


def checkpoint_month(text: str) -> int | None:
    """The month of a checkpoint header such as `6月底`, `六月末` or `第二季度`, or None."""
    key = label_key(text)
    if q := _QUARTER.fullmatch(key):
        return 3 * _QUARTERS[q[1]]
    m = _CHECKPOINT.fullmatch(key)
    if not m:
        return None
    month = int(m[1]) if m[1].isdigit() else _CN_MONTHS.get(m[1])
    return month if month and 1 <= month <= 12 else None


def money_unit(text: str) -> str | None:
    """`单位：万元` -> `万元`; None for any other text."""
    flat = squash(unicodedata.normalize("NFKC", text))
    for prefix in vocab()["money_unit_prefixes"]:
        prefix = unicodedata.normalize("NFKC", prefix)
        if flat.startswith(prefix) and flat[len(prefix) :].endswith("元"):
            return flat[len(prefix) :]
    return None


def level1_of(level2: str) -> str | None:
    """The 一级指标 a 二级指标 belongs to, for tables without that column."""
    level1: str | None = vocab()["level1_of_level2"].get(label_key(level2))
    return level1
