"""Monitoring commands: actual, progress-value, actuals import, progress, chart, monitor."""

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import local_now
from bot.monitoring_settings import status_rules
from bot.settings import Settings
from handlers.actual_targets import matched_note, projects_named, resolve_indicator, resolve_project
from store.actuals import (
    ActualRefused,
    IndicatorActualEntry,
    SpendingEntry,
    record_indicator,
    record_spending,
)
from store.actuals_file import ActualsFileError
from store.actuals_import import import_actuals
from store.db import unit_of_work
from store.indicator_progress import actual_number
from store.messages import Language, say
from store.money import entered_text, money_text
from store.money_amounts import parse_money
from store.monitoring_dates import parse_as_of
from store.monitoring_queries import all_statuses, status_of
from store.monitoring_text import rule_line, status_lines
from store.monitoring_vocab import likelihood, reason_category
from store.queries import all_projects

LANGUAGE: Language = "zh"


def _fail(message: str) -> int:
    print(f"targetbot: {message}", file=sys.stderr)
    return 2


def _refusal(refusal: ActualRefused | ActualsFileError) -> str:
    return say(LANGUAGE, refusal.key, **refusal.values)


def _as_of(text: str | None, year: int, today: date) -> date:
    if not text:
        return today
    day = parse_as_of(text, year)
    if day is None:
        raise ActualRefused("actual_bad_date", text=text)
    return day


def _report_day(text: str | None, settings: Settings) -> date:
    """The date a report is as of: `text` read in this year, or today (TARGETBOT_TZ)."""
    today = local_now(settings.targetbot_tz).date()
    return _as_of(text, today.year, today)


