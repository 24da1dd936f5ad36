"""Reminder timing: lead days ("7,1") and a time of day ("09:00"), read, written and defaulted."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

DEFAULT_LEAD_DAYS: tuple[int, ...] = (7, 1)
DEFAULT_TIME = time(9, 0)


def parse_lead_days(text: str) -> tuple[int, ...]:
    """ "7,1" -> (7, 1), longest first; ValueError for negatives or nonsense."""
    parts = text.replace(" ", "").replace("，", ",").split(",")
    return checked_lead_days(int(part) for part in parts if part)


def checked_lead_days(days: Iterable[int]) -> tuple[int, ...]:
    """Distinct whole days 0..366, longest first; ValueError otherwise."""
    ordered = tuple(sorted(set(days), reverse=True))
    if not ordered or any(d < 0 or d > 366 for d in ordered):
        raise ValueError(f"lead days must be whole days 0..366, got {ordered!r}")
    return ordered


def parse_time(text: str) -> time:
    """ "09:00" -> time(9, 0); ValueError for anything else."""
    hours, _, minutes = text.strip().replace("：", ":").partition(":")
    return time(int(hours), int(minutes or 0))


def lead_days_text(days: tuple[int, ...]) -> str:
    """(7, 1) -> "7,1", the form subscriptions store."""
    return ",".join(str(d) for d in days)


def time_text(moment: time) -> str:
    """time(9, 0) -> "09:00", the form subscriptions store."""
    return f"{moment:%H:%M}"


@dataclass(frozen=True)
class ReminderTiming:
    """When a chat is reminded: days before each checkpoint, at a local time of day."""

    lead_days: tuple[int, ...] = DEFAULT_LEAD_DAYS
    at: time = DEFAULT_TIME

    @property
    def lead_days_text(self) -> str:
        return lead_days_text(self.lead_days)

    @property
    def at_text(self) -> str:
        return time_text(self.at)

    @classmethod
    def read(cls, lead_days: str, at: str) -> "ReminderTiming":
        """From the stored (or typed) texts; ValueError when either is not understood."""
        return cls(parse_lead_days(lead_days), parse_time(at))
