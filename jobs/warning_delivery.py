"""Send the light warnings that are due, exactly once per chat and change."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from jobs import warning_claims
from jobs.light_warnings import light_changes, warning_message
from jobs.reminder_channel import Channel, Failed, Rejected
from store.chats import masked_chat
from store.monitoring_status import StatusRules
from store.offloop import Retrying

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
    db: Retrying | None = None,
    stop: asyncio.Event | None = None,
) -> WarningOutcome:
    """Find the projects that turned yellow or red, claim each warning, send it, record it
    before the next send. Database work runs off the event loop with retries; a set `stop`
    ends the pass before the next send (its claims lapse after `claim_timeout`)."""
    db, stop = db or Retrying(), stop or asyncio.Event()

    def changes_due() -> list:
        with Session(engine) as session:
            return [c for c in light_changes(session, now, rules) if channel_for(c.chat)]

    changes = await db.call(changes_due)
    won = await db.call(warning_claims.claim, engine, changes, now, claim_timeout)
    outcome = WarningOutcome()
    for change in changes:
        token = won.get(change.key)
        if token is None or stop.is_set():
            continue
        status, detail = await _send(channel_for, change)
        await db.call(warning_claims.mark, engine, change, token, status, now, detail)
        if status == warning_claims.SENT:
            outcome.warned.append(change.chat)
        elif status == warning_claims.FAILED:
            outcome.failed.append(change.chat)
    return outcome


async def _send(channel_for: Callable[[str], Channel | None], change) -> tuple[str, str | None]:
    """Send one warning; the status to record and why."""
    channel = channel_for(change.chat)
    assert channel is not None
    try:
        await channel.send(change.chat.partition(":")[2], warning_message(change))
    except Rejected as error:
        return warning_claims.REJECTED, str(error)
    except (Failed, OSError) as error:
        log.warning("light warning to %s failed, will retry: %s", masked_chat(change.chat), error)
        return warning_claims.FAILED, str(error)
    return warning_claims.SENT, None
