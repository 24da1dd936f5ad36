"""Recognise labels and headers of target tables, whatever their spelling."""

import re
import unicodedata
from functools import cache, lru_cache

from store.vocab import squash, vocab

_PARENTHESES = re.compile(r"\([^()]*\)$")
_CHECKPOINT = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:底|末)?")
_QUARTER = re.compile(r"(?:第)?([一二三四1234])季度(?:末|底)?")
_ACTUAL = re.compile(r"(执行情况|完成情况|完成值|实际值|执行数)$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MONTHS |= {"十": 10, "十一": 11, "十二": 12}


@lru_cache(maxsize=65536)  # the same labels and cells come back in every table
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


_PERIOD_PREFIX = re.compile(r"^(?:截[至止])?(?:\d{1,2}[-~—–至到])?\d{1,2}月(?:份)?(?:底|末)?")


@lru_cache(maxsize=65536)
def project_field(text: str) -> str | None:
    """The project field a label names (`项目编码` -> `code`), or None; a month period before
    it is read through (`1-7月执行数` -> `spent`, `1-7月执行率` -> `ignored`)."""
    key = label_key(text)
    table = _lookup("project_labels")
    found = table.get(key) or table.get(key.removeprefix("其中").lstrip(":"))  # 其中：中央资金
    if found is None and (period := _PERIOD_PREFIX.match(key)) and period.end() < len(key):
        found = table.get(key[period.end() :])
        return found if found in ("spent", "spent_forecast", "ignored") else None
    return found


def actual_month(label: str) -> int | None:
    """The month an actual's label dates it to: `1-7月执行数` -> 7, `全年执行数` or a self-
    evaluation's `实际完成值` -> 12; None for a forecast (`全年预计…`) or an undated label."""
    flat = label_key(label)
    if "预计" in flat:
        return None
    if months := re.findall(r"(\d{1,2})月", flat):
        month = int(months[-1])
        return month if 1 <= month <= 12 else None
    return 12 if any(word in flat for word in ("全年", "实际", "完成值")) else None


def is_undated_actual(label: str) -> bool:
    """An actual's label that names no period (`执行数`, `执行情况`): neither months, nor 全年
    or 实际完成值, nor a forecast; `targetbot import --as-of` dates it."""
    return actual_month(label) is None and "预计" not in label_key(label)


@lru_cache(maxsize=65536)  # every row of every table is asked whether it is a header
def indicator_column(text: str) -> str | None:
    """The indicator field a column header names (`指标值及单位` -> `value`), or None."""
    key, table = label_key(text), _lookup("indicator_columns")
    if key in table:
        return table[key]
    for word in _period_prefixes():
        if key.startswith(word) and key[len(word) :] in table:
            return table[key[len(word) :]]
    return "actual" if _ACTUAL.search(key) else None


def indicator_header(text: str) -> tuple[str | None, str | None]:
    """The field a column header names and its period (`annual`, `midterm` or None):
    `指标值(年度)` -> (value, annual), `中期指标值` -> (value, midterm),
    `1-7月执行情况` -> (actual, None)."""
    return indicator_column(text), header_period(text)


@cache
def _period_prefixes() -> tuple[str, ...]:
    """The period words a header may start with, longest first within each period."""
    periods = vocab()["period_words"].values()
    return tuple(w for words in periods for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=65536)
def header_period(text: str) -> str | None:
    """`midterm` when a header names a mid/long-term period, `annual` for a year, else None."""
    flat = squash(unicodedata.normalize("NFKC", text))
    for period in ("midterm", "annual"):
        if any(word in flat for word in vocab()["period_words"][period]):
            return period
    return None


@lru_cache(maxsize=4096)
def clean_category(text: str) -> str:
    """A 一级/二级指标 without the score or weight written after it: `产出指标(50分)`,
    `成本指标(0-20)分`, `产出指标50分` -> `产出指标`."""
    flat = unicodedata.normalize("NFKC", text).strip()
    flat = re.sub(r"\s*[(\[]?[\d.\-~～%]+\s*分?[)\]]?\s*分?$", "", flat)
    return flat.strip() or text.strip()


def _has_any(text: str, section: str) -> bool:
    flat = squash(unicodedata.normalize("NFKC", text))
    return any(unicodedata.normalize("NFKC", word) in flat for word in vocab()[section])


@lru_cache(maxsize=65536)
def is_sign_off(text: str) -> bool:
    """`主管部门审核意见`, `(盖章)`, `填表人：…`: the signatures and notes that follow a table
    (a cell that starts with such a word, or names an opinion or a seal)."""
    flat = squash(unicodedata.normalize("NFKC", text)).lstrip("([【")
    return flat.startswith(_sign_off_words()) or flat.endswith("意见") or "盖章" in flat


@cache
def _sign_off_words() -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFKC", word) for word in vocab()["sign_off_words"])


@lru_cache(maxsize=65536)
def is_total_row(text: str) -> bool:
    """`合计`, `部门合计`: a total line of a list-style sheet."""
    return label_key(text) in {label_key(w) for w in vocab()["total_row_words"]}


@lru_cache(maxsize=65536)
def is_template_residue(text: str) -> bool:
    """`(≥**%)`, `XX个`: a template cell nobody filled in."""
    return _has_any(text, "template_residue") and not re.search(r"[1-9]", text)


def is_department_wide(text: str) -> bool:
    """A title of a 部门整体绩效目标表."""
    return _has_any(text, "department_wide_words")


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=65536)
def label_money_unit(text: str) -> str | None:
    """The money unit a label names in brackets: `预算数（元）` -> `元`."""
    flat = squash(unicodedata.normalize("NFKC", text))
    m = re.search(r"\((千元|万元|亿元|元)\)", flat)
    return m[1] if m else None
