"""Where a project stands: 执行率, 序时进度 (by months or days), gap, plan position and light."""

import calendar
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from store.checkpoints import PlanPoint, budget_share

MONTHS = "months"
DAYS = "days"
LIGHTS = ("green", "yellow", "red")


@dataclass(frozen=True)
class StatusRules:
    """The region's rules: how 序时进度 is counted and where the lights change (gaps in points)."""

    time_method: str = MONTHS
    yellow_below: float = 0.0
    red_below: float = -10.0

    def __post_init__(self) -> None:
        if self.time_method not in (MONTHS, DAYS):
            raise ValueError(f"time progress method must be {MONTHS} or {DAYS}")
        if self.red_below > self.yellow_below:
            raise ValueError("the red threshold must not be above the yellow one")


def time_progress(day: date, method: str = MONTHS) -> float:
    """序时进度 in %: finished months ÷ 12 (a month ends on its last day) or days ÷ year."""
    if method == DAYS:
        days_in_year = 366 if calendar.isleap(day.year) else 365
        return round(day.timetuple().tm_yday / days_in_year * 100, 2)
    month_over = day.day == calendar.monthrange(day.year, day.month)[1]
    completed = day.month if month_over else day.month - 1
    return round(completed / 12 * 100, 2)


def light_for(gap: float | None, rules: StatusRules) -> str | None:
    """green when gap ≥ yellow_below, red when gap < red_below, yellow between; None unknown."""
    if gap is None:
        return None
    if gap < rules.red_below:
        return "red"
    return "yellow" if gap < rules.yellow_below else "green"


def worst(*lights: str | None) -> str | None:
    """The worse of several lights, ignoring unknown ones."""
    known = [light for light in lights if light]
    return max(known, key=LIGHTS.index) if known else None


@dataclass(frozen=True)
class PlanPosition:
    """The checkpoints around a date: what was due by then and what is due next."""

    previous: PlanPoint | None
    next: PlanPoint | None
    planned_to_date: float | None
    estimated: float | None


def plan_position(plan: Sequence[PlanPoint], day: date) -> PlanPosition:
    """The last checkpoint reached (a blank one planned nothing) and the next with an amount."""
    points = sorted(plan, key=lambda p: p.date)
    if not any(p.amount is not None for p in points):
        return PlanPosition(None, None, None, None)
    reached = [p for p in points if p.date <= day]
    previous = reached[-1] if reached else None
    planned = (previous.amount or 0.0) if previous else 0.0
    upcoming = [p for p in points if p.date > day and p.amount is not None]
    following = upcoming[0] if upcoming else None
    return PlanPosition(previous, following, planned, _estimate(previous, following, day, planned))


def _estimate(
    before: PlanPoint | None, after: PlanPoint | None, day: date, planned: float
) -> float | None:
    """Straight-line plan between two checkpoints (估算); None at a checkpoint or past the last."""
    if after is None or (before is not None and before.date == day):
        return None
    start = before.date if before else date(day.year, 1, 1)
    share = (day - start).days / max(1, (after.date - start).days)
    assert after.amount is not None
    return round(planned + (after.amount - planned) * share, 2)


@dataclass(frozen=True)
class StatusFigures:
    """The figures of a project's spending status that every channel shows (amounts 万元, rates
    and gaps % / 个百分点); shared by the `progress --json` status and the chat answer."""

    project_code: str
    as_of: str
    executed: float | None
    budget: float | None
    execution_rate: float | None
    time_progress: float
    gap_points: float | None
    planned_to_date: float | None
    next_checkpoint: str | None
    to_spend_for_next: float | None
    light: str | None

    def figures(self) -> dict[str, Any]:
        """The shared figures alone (of a status with more), by field name."""
        return {f.name: getattr(self, f.name) for f in fields(StatusFigures)}


@dataclass(frozen=True)
class ProjectStatus(StatusFigures):
    """A project's status on a date; amounts in 万元, rates and gaps in % / 个百分点."""

    previous_checkpoint: str | None = None
    next_checkpoint_date: str | None = None
    next_planned: float | None = None
    to_spend_per_day: float | None = None
    plan_gap_points: float | None = None
    time_light: str | None = None
    plan_light: str | None = None
    estimated_plan: float | None = None
    time_method: str = MONTHS
    forecast: float | None = None  # 全年预计执行数 (万元), the newest known by then
    forecast_rate: float | None = None  # the forecast's share of the budget (%)

    def to_json(self) -> dict[str, Any]:
        """The `progress --json` object of CONTRACT.md (plus extra fields)."""
        return asdict(self)


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def project_status(
    code: str,
    budget: float | None,
    plan: Sequence[PlanPoint],
    executed: float | None,
    as_of: date,
    rules: StatusRules,
) -> ProjectStatus:
    """Status of one project whose cumulative spending on `as_of` is `executed` (None: unknown)."""
    rate = budget_share(executed, budget)
    progress = time_progress(as_of, rules.time_method)
    position = plan_position(plan, as_of)
    gap, plan_gap = _gap(rate, progress), None
    if executed is not None and position.planned_to_date is not None:
        plan_gap = budget_share(executed - position.planned_to_date, budget)
    following = position.next
    to_spend = per_day = None
    if following is not None and following.amount is not None and executed is not None:
        to_spend = round(max(0.0, following.amount - executed), 2)
        per_day = round(to_spend / max(1, (following.date - as_of).days), 2)
    time_light, plan_light = light_for(gap, rules), light_for(plan_gap, rules)
    return ProjectStatus(
        project_code=code,
        as_of=as_of.isoformat(),
        executed=executed,
        budget=budget,
        execution_rate=rate,
        time_progress=progress,
        gap_points=gap,
        planned_to_date=position.planned_to_date,
        next_checkpoint=following.label if following else None,
        to_spend_for_next=to_spend,
        light=worst(time_light, plan_light),
        previous_checkpoint=position.previous.label if position.previous else None,
        next_checkpoint_date=following.date.isoformat() if following else None,
        next_planned=following.amount if following else None,
        to_spend_per_day=per_day,
        plan_gap_points=plan_gap,
        time_light=time_light,
        plan_light=plan_light,
        estimated_plan=position.estimated,
        time_method=rules.time_method,
    )
