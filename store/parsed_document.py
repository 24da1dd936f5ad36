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
    weight: str | None = None
    actual_text: str | None = None  # a 自评表/监控表's completed value, kept for monitoring
    actual_period: str | None = None  # that column's header, e.g. `1-7月执行情况`
    forecast_text: str | None = None  # a 监控表's 全年预计完成情况, stored with the actual


@dataclass
class ParsedProject:
    """A project with its plan and indicators."""

    code: str
    name: str
    department: str | None
    unit_code: str | None
    unit: str | None
    year: int
    money_unit: str  # amounts are in this unit (always 万元 after parsing)
    budget: float | None
    fiscal_funds: float | None
    other_funds: float | None
    purpose: str | None
    goal: str | None
    plan: list[ParsedCheckpoint] = field(default_factory=list)
    indicators: list[ParsedIndicator] = field(default_factory=list)
    source_money_unit: str = "万元"  # the unit the document wrote its amounts in
    midterm_goal: str | None = None
    spent: float | None = None  # a 自评表/监控表's cumulative 执行数 (万元)
    spent_label: str | None = None  # its label, which dates it: `1-7月执行数`, `全年执行数`
    spent_forecast: float | None = None  # 全年预计执行数 (万元)
    undated_as_of: date | None = None  # the date given at import for undated actuals (执行数)


@dataclass
class RefusedProject:
    """A project of a file that could not be read completely, so none of it is imported."""

    name: str | None
    where: str | None
    reason: str

    def describe(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"project '{self.name or '?'}': {place}{self.reason}"


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
    refused: list[RefusedProject] = field(default_factory=list)
