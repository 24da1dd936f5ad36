"""Reading the reminder settings people type: lead days ("7,1") and a time of day ("09:00")."""

from datetime import time


def parse_lead_days(text: str) -> tuple[int, ...]:
    """ "7,1" -> (7, 1), longest first; ValueError for negatives or nonsense."""
    parts = text.replace(" ", "").replace("，", ",").split(",")
    days = tuple(sorted({int(part) for part in parts if part}, reverse=True))
    if not days or any(d < 0 or d > 366 for d in days):
        raise ValueError(f"lead days must be whole days 0..366, got {text!r}")
    return days


def parse_time(text: str) -> time:
    """ "09:00" -> time(9, 0); ValueError for anything else."""
    hours, _, minutes = text.strip().replace("：", ":").partition(":")
    return time(int(hours), int(minutes or 0))


def lead_days_text(days: tuple[int, ...]) -> str:
    return ",".join(str(d) for d in days)
