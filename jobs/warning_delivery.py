"""Send the light warnings that are due, exactly once per chat and change."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from jobs import warning_claims
from jobs.light_warnings import light_changes, warning_message
from jobs.reminder_channel import Channel, Failed, Rejected
from store.monitoring_status import StatusRules

log = logging.getLogger(__name__)


@dataclass
class WarningOutcome:
    """Chats warned, and warnings that failed (retried on the next pass)."""

    warned: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def send_warnings(
    engine: Engine,
    channel_for: Callable[[str], Channel | None],
    rules: StatusRules,
    now: datetime,
    claim_timeout: timedelta,
) -> WarningOutcome:
    """Find the projects that turned yellow or red, claim each warning, send it, record it."""
    with Session(engine) as session:
        changes = [c for c in light_changes(session, now, rules) if channel_for(c.chat)]
    won = warning_claims.claim(engine, changes, now, claim_timeout)
    outcome = WarningOutcome()
    for change in changes:
        token = won.get(change.key)
        if token is None:
            continue
        channel = channel_for(change.chat)
        assert channel is not None
        try:
            await channel.send(change.chat.partition(":")[2], warning_message(change))
        except Rejected as error:
            warning_claims.mark(engine, change, token, warning_claims.REJECTED, now, str(error))
        except (Failed, OSError) as error:
            log.warning("light warning to %s failed, will retry: %s", change.chat, error)
            warning_claims.mark(engine, change, token, warning_claims.FAILED, now, str(error))
            outcome.failed.append(change.chat)
        else:
            warning_claims.mark(engine, change, token, warning_claims.SENT, now)
            outcome.warned.append(change.chat)
    return outcome
