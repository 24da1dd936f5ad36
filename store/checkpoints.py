"""Checkpoints of a cumulative spending plan: the point, the one before, its share and its step."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PlanPoint:
    """A checkpoint of a project's cumulative plan (6月底: month 6, its date, the amount)."""

    label: str
    month: int
    date: date
    amount: float | None


def previous_point(plan: Sequence[PlanPoint], point: PlanPoint) -> PlanPoint | None:
    """The checkpoint of the same plan just before `point`; None for the first."""
    earlier = [p for p in plan if p.month < point.month]
    return max(earlier, key=lambda p: p.month) if earlier else None


def next_point(plan: Sequence[PlanPoint], today: date) -> PlanPoint | None:
    """The first checkpoint on or after `today`; None when all have passed."""
    coming = [p for p in plan if p.date >= today]
    return min(coming, key=lambda p: p.date) if coming else None


def budget_share(amount: float | None, budget: float | None) -> float | None:
    """Percent of the budget a cumulative amount reaches (2 decimals); None when unknown."""
    if amount is None or not budget:
        return None
    return round(amount / budget * 100, 2)


def step_since(amount: float | None, previous: float | None) -> float | None:
    """What a checkpoint adds to the one before; a blank earlier checkpoint counts as nothing."""
    if amount is None:
        return None
    return round(amount - (previous or 0.0), 2)