def cmd_actual(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Record a cumulative amount; refused (nothing stored) when it is wrong or needs --force."""
    now = local_now(settings.targetbot_tz)
    amount = parse_money(args.amount)
    if amount is None:
        return _fail(say(LANGUAGE, "actual_bad_amount", text=args.amount))
    forecast = parse_money(args.forecast) if args.forecast else None
    if args.forecast and forecast is None:
        return _fail(say(LANGUAGE, "actual_bad_amount", text=args.forecast))
    try:
        with unit_of_work(engine) as session:
            project = resolve_project(session, args.project, now)
            day = _as_of(args.as_of, project.year, now.date())
            entry = SpendingEntry(
                project, amount, day, "form", getpass.getuser(), force=args.force, forecast=forecast
            )
            record_spending(session, entry, now)
            for line in matched_note(session, args.project, project, LANGUAGE):
                print(line)
            print(
                say(
                    LANGUAGE,
                    "actual_recorded",
                    project=project.name,
                    date=day,
                    amount=entered_text(amount),
                    source=say(LANGUAGE, "source_form"),
                )
            )
            status = status_of(session, project, day, status_rules(settings))
            print("\n".join(status_lines(project.name, status, LANGUAGE)))
    except ActualRefused as refusal:
        return _fail(_refusal(refusal))
    return 0


def _reason(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    head, _, tail = text.replace("：", ":").partition(":")
    category = reason_category(head)
    if category is None:
        raise ActualRefused("bad_reason", text=head)
    return category, tail.strip() or None


def cmd_progress_value(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Record an indicator's actual to date, with forecast, reason and likelihood."""
    now = local_now(settings.targetbot_tz)
    try:
        category, reason_text = _reason(args.reason)
        chance = likelihood(args.likelihood) if args.likelihood else None
        if args.likelihood and chance is None:
            raise ActualRefused("bad_likelihood", text=args.likelihood)
        with unit_of_work(engine) as session:
            named = projects_named(session, args.project, now)
            if not named:
                raise ActualRefused("actual_no_project", name=args.project)
            project, item = resolve_indicator(session, named, args.indicator)
            day = _as_of(args.as_of, project.year, now.date())
            entry = IndicatorActualEntry(
                project,
                item,
                args.value,
                actual_number(args.value),
                day,
                "form",
                getpass.getuser(),
                forecast_text=args.forecast,
                forecast_number=actual_number(args.forecast) if args.forecast else None,
                reason_category=category,
                reason_text=reason_text,
                likelihood=chance,
            )
            record_indicator(session, entry, now)
            for line in matched_note(session, args.project, project, LANGUAGE):
                print(line)
            print(
                say(
                    LANGUAGE,
                    "indicator_recorded",
                    project=project.name,
                    indicator=item.name,
                    date=day,
                    value=args.value,
                )
            )
            for line in _fields_given(args.forecast, category, reason_text, chance):
                print(line)
    except ActualRefused as refusal:
        return _fail(_refusal(refusal))
    return 0


def _fields_given(
    forecast: str | None, category: str | None, text: str | None, chance: str | None
) -> list[str]:
    """One confirmation line per field given besides the value: forecast, reason, likelihood."""
    lines = (
        [say(LANGUAGE, "indicator_forecast", forecast=forecast, deviation="")] if forecast else []
    )
    if category:
        detail = f"：{text}" if text else ""
        lines.append(say(LANGUAGE, "indicator_reason", category=category, text=detail))
    if chance:
        lines.append(say(LANGUAGE, "indicator_likelihood", likelihood=chance))
    return lines


def cmd_actuals_import(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Import a spending export in one transaction: all of it, or nothing."""
    now = local_now(settings.targetbot_tz)
    path = Path(args.file)
    given = parse_as_of(args.as_of, now.year) if args.as_of else None
    if args.as_of and given is None:
        return _fail(say(LANGUAGE, "actual_bad_date", text=args.as_of))
    try:
        with unit_of_work(engine) as session:
            result = import_actuals(
                session, path, getpass.getuser(), now, given, args.unit, args.force
            )
            lines = [
                say(
                    LANGUAGE,
                    "import_done",
                    file=path.name,
                    count=len(result.actuals),
                    unit=result.unit,
                )
            ]
            lines += [
                say(
                    LANGUAGE,
                    "import_line",
                    code=a.code,
                    name=a.name,
                    date=a.as_of,
                    amount=money_text(a.amount),
                    lines=a.lines,
                )
                for a in result.actuals
            ]
    except ActualsFileError as error:
        return _fail(say(LANGUAGE, error.key, file=path.name, **error.values))
    except ActualRefused as refusal:
        project = refusal.values.get("project", "")
        return _fail(
            say(
                LANGUAGE,
                "import_refused",
                file=path.name,
                project=project,
                reason=_refusal(refusal),
            )
        )
    print("\n".join(lines))
    return 0


def cmd_progress(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Print each project's status as text, or as one JSON object per project."""
    rules = status_rules(settings)
    try:
        with Session(engine) as session:
            day = _report_day(args.now, settings)
            now = datetime.combine(day, datetime.min.time())
            projects = (
                [resolve_project(session, args.project, now)]
                if args.project
                else all_projects(session)
            )
            statuses = all_statuses(session, day, rules, projects)
    except ActualRefused as refusal:
        return _fail(_refusal(refusal))
    if args.json:
        for status in statuses:
            print(json.dumps(status.to_json(), ensure_ascii=False))
        return 0
    names = {p.code: p.name for p in projects}
    for status in statuses:
        print("\n".join(status_lines(names[status.project_code], status, LANGUAGE)))
    print(rule_line(rules, LANGUAGE))
    return 0


def cmd_chart(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Save a project's chart (or the overview of every project) as PNG and print the path."""
    from bot.chart_inputs import overview_inputs, project_series
    from bot.charts import overview_chart, project_chart

    path = Path(args.output)
    if path.suffix.lower() != ".png":
        return _fail(say(LANGUAGE, "output_suffix", path=args.output, suffix=".png"))
    rules = status_rules(settings)
    try:
        with Session(engine) as session:
            day = _report_day(args.now, settings)
            if args.project:
                moment = datetime.combine(day, datetime.min.time())
                project = resolve_project(session, args.project, moment)
                png = project_chart(project_series(session, project, rules), LANGUAGE)
            else:
                png = overview_chart(*overview_inputs(session, day, rules), LANGUAGE)
    except ActualRefused as refusal:
        return _fail(_refusal(refusal))
    path.write_bytes(png)
    print(say(LANGUAGE, "chart_saved", path=path.resolve()))
    return 0


def cmd_monitor(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Write the 项目支出绩效目标执行监控表 workbook and print its path."""
    from bot.monitor_table import monitoring_workbook

    path = Path(args.output)
    if path.suffix.lower() != ".xlsx":
        return _fail(say(LANGUAGE, "output_suffix", path=args.output, suffix=".xlsx"))
    try:
        day = _report_day(args.as_of, settings)
    except ActualRefused as refusal:
        return _fail(_refusal(refusal))
    with Session(engine) as session:
        book = monitoring_workbook(session, day, status_rules(settings))
    book.save(path)
    print(say(LANGUAGE, "monitor_saved", path=path.resolve()))
    return 0
