"""Plain data a parsed document is made of, before it reaches the database."""

from dataclasses import dataclass, field
from datetime import date

from store.indicator_values import ParsedValue


@dataclass
class ParsedCheckpoint:
    """A checkpoint of the cumulative spending plan."""

    label: str
    month: int
    date: date
    amount: float | None


@dataclass
class ParsedIndicator:
    """A 三级指标 row."""

    level1: str
    level2: str
    name: str
    description: str | None
    value: str
    basis: str | None
    parsed: ParsedValue


@dataclass
class ParsedProject:
    """A project with its plan and indicators."""

    code: str
    name: str
    department: str | None
    unit_code: str | None
    unit: str | None
    year: int
    money_unit: str
    budget: float | None
    fiscal_funds: float | None
    other_funds: float | None
    purpose: str | None
    goal: str | None
    plan: list[ParsedCheckpoint] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """A whole file: where it came from and its projects."""

    source_name: str
    format: str
    content_hash: str
    department: str | None
    title: str | None
    year: int | None
    projects: list[ParsedProject]
