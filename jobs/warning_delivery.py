"""Send the light warnings that are due, exactly once per chat and change, under a lease."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from jobs import leases, warning_claims
from jobs.leases import Lease
from jobs.light_warnings import LightChange, light_changes, warning_message
from jobs.reminder_channel import Channel, Failed, Rejected
from store.chats import masked_chat
from store.monitoring_status import StatusRules
from store.offloop import Retrying

log = logging.getLogger(__name__)


@dataclass
class WarningOutcome:
    """Chats warned, warnings that failed (retried on the next pass), claims given back."""

    warned: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    released: int = 0
    lost: int = 0  # taken over by another sender while this one could not renew its lease


async def send_warnings(
    engine: Engine,
    channel_for: Callable[[str], Channel | None],
    rules: StatusRules,
    now: datetime,
    lease: Lease,
    db: Retrying | None = None,
    stop: asyncio.Event | None = None,
) -> WarningOutcome:
    """Find the projects that turned yellow or red, claim each warning under this sender's
    lease (renewed during the pass), send it and record it before the next send. Database
    work runs off the event loop with retries; a set `stop` ends the pass before the next
    send and releases the unsent claims at once, as reminders do at shutdown."""
    db, stop = db or Retrying(), stop or asyncio.Event()

    def changes_due() -> list[LightChange]:
        with Session(engine) as session:
            return [c for c in light_changes(session, now, rules) if channel_for(c.chat)]

    changes = await db.call(changes_due)
    won = await db.call(warning_claims.claim, engine, changes, now, lease)
    queue = [(c, won[c.key]) for c in changes if c.key in won]
    outcome = WarningOutcome()
    if not queue:
        return outcome
    keeper = asyncio.create_task(_keep_lease(engine, lease, db, queue, outcome))
    try:
        while queue and not stop.is_set():
            change, token = queue.pop(0)
            status, detail = await _send(channel_for, change)
            await db.call(warning_claims.mark, engine, change, token, status, now, detail)
            if status == leases.SENT:
                outcome.warned.append(change.chat)
            elif status == leases.FAILED:
                outcome.failed.append(change.chat)
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)
        if queue:
            outcome.released = await db.call(warning_claims.release, engine, queue, "shutdown")
            log.info("stopping: %d light warnings released unsent", outcome.released)
    return outcome


async def _keep_lease(
    engine: Engine,
    lease: Lease,
    db: Retrying,
    queue: list[tuple[LightChange, str]],
    outcome: WarningOutcome,
) -> None:
    """Renew the lease every third of its period; drop claims another sender took over."""
    while True:
        await asyncio.sleep(lease.period.total_seconds() / 3)
        held = await db.call(warning_claims.renew, engine, lease)
        mine = [(c, t) for c, t in queue if c.key in held]
        if len(mine) < len(queue):
            outcome.lost += len(queue) - len(mine)
            log.warning(
                "%d warning claims were taken over; not sending them", len(queue) - len(mine)
            )
            queue[:] = mine


async def _send(
    channel_for: Callable[[str], Channel | None], change: LightChange
) -> tuple[str, str | None]:
    """Send one warning; the status to record and why."""
    channel = channel_for(change.chat)
    assert channel is not None
    try:
        await channel.send(change.chat.partition(":")[2], warning_message(change))
    except Rejected as error:
        return leases.REJECTED, str(error)
    except (Failed, OSError) as error:
        log.warning("light warning to %s failed, will retry: %s", masked_chat(change.chat), error)
        return leases.FAILED, str(error)
    return leases.SENT, None
