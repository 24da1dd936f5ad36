"""How far an indicator is: its actual and forecast against the target's parsed comparator."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from store.indicator_values import DATE, QUANTITATIVE, parse_value

LOWER_IS_BETTER = ("<=", "<")


@dataclass(frozen=True)
class IndicatorProgress:
    """Target, actual to date, share complete (%), whether met, forecast and deviation (%)."""

    project_code: str
    indicator: str
    target: str
    comparator: str | None
    as_of: str | None
    actual: str | None
    actual_number: float | None
    share_complete: float | None
    met: bool | None
    forecast: str | None
    forecast_deviation: float | None
    reason_category: str | None
    reason_text: str | None
    likelihood: str | None

    def to_json(self) -> dict[str, Any]:
        """Plain data."""
        return asdict(self)


def actual_number(text: str) -> float | None:
    """The number in a written actual (`12000笔`, `96.5%`); None for text."""
    parsed = parse_value(text)
    return parsed.number if parsed.kind == QUANTITATIVE else None


def _met(comparator: str | None, actual: float, target: float, high: float | None) -> bool:
    if comparator in LOWER_IS_BETTER:
        return actual <= target if comparator == "<=" else actual < target
    if comparator == "between" and high is not None:
        return target <= actual <= high
    if comparator == ">":
        return actual > target
    if comparator == "=":
        return actual == target
    return actual >= target


def _deviation(forecast: float | None, target: float | None) -> float | None:
    """(全年预计 − 目标) ÷ 目标, in %."""
    if forecast is None or not target:
        return None
    return round((forecast - target) / target * 100, 2)


def _date_met(text: str | None, deadline: dt.date | None) -> bool | None:
    """A 时效 indicator: met when the actual date is on or before the deadline."""
    done = parse_value(text).deadline if text else None
    return None if done is None or deadline is None else done <= deadline


def indicator_progress(code: str, name: str, target: str, actual: Any | None) -> IndicatorProgress:
    """Compare an IndicatorActual row (or None) with the target as written."""
    parsed = parse_value(target)
    number = actual.value_number if actual else None
    share = met = None
    if parsed.kind == QUANTITATIVE and number is not None and parsed.number is not None:
        met = _met(parsed.comparator, number, parsed.number, parsed.number_max)
        if parsed.comparator not in LOWER_IS_BETTER and parsed.number:
            share = round(number / parsed.number * 100, 2)
    elif parsed.kind == DATE and actual is not None:
        met = _date_met(actual.value_text, parsed.deadline)
    forecast = actual.forecast_number if actual else None
    return IndicatorProgress(
        project_code=code,
        indicator=name,
        target=target,
        comparator=parsed.comparator,
        as_of=actual.as_of.isoformat() if actual else None,
        actual=actual.value_text if actual else None,
        actual_number=number,
        share_complete=share,
        met=met,
        forecast=actual.forecast_text if actual else None,
        forecast_deviation=_deviation(forecast, parsed.number),
        reason_category=actual.reason_category if actual else None,
        reason_text=actual.reason_text if actual else None,
        likelihood=actual.likelihood if actual else None,
    )
