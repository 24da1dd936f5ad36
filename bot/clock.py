"""The current time in the configured zone, or a time given on the command line."""

from datetime import datetime
from zoneinfo import ZoneInfo


def local_now(tz_name: str, given: str | None = None) -> datetime:
    """`given` (ISO 8601, read in the zone when it has no offset) or now, in the zone."""
    zone = ZoneInfo(tz_name)
    if not given:
        return datetime.now(zone)
    moment = datetime.fromisoformat(given)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
