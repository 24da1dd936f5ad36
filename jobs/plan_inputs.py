"""What reminder planning needs, read from the store: plan points, deadlines, subscribers."""

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from jobs.planning import Deadline, ProjectCheckpoint, Reminder, Subscriber, all_reminders
from store.checkpoints import PlanPoint, previous_point
from store.messages import Language
from store.models import Checkpoint, Indicator, Project, Subscription
from store.subscriptions import active_subscriptions, project_codes, timing_of


def _columns(*columns: Any) -> Select[Any]:
    """SELECT of model columns, read as plain rows (no ORM object per row)."""
    return select_columns(*columns)


def load_points(session: Session) -> list[ProjectCheckpoint]:
    """Every checkpoint of every project, with the previous checkpoint of the same project (plain
    columns: a city's 32,000 checkpoints with their projects as ORM objects cost 100+ MB)."""
    query = _columns(
        Project.id, Project.code, Project.name, Project.budget, Project.money_unit,
        Checkpoint.label, Checkpoint.month, Checkpoint.date, Checkpoint.amount,
    )  # fmt: skip
    query = query.join(Project, col(Checkpoint.project_id) == Project.id)
    rows = session.connection().execute(query.order_by(col(Project.id), col(Checkpoint.month)))
    plans: dict[int | None, tuple[tuple, list[PlanPoint]]] = {}
    for key, code, name, budget, unit, label, month, day, amount in rows:
        point = PlanPoint(label, month, day, amount)
        plans.setdefault(key, ((code, name, budget, unit), []))[1].append(point)
    return [
        ProjectCheckpoint(
            project_code=code,
            project_name=name,
            point=point,
            previous=previous_point(plan, point),
            budget=budget,
            unit=unit,
        )
        for (code, name, budget, unit), plan in plans.values()
        for point in plan
    ]


def load_deadlines(session: Session) -> list[Deadline]:
    """Indicators whose value is a date (时效指标 such as 2022年12月31日)."""
    query = _columns(
        Project.code, Project.name, Indicator.name, Indicator.value, Indicator.deadline
    )
    query = query.join(Project, col(Indicator.project_id) == Project.id)
    query = query.where(col(Indicator.deadline).is_not(None))
    rows = session.connection().execute(query.order_by(col(Project.id), col(Indicator.position)))
    return [Deadline(*row) for row in rows if row[4]]


def to_subscriber(row: Subscription) -> Subscriber:
    timing = timing_of(row)
    language: Language = "en" if row.language == "en" else "zh"
    return Subscriber(
        row.chat, frozenset(project_codes(row)), timing.lead_days, timing.at, language
    )


def load_subscribers(session: Session) -> list[Subscriber]:
    """Every active subscription."""
    return [to_subscriber(row) for row in active_subscriptions(session)]


def plan(session: Session, zone: ZoneInfo, chats: set[str] | None = None) -> list[Reminder]:
    """Every reminder of the active subscriptions (of `chats`, if given), soonest first."""
    subscribers = [s for s in load_subscribers(session) if chats is None or s.chat in chats]
    return all_reminders(subscribers, load_points(session), load_deadlines(session), zone)


def reminder_json(reminder: Reminder) -> dict:
    """The `reminders --json` shape of CONTRACT.md."""
    return {
        "chat": reminder.chat,
        "fire_at": reminder.fire_at.isoformat(),
        "checkpoint": reminder.label,
        "checkpoint_date": reminder.target_date.isoformat(),
        "lead_days": reminder.lead_days,
        "project_codes": list(reminder.project_codes),
        "kind": reminder.kind,
        "indicators": [d.indicator for d in reminder.deadlines],
    }
