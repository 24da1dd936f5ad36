"""Small readings the parsing core shares: codes before names, comparator and unit columns,
plan shares, and the code of a project that prints none."""

import hashlib
import re

from store import labels
from store.indicator_values import parse_value


def strip_code(name: str) -> str:
    """`[101]某某局` or `101-某某局` -> `某某局`: the code some forms print before a name."""
    return re.sub(
        r"^\s*[\[【(（]?\d{2,12}[\]】)）]?\s*[-—_:：]?\s*(?=[\u4e00-\u9fff])", "", name
    ).strip()


def compose_value(comparator: str, value: str, unit: str) -> str:
    """Join a value with comparator and unit columns, unless the value already has them."""
    if comparator and labels.label_key(comparator) not in value and _is_comparator(comparator):
        value = comparator + value
    if unit and value and not value.endswith(unit) and value[-1].isdigit():
        value = value + unit
    return value


def _is_comparator(text: str) -> bool:
    """`≥`, `不低于`: worth showing before the value (`=` adds nothing)."""
    return parse_value(text + "1").comparator not in (None, "=")


def looks_like_percent(amounts: list[float | None], budget: float | None) -> bool:
    """A plan under a `（%）` header holds shares when they end at 100 and the budget differs."""
    known = [a for a in amounts if a is not None]
    if not known or budget is None or max(known) > 100:
        return False
    return abs(known[-1] - 100) < 0.5 and abs(known[-1] - budget) > 0.01 * max(budget, 1)


def derived_code(department: str | None, year: int, name: str) -> str:
    """A stable project code for documents that print none."""
    digest = hashlib.sha1(f"{department or ''}|{year}|{name}".encode()).hexdigest()
    return f"X{year}{digest[:12].upper()}"
