"""Warnings when a project turns yellow or red: found from the actuals, one per chat and change."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from jobs.plan_inputs import load_subscribers
from jobs.reminder_text import ReminderMessage
from store.actual_models import SpendingActual
from store.messages import Language, say
from store.models import Project
from store.monitoring_status import ProjectStatus, StatusRules, project_status
from store.monitoring_text import light_name, status_lines
from store.queries import project_by_code, project_plan_points

WARNED_LIGHTS = ("yellow", "red")


@dataclass(frozen=True)
class LightChange:
    """A project whose newest actual turned it yellow or red (from `before`)."""

    chat: str
    project_code: str
    project_name: str
    as_of: date
    light: str
    before: str | None
    status: ProjectStatus
    language: Language = "zh"  # the subscription's language

    @property
    def key(self) -> tuple[str, str, date, str]:
        return (self.chat, self.project_code, self.as_of, self.light)


def _light_change(
    session: Session, project: Project, dated: list[SpendingActual], rules: StatusRules
) -> tuple[str | None, ProjectStatus] | None:
    """(light before, status) when the newest of the dated amounts changed the light to
    yellow or red; None otherwise."""
    assert project.id is not None
    plan = project_plan_points(session, project.id)
    statuses = [
        project_status(project.code, project.budget, plan, row.amount, row.as_of, rules)
        for row in dated[-2:]
    ]
    latest, before = statuses[-1], statuses[0].light if len(statuses) == 2 else None
    if latest.light in WARNED_LIGHTS and latest.light != before:
        return before, latest
    return None


def _amounts_by_project(session: Session, day: date) -> dict[str, list[SpendingActual]]:
    """The amount that counts for each date, per project, oldest first (one query)."""
    query = select(SpendingActual).where(
        col(SpendingActual.withdrawn_at).is_(None), col(SpendingActual.as_of) <= day
    )
    rows = session.exec(query.order_by(col(SpendingActual.as_of), col(SpendingActual.id)))
    by_date: dict[str, dict[date, SpendingActual]] = {}
    for row in rows:
        by_date.setdefault(row.project_code, {})[row.as_of] = row
    return {code: list(dated.values()) for code, dated in by_date.items()}


def light_changes(session: Session, now: datetime, rules: StatusRules) -> list[LightChange]:
    """Every warning due: for each active subscription, its projects that changed to yellow/red."""
    subscribers = load_subscribers(session)
    if not subscribers:
        return []
    changes = []
    for code, dated in _amounts_by_project(session, now.date()).items():
        project = project_by_code(session, code)
        found = _light_change(session, project, dated, rules) if project else None
        if project is None or found is None:
            continue
        before, status = found
        assert status.light is not None
        for subscriber in subscribers:
            if subscriber.wants(project.code):
                changes.append(
                    LightChange(
                        subscriber.chat,
                        project.code,
                        project.name,
                        date.fromisoformat(status.as_of),
                        status.light,
                        before,
                        status,
                        subscriber.language,
                    )
                )
    return changes


def warning_message(change: LightChange, language: Language | None = None) -> ReminderMessage:
    """⚠️ 预警: the project, the change of light, and its status, in the chat's language."""
    language = language or change.language
    title = say(
        language,
        "warning_light",
        project=change.project_name,
        before=light_name(change.before, language),
        after=light_name(change.light, language),
    )
    return ReminderMessage(title, tuple(status_lines(change.project_name, change.status, language)))
