"""The monitoring vocabulary of store/data/monitoring.json: units, reasons, likelihoods, headers."""

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def vocabulary() -> dict[str, Any]:
    """The whole data file."""
    text = files("store").joinpath("data", "monitoring.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _canonical(table: dict[str, list[str]], word: str) -> str | None:
    folded = word.strip().lower()
    for name, spellings in table.items():
        if folded in (s.lower() for s in spellings):
            return name
    return None


def reason_category(word: str) -> str | None:
    """经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他 for a spelling; None when unknown."""
    return _canonical(vocabulary()["reason_categories"], word)


def likelihood(word: str) -> str | None:
    """确定能 / 有可能 / 完全不可能 for a spelling or its number 1-3; None when unknown."""
    return _canonical(vocabulary()["likelihoods"], word)


def money_factor(unit: str) -> float | None:
    """万元 per one of `unit` (元 -> 0.0001); None for a word that is no money unit."""
    factor = vocabulary()["money_units"].get(unit.strip())
    return None if factor is None else float(factor)


def column_synonyms() -> dict[str, list[str]]:
    """Import column roles (code, name, date, executed, budget) and their header spellings."""
    synonyms: dict[str, list[str]] = vocabulary()["import_columns"]
    return synonyms


def workbook_words() -> dict[str, Any]:
    """Header spellings of the monitoring table."""
    words: dict[str, Any] = vocabulary()["workbook"]
    return words
