"""The actuals repository: record, read and withdraw dated spending and indicator actuals."""

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from store.actual_models import IndicatorActual, RecordingGrant, SpendingActual
from store.models import Indicator, Project
from store.money import entered_text

SOURCES = ("chat", "form", "file", "document")


class ActualRefused(Exception):
    """An actual that is not stored; `key` names the message, `values` fill it in.

    `forcible` is True when --force or a confirm button may record it anyway."""

    def __init__(self, key: str, forcible: bool = False, **values: object) -> None:
        self.key = key
        self.forcible = forcible
        self.values = values
        super().__init__(f"{key}: {values}")


def _live(query: SelectOfScalar[SpendingActual]) -> SelectOfScalar[SpendingActual]:
    """Only the records not withdrawn."""
    return query.where(col(SpendingActual.withdrawn_at).is_(None))


def spending_history(session: Session, code: str) -> list[SpendingActual]:
    """A project's recorded amounts, oldest date first, later records after earlier ones."""
    query = _live(select(SpendingActual).where(SpendingActual.project_code == code))
    order = (col(SpendingActual.as_of), col(SpendingActual.id))
    return list(session.exec(query.order_by(*order)))


def effective_amounts(history: list[SpendingActual]) -> dict[dt.date, SpendingActual]:
    """The amount that counts for each date: the one recorded last."""
    return {row.as_of: row for row in history}


def latest_spending(session: Session, code: str, day: dt.date) -> SpendingActual | None:
    """The newest cumulative amount dated on or before `day`; None when there is none."""
    dated = [row for row in spending_history(session, code) if row.as_of <= day]
    return dated[-1] if dated else None


def latest_spending_by_project(session: Session, day: dt.date) -> dict[str, SpendingActual]:
    """For every project with actuals, its newest amount dated on or before `day` (one query)."""
    query = _live(select(SpendingActual).where(col(SpendingActual.as_of) <= day))
    rows = session.exec(query.order_by(col(SpendingActual.as_of), col(SpendingActual.id)))
    return {row.project_code: row for row in rows}


def latest_forecast_by_project(session: Session, day: dt.date) -> dict[str, float]:
    """For every project with a 全年预计执行数, the newest one dated on or before `day`."""
    query = _live(select(SpendingActual).where(col(SpendingActual.as_of) <= day))
    query = query.where(col(SpendingActual.forecast).is_not(None))
    rows = session.exec(query.order_by(col(SpendingActual.as_of), col(SpendingActual.id)))
    return {row.project_code: row.forecast for row in rows if row.forecast is not None}


def check_spending(session: Session, project: Project, amount: float, as_of: dt.date) -> None:
    """Raise ActualRefused when the amount is impossible, or needs --force and says why."""
    if amount < 0:
        raise ActualRefused("actual_negative", amount=entered_text(amount))
    if as_of.year != project.year:
        raise ActualRefused("actual_wrong_year", date=as_of.isoformat(), year=project.year)
    earlier = [
        row
        for row in effective_amounts(spending_history(session, project.code)).values()
        if row.as_of < as_of and row.amount > amount
    ]
    if earlier:
        top = max(earlier, key=lambda row: row.amount)
        raise ActualRefused(
            "actual_below_earlier",
            True,
            project=project.name,
            amount=entered_text(amount),
            date=top.as_of.isoformat(),
            earlier=entered_text(top.amount),
        )
    if project.budget is not None and amount > project.budget:
        raise ActualRefused(
            "actual_above_budget",
            True,
            project=project.name,
            amount=entered_text(amount),
            budget=entered_text(project.budget),
        )


@dataclass
class SpendingEntry:
    """A cumulative amount to record: who, when, from where."""

    project: Project
    amount: float
    as_of: dt.date
    source: str
    recorded_by: str
    note: str | None = None
    force: bool = False
    forecast: float | None = None  # 全年预计执行数 (万元), when known


