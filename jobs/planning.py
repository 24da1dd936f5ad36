"""Reminder planning, pure: checkpoints, deadlines, subscriptions and the time -> reminders."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from store.checkpoints import PlanPoint
from store.messages import Language

CHECKPOINT, DEADLINE = "checkpoint", "deadline"


@dataclass(frozen=True)
class ProjectCheckpoint:
    """A checkpoint of one project's plan, with the checkpoint before it, for reminders."""

    project_code: str
    project_name: str
    point: PlanPoint
    previous: PlanPoint | None
    budget: float | None
    unit: str

    @property
    def date(self) -> date:
        return self.point.date

    @property
    def label(self) -> str:
        return self.point.label


@dataclass(frozen=True)
class Deadline:
    """A dated indicator (a 时效指标 such as 2022年12月31日)."""

    project_code: str
    project_name: str
    indicator: str
    value: str
    date: date


Dated = TypeVar("Dated", ProjectCheckpoint, Deadline)


@dataclass(frozen=True)
class Subscriber:
    """A chat's subscription: project codes (empty: all), lead days, local time of day, language."""

    chat: str
    project_codes: frozenset[str]
    lead_days: tuple[int, ...]
    at: time
    language: Language = "zh"

    def wants(self, code: str) -> bool:
        return not self.project_codes or code in self.project_codes


@dataclass(frozen=True)
class Reminder:
    """One message to one chat for one checkpoint (or deadline) date and lead."""

    chat: str
    kind: str
    target_date: date
    lead_days: int
    fire_at: datetime
    label: str | None
    points: tuple[ProjectCheckpoint, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    project_codes: tuple[str, ...] = field(default=())
    language: Language = "zh"

    @property
    def key(self) -> tuple[str, str, date, int]:
        return (self.chat, self.kind, self.target_date, self.lead_days)


def fire_time(target: date, lead_days: int, at: time, zone: ZoneInfo) -> datetime:
    """`lead_days` before the target date, at the local time of day."""
    return datetime.combine(target - timedelta(days=lead_days), at, tzinfo=zone)


def _codes(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.project_code for item in items))


def _by_date(subscriber: Subscriber, items: list[Dated]) -> dict[date, list[Dated]]:
    """The chat's items (checkpoints or deadlines of the projects it wants), by date."""
    by_date: dict[date, list[Dated]] = {}
    for item in items:
        if subscriber.wants(item.project_code):
            by_date.setdefault(item.date, []).append(item)
    return by_date


def checkpoint_reminders(
    subscriber: Subscriber, points: list[ProjectCheckpoint], zone: ZoneInfo
) -> list[Reminder]:
    """One reminder per checkpoint date and lead day, covering the chat's projects."""
    return [
        Reminder(
            subscriber.chat,
            CHECKPOINT,
            day,
            lead,
            fire_time(day, lead, subscriber.at, zone),
            group[0].label,
            points=tuple(group),
            project_codes=_codes(group),
            language=subscriber.language,
        )
        for day, group in _by_date(subscriber, points).items()
        for lead in subscriber.lead_days
    ]


def deadline_reminders(
    subscriber: Subscriber, deadlines: list[Deadline], zone: ZoneInfo
) -> list[Reminder]:
    """One reminder before each deadline date (at the longest lead), for the chat's projects."""
    lead = max(subscriber.lead_days, default=0)
    return [
        Reminder(
            subscriber.chat,
            DEADLINE,
            day,
            lead,
            fire_time(day, lead, subscriber.at, zone),
            None,
            deadlines=tuple(group),
            project_codes=_codes(group),
            language=subscriber.language,
        )
        for day, group in _by_date(subscriber, deadlines).items()
    ]


def all_reminders(
    subscribers: list[Subscriber],
    points: list[ProjectCheckpoint],
    deadlines: list[Deadline],
    zone: ZoneInfo,
) -> list[Reminder]:
    """Every reminder of every subscriber, soonest first."""
    found = []
    for subscriber in subscribers:
        found += checkpoint_reminders(subscriber, points, zone)
        found += deadline_reminders(subscriber, deadlines, zone)
    return sorted(found, key=lambda r: (r.fire_at, r.chat, r.kind, r.target_date))


def upcoming(reminders: list[Reminder], now: datetime) -> list[Reminder]:
    """The reminders that fire after `now`, soonest first."""
    return [r for r in reminders if r.fire_at > now]


def due(reminders: list[Reminder], now: datetime) -> tuple[list[Reminder], list[Reminder]]:
    """(send, skip) among the reminders that fell due by `now`.

    A reminder is sent while its date has not passed; of several leads for the same chat and date
    only the latest due is sent (the earlier ones are skipped, not sent late)."""
    fallen = [r for r in reminders if r.fire_at <= now]
    today = now.astimezone(fallen[0].fire_at.tzinfo).date() if fallen else now.date()
    latest: dict[tuple, Reminder] = {}
    for reminder in fallen:
        slot = (reminder.chat, reminder.kind, reminder.target_date)
        if reminder.target_date >= today and (
            slot not in latest or reminder.fire_at > latest[slot].fire_at
        ):
            latest[slot] = reminder
    send = sorted(latest.values(), key=lambda r: (r.fire_at, r.chat))
    chosen = {r.key for r in send}
    return send, [r for r in fallen if r.key not in chosen]
