"""Monitoring in reminders: each project's latest actual against the checkpoint, and one
reminder before the monitoring deadline (MONITORING_DUE) listing projects without actuals."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from jobs.plan_inputs import load_subscribers
from jobs.planning import Reminder, fire_time
from jobs.reminder_text import ReminderMessage
from store.actuals import latest_spending_by_project
from store.messages import say
from store.monitoring_queries import all_statuses
from store.monitoring_status import StatusRules
from store.monitoring_text import light_name, number
from store.queries import all_projects, project_by_code

MONITORING = "monitoring"


def parse_due(text: str | None, year: int) -> date | None:
    """MONITORING_DUE=08-10 -> 2022-08-10 in `year`; None when unset or not a day."""
    if not text:
        return None
    month, _, day = text.strip().partition("-")
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None


def checkpoint_facts(
    session: Session, reminder: Reminder, now: datetime, rules: StatusRules
) -> tuple[str, ...]:
    """Per project: latest actual, what is left to the checkpoint's plan, per remaining day."""
    latest = latest_spending_by_project(session, now.date())
    days = max(1, (reminder.target_date - now.date()).days)
    lines = []
    language = reminder.language
    for point in reminder.points:
        actual = latest.get(point.project_code)
        if actual is None:
            lines.append(say(language, "reminder_no_actual", project=point.project_name))
            continue
        project = project_by_code(session, point.project_code)
        status = all_statuses(session, now.date(), rules, [project])[0] if project else None
        light = light_name(status.light if status else None, language)
        values: dict[str, object] = {
            "project": point.project_name,
            "date": actual.as_of.isoformat(),
            "executed": number(actual.amount),
            "checkpoint": point.label,
            "light": light,
        }
        short = (point.point.amount or 0.0) - actual.amount
        if short <= 0:
            lines.append(say(language, "reminder_actual_done", **values))
            continue
        values |= {"to_spend": number(short), "days": days, "per_day": number(short / days)}
        lines.append(say(language, "reminder_actual", **values))
    return tuple(lines)


def monitoring_reminders(session: Session, zone: ZoneInfo, due_text: str | None, year: int):
    """One reminder per subscribed chat before the monitoring deadline, at its longest lead."""
    due = parse_due(due_text, year)
    if due is None:
        return []
    reminders = []
    for subscriber in load_subscribers(session):
        lead = max(subscriber.lead_days, default=0)
        at = fire_time(due, lead, subscriber.at, zone)
        codes = tuple(sorted(subscriber.project_codes))
        reminders.append(Reminder(subscriber.chat, MONITORING, due, lead, at, None, (), (), codes))
    return reminders


def monitoring_message(session: Session, reminder: Reminder, now: datetime) -> ReminderMessage:
    """Which of the chat's projects have no actual yet, days before the deadline."""
    days = max(0, (reminder.target_date - now.date()).days)
    latest = latest_spending_by_project(session, now.date())
    wanted = set(reminder.project_codes)
    projects = [p for p in all_projects(session) if not wanted or p.code in wanted]
    missing = [p.name for p in projects if p.code not in latest]
    due = reminder.target_date.isoformat()
    if not missing:
        return ReminderMessage(
            say(reminder.language, "monitoring_due_complete", due=due, days=days), ()
        )
    title = say(reminder.language, "monitoring_due", due=due, days=days, names="、".join(missing))
    return ReminderMessage(title, ())
