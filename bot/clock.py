"""The current time in the configured zone, or a time given on the command line."""

import sys
from datetime import datetime
from zoneinfo import ZoneInfo


def command_line_now(tz_name: str, given: str | None) -> datetime | None:
    """local_now for a --now option; None (and a message on stderr) when it is no date-time."""
    try:
        return local_now(tz_name, given)
    except ValueError:
        print(f"targetbot: --now '{given}' is not an ISO date-time", file=sys.stderr)
        return None


def local_now(tz_name: str, given: str | None = None) -> datetime:
    """`given` (ISO 8601, read in the zone when it has no offset) or now, in the zone."""
    zone = ZoneInfo(tz_name)
    if not given:
        return datetime.now(zone)
    moment = datetime.fromisoformat(given)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
