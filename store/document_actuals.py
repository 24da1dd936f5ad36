"""A 自评表/监控表's actual columns (1-X月执行数, 全年执行数, 实际完成值) as dated actuals."""

import datetime as dt

from sqlmodel import Session

from store.actuals import (
    ActualRefused,
    IndicatorActualEntry,
    SpendingEntry,
    effective_amounts,
    indicator_history,
    record_indicator,
    record_spending,
    spending_history,
)
from store.indicator_progress import actual_number
from store.indicator_values import month_end
from store.labels import actual_month, is_undated_actual
from store.messages import say
from store.models import Project
from store.monitoring_dates import parse_as_of
from store.parsed_document import ParsedDocument, ParsedIndicator, ParsedProject
from store.queries import project_indicators


def _dated(label: str | None, parsed: ParsedProject, year: int) -> dt.date | None:
    """The date a column's label names (1-7月 -> 07-31); for a label naming none (执行数) the
    date given at import (`targetbot import --as-of`), if any; a forecast's label: None."""
    month = actual_month(label) if label else None
    if month:
        return month_end(year, month)
    return parsed.undated_as_of if label and is_undated_actual(label) else None


def date_undated(document: ParsedDocument, as_of: str) -> ParsedDocument:
    """The document with its undated actuals (a bare `执行数` label) dated `as_of` (2022-07-31,
    or 7月底 in each project's year); unchanged when `as_of` names no date."""
    for parsed in document.projects:
        parsed.undated_as_of = parse_as_of(as_of, parsed.year)
    return document


def has_new_actuals(session: Session, project: Project, parsed: ParsedProject) -> bool:
    """Whether the document says something about spending or indicators the store lacks, or
    has an actual the import must explain (an undated 执行数: the report says how to date it)."""
    day = _dated(parsed.spent_label, parsed, project.year)
    if parsed.spent is not None:
        if day is None:
            return True
        same = effective_amounts(spending_history(session, project.code)).get(day)
        if not same or (same.amount, same.forecast) != (parsed.spent, parsed.spent_forecast):
            return True
    written = [item for item in parsed.indicators if item.actual_text]
    if not written:  # a target document: no query for each of its projects on a re-import
        return False
    stored = {item.name for item in project_indicators(session, project.id or 0)}
    return any(
        _new_indicator_actual(session, project, parsed, item)
        for item in written
        if item.name in stored
    )


def _new_indicator_actual(
    session: Session, project: Project, parsed: ParsedProject, item: ParsedIndicator
) -> bool:
    day = _dated(item.actual_period, parsed, project.year)
    if not item.actual_text or day is None:
        return False
    earlier = [r for r in indicator_history(session, project.code, item.name) if r.as_of == day]
    written = (item.actual_text, item.forecast_text)
    return not earlier or (earlier[-1].value_text, earlier[-1].forecast_text) != written


def record_document_actuals(
    session: Session, project: Project, parsed: ParsedProject, source: str, now: dt.datetime
) -> list[str]:
    """Store what the document says was spent and achieved, dated by its column (1-7月 -> 07-31,
    全年/实际完成值 -> 12-31; an undated one by `parsed.undated_as_of`); the same figure already
    stored for that date is not repeated. Notes for the import report: what was stored, and what
    was not and why."""
    by = f"document:{source.rsplit('/', 1)[-1]}"[:255]
    return _spending(session, project, parsed, by, now) + _indicators(
        session, project, parsed, by, now
    )


def _indicators(
    session: Session, project: Project, parsed: ParsedProject, by: str, now: dt.datetime
) -> list[str]:
    """Each indicator's actual (with its 全年预计完成情况) not stored yet for its date."""
    stored, refused = 0, []
    named = {item.name: item for item in project_indicators(session, project.id or 0)}
    for item in parsed.indicators:
        day = _dated(item.actual_period, parsed, project.year)
        if not item.actual_text or day is None:
            continue
        if item.name not in named:
            refused.append(f"{item.name} of {day} not stored: the project has no such indicator")
            continue
        if not _new_indicator_actual(session, project, parsed, item):
            continue
        forecast = item.forecast_text
        entry = IndicatorActualEntry(
            project,
            named[item.name],
            item.actual_text,
            actual_number(item.actual_text),
            day,
            "document",
            by,
            forecast_text=forecast,
            forecast_number=actual_number(forecast) if forecast else None,
        )
        try:
            record_indicator(session, entry, now)
        except ActualRefused as refusal:
            refused.append(
                f"{item.name} of {day} not stored: {say('en', refusal.key, **refusal.values)}"
            )
            continue
        stored += 1
    return ([f"{stored} indicator actuals stored"] if stored else []) + refused


def _spending(
    session: Session, project: Project, parsed: ParsedProject, by: str, now: dt.datetime
) -> list[str]:
    day = _dated(parsed.spent_label, parsed, project.year)
    if parsed.spent is None:
        return []
    if day is None:
        return [
            f"执行数 {parsed.spent:g} 万元 not stored: '{parsed.spent_label}' names no date "
            "(give one: targetbot import --as-of DATE)"
        ]
    same = effective_amounts(spending_history(session, project.code)).get(day)
    if same and (same.amount, same.forecast) == (parsed.spent, parsed.spent_forecast):
        return []
    entry = SpendingEntry(
        project, parsed.spent, day, "document", by, forecast=parsed.spent_forecast
    )
    try:
        record_spending(session, entry, now)
    except ActualRefused as refusal:
        reason = say("en", refusal.key, **refusal.values).split(" Add --force")[0]
        return [f"执行数 {parsed.spent:g} 万元 of {day} not stored: {reason}"]
    return [f"执行数 {parsed.spent:g} 万元 stored as of {day}"]
