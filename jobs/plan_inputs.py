"""What reminder planning needs, read from the store: plan points, deadlines, subscribers."""

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jobs.planning import Deadline, ProjectCheckpoint, Reminder, Subscriber, all_reminders
from store.checkpoints import PlanPoint, previous_point
from store.messages import Language
from store.models import Checkpoint, Indicator, Project, Subscription
from store.subscriptions import active_subscriptions, project_codes, timing_of


def load_points(session: Session) -> list[ProjectCheckpoint]:
    """Every checkpoint of every project, with the previous checkpoint of the same project."""
    rows = session.exec(
        select(Checkpoint, Project)
        .join(Project, col(Checkpoint.project_id) == Project.id)
        .order_by(col(Project.id), col(Checkpoint.month))
    ).all()
    plans: dict[int | None, tuple[Project, list[PlanPoint]]] = {}
    for row, project in rows:
        point = PlanPoint(row.label, row.month, row.date, row.amount)
        plans.setdefault(project.id, (project, []))[1].append(point)
    return [
        ProjectCheckpoint(
            project_code=project.code,
            project_name=project.name,
            point=point,
            previous=previous_point(plan, point),
            budget=project.budget,
            unit=project.money_unit,
        )
        for project, plan in plans.values()
        for point in plan
    ]


def load_deadlines(session: Session) -> list[Deadline]:
    """Indicators whose value is a date (时效指标 such as 2022年12月31日)."""
    rows = session.exec(
        select(Indicator, Project)
        .join(Project, col(Indicator.project_id) == Project.id)
        .where(col(Indicator.deadline).is_not(None))
        .order_by(col(Project.id), col(Indicator.position))
    ).all()
    return [
        Deadline(project.code, project.name, item.name, item.value, item.deadline)
        for item, project in rows
        if item.deadline
    ]


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
