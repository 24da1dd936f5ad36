"""What reminder planning needs, read from the store: plan points, deadlines, subscribers."""

from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jobs.planning import Deadline, PlanPoint, Reminder, Subscriber, all_reminders
from store.models import Checkpoint, Indicator, Project, Subscription
from store.reminder_timing import parse_lead_days, parse_time


def load_points(session: Session) -> list[PlanPoint]:
    """Every checkpoint of every project, with the previous checkpoint of the same project."""
    rows = session.exec(
        select(Checkpoint, Project)
        .join(Project, col(Checkpoint.project_id) == Project.id)
        .order_by(col(Project.id), col(Checkpoint.month))
    ).all()
    points: list[PlanPoint] = []
    previous: dict[int | None, Checkpoint] = {}
    for point, project in rows:
        before = previous.get(project.id)
        points.append(
            PlanPoint(
                project_code=project.code,
                project_name=project.name,
                label=point.label,
                date=point.date,
                amount=point.amount,
                budget=project.budget,
                previous_label=before.label if before else None,
                previous_amount=before.amount if before else None,
                unit=project.money_unit,
            )
        )
        previous[project.id] = point
    return points


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
    codes = frozenset(code for code in row.project_codes.split(",") if code)
    return Subscriber(row.chat, codes, parse_lead_days(row.lead_days), parse_time(row.at_time))


def load_subscribers(session: Session) -> list[Subscriber]:
    """Every active subscription."""
    rows = session.exec(select(Subscription).where(col(Subscription.active).is_(True)))
    return [to_subscriber(row) for row in rows]


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