def record_spending(session: Session, entry: SpendingEntry, now: dt.datetime) -> SpendingActual:
    """Add a dated amount (never changing an older row); refused as check_spending says."""
    if entry.source not in SOURCES:
        raise ValueError(f"unknown source {entry.source}")
    try:
        check_spending(session, entry.project, entry.amount, entry.as_of)
    except ActualRefused as refusal:
        if not (refusal.forcible and entry.force):
            raise
    row = SpendingActual(
        project_code=entry.project.code,
        as_of=entry.as_of,
        amount=round(entry.amount, 6),
        forecast=None if entry.forecast is None else round(entry.forecast, 6),
        budget_at_entry=entry.project.budget,
        source=entry.source,
        recorded_by=entry.recorded_by,
        recorded_at=now,
        note=entry.note,
    )
    session.add(row)
    session.flush()
    return row


def withdraw_spending(session: Session, actual_id: int, by: str, now: dt.datetime) -> bool:
    """Undo: mark a recorded amount withdrawn (kept for the record); False when already gone."""
    return _withdraw(session, session.get(SpendingActual, actual_id), by, now)


@dataclass
class IndicatorActualEntry:
    """An indicator's actual to date with forecast, deviation reason and likelihood."""

    project: Project
    indicator: Indicator
    value_text: str
    value_number: float | None
    as_of: dt.date
    source: str
    recorded_by: str
    forecast_text: str | None = None
    forecast_number: float | None = None
    reason_category: str | None = None
    reason_text: str | None = None
    likelihood: str | None = None


def record_indicator(
    session: Session, entry: IndicatorActualEntry, now: dt.datetime
) -> IndicatorActual:
    """Add an indicator actual of a date (older rows stay)."""
    if entry.as_of.year != entry.project.year:
        raise ActualRefused(
            "actual_wrong_year", date=entry.as_of.isoformat(), year=entry.project.year
        )
    row = IndicatorActual(
        project_code=entry.project.code,
        indicator_name=entry.indicator.name,
        as_of=entry.as_of,
        value_text=entry.value_text,
        value_number=entry.value_number,
        forecast_text=entry.forecast_text,
        forecast_number=entry.forecast_number,
        reason_category=entry.reason_category,
        reason_text=entry.reason_text,
        likelihood=entry.likelihood,
        source=entry.source,
        recorded_by=entry.recorded_by,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def indicator_history(session: Session, code: str, name: str) -> list[IndicatorActual]:
    """An indicator's recorded actuals, oldest date first."""
    query = select(IndicatorActual).where(
        IndicatorActual.project_code == code,
        IndicatorActual.indicator_name == name,
        col(IndicatorActual.withdrawn_at).is_(None),
    )
    return list(session.exec(query.order_by(col(IndicatorActual.as_of), col(IndicatorActual.id))))


def latest_indicator_actual(
    session: Session, code: str, name: str, day: dt.date
) -> IndicatorActual | None:
    """The newest actual of an indicator dated on or before `day`."""
    dated = [row for row in indicator_history(session, code, name) if row.as_of <= day]
    return dated[-1] if dated else None


def withdraw_indicator(session: Session, actual_id: int, by: str, now: dt.datetime) -> bool:
    """Undo an indicator actual (kept, marked withdrawn); False when already gone."""
    return _withdraw(session, session.get(IndicatorActual, actual_id), by, now)


def _withdraw(
    session: Session, row: SpendingActual | IndicatorActual | None, by: str, now: dt.datetime
) -> bool:
    """Mark an actual withdrawn (kept for the record) when `by` recorded it and it stands."""
    if row is None or row.withdrawn_at is not None or row.recorded_by != by:
        return False
    row.withdrawn_at = now
    session.add(row)
    return True


def grant_recording(session: Session, chat: str, code: str, by: str, now: dt.datetime) -> bool:
    """Let a chat record actuals of a project; False when it already may."""
    query = select(RecordingGrant).where(
        RecordingGrant.chat == chat, RecordingGrant.project_code == code
    )
    if session.exec(query).first():
        return False
    session.add(RecordingGrant(chat=chat, project_code=code, granted_by=by, granted_at=now))
    return True


def granted_codes(session: Session, chat: str) -> frozenset[str]:
    """The projects a chat was allowed to record."""
    query = select(RecordingGrant.project_code).where(RecordingGrant.chat == chat)
    return frozenset(session.exec(query))
