"""Delivery rows: claimed under a unique key with a lease its sender renews, then recorded."""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, tuple_, update
from sqlalchemy import select as rows_of
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.expression import Tuple
from sqlmodel import Session, col, select

from jobs.leases import (
    CLAIMED,
    REJECTED,
    SENT,
    Lease,
    claimable,
    given_back,
    renewal,
    settled,
    take_over,
)
from jobs.planning import Reminder
from store.db import unit_of_work
from store.models import Delivery
from store.subscriptions import deactivate

SKIPPED = "skipped"  # too late to send: recorded so that it never goes out
DONE = (SENT, SKIPPED, REJECTED)
Key = tuple


@dataclass
class Claims:
    """What claiming found: the claims won, and why the others were not."""

    won: dict[Key, str] = field(default_factory=dict)
    held_elsewhere: int = 0  # claimed by a sender whose lease is running
    done_elsewhere: int = 0  # already sent, skipped or rejected
    stranded: int = 0  # left by a sender whose lease ran out: taken over here
    retried: int = 0  # failed or released earlier: claimed again here


@dataclass(frozen=True)
class Result:
    """The outcome of sending one claimed reminder."""

    reminder: Reminder
    token: str
    status: str
    error: str | None = None


def _insert(engine: Engine):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(Delivery)


def _row(reminder: Reminder, status: str, token: str | None, now: datetime, lease) -> dict:
    return {
        "chat": reminder.chat,
        "kind": reminder.kind,
        "target_date": reminder.target_date,
        "lead_days": reminder.lead_days,
        "fire_at": reminder.fire_at,
        "status": status,
        "claim_token": token,
        "claimed_at": now if token else None,
        "sender": lease.sender if lease else None,
        "lease_until": lease.until() if lease else None,
        "attempts": 1 if token else 0,
    }


def _key_fields() -> tuple[Mapped[Any], ...]:
    """A reminder's key: chat, kind, target date, lead days."""
    return (
        col(Delivery.chat),
        col(Delivery.kind),
        col(Delivery.target_date),
        col(Delivery.lead_days),
    )


def _key_columns() -> Tuple:
    return tuple_(*_key_fields())


def claim(engine: Engine, reminders: list[Reminder], now: datetime, lease: Lease) -> Claims:
    """Claim reminders for this sender: new rows are inserted (ON CONFLICT DO NOTHING); failed
    and released rows, expired leases and this sender's own leftovers are taken over by a
    conditional UPDATE. Rows held under a running lease, or done, are left alone."""
    found = Claims()
    if not reminders:
        return found
    token = uuid.uuid4().hex
    with unit_of_work(engine) as session:
        statement = _insert(engine).on_conflict_do_nothing().returning(*_key_fields())
        rows = [_row(r, CLAIMED, token, now, lease) for r in reminders]
        found.won = {tuple(row): token for row in session.execute(statement, rows)}
    rest = [r.key for r in reminders if r.key not in found.won]
    if rest:
        _take_over(engine, rest, token, now, lease, found)
    return found


def _take_over(
    engine: Engine, keys: list[Key], token: str, now: datetime, lease: Lease, found: Claims
) -> None:
    with unit_of_work(engine) as session:
        before = {
            tuple(row[:4]): (row[4], row[5], row[6])
            for row in session.execute(
                rows_of(
                    col(Delivery.chat),
                    col(Delivery.kind),
                    col(Delivery.target_date),
                    col(Delivery.lead_days),
                    col(Delivery.status),
                    col(Delivery.lease_until),
                    col(Delivery.sender),
                ).where(_key_columns().in_(keys))
            )
        }
        statement = (
            take_over(Delivery, token, now, lease)
            .where(_key_columns().in_(keys), claimable(Delivery, lease))
            .returning(*_key_fields())
        )
        taken = {tuple(row) for row in session.execute(statement)}
    for key, (status, _until, _sender) in before.items():
        if key in taken:
            found.won[key] = token
            found.stranded += status == CLAIMED
            found.retried += status != CLAIMED
        elif status in DONE:
            found.done_elsewhere += 1
        else:
            found.held_elsewhere += 1


def renew(engine: Engine, lease: Lease) -> set[Key]:
    """Extend every claim this sender holds; the keys it still holds (others may have taken
    over claims whose lease ran out while the database was unreachable)."""
    statement = renewal(Delivery, lease).returning(*_key_fields())
    with unit_of_work(engine) as session:
        return {tuple(row) for row in session.execute(statement)}


def release(engine: Engine, claimed: list[tuple[Reminder, str]], reason: str) -> int:
    """Give claims back unsent, free for the next pass at once; how many were still ours."""
    released = 0
    with unit_of_work(engine) as session:
        for reminder, token in claimed:
            result = cast(
                CursorResult[Any],
                session.execute(_ours(reminder, token).values(given_back(reason))),
            )
            released += result.rowcount
    return released


def skip(engine: Engine, reminders: list[Reminder], now: datetime) -> int:
    """Record reminders that are too late to send, unless a row for them exists already."""
    if not reminders:
        return 0
    with unit_of_work(engine) as session:
        statement = _insert(engine).on_conflict_do_nothing().returning(Delivery.id)
        rows = session.execute(statement, [_row(r, SKIPPED, None, now, None) for r in reminders])
        return len(rows.all())


def _ours(reminder: Reminder, token: str):
    chat, kind, target_date, lead_days = reminder.key
    return update(Delivery).where(
        col(Delivery.chat) == chat,
        col(Delivery.kind) == kind,
        col(Delivery.target_date) == target_date,
        col(Delivery.lead_days) == lead_days,
        col(Delivery.claim_token) == token,
    )


def record(engine: Engine, results: list[Result], now: datetime) -> Counter:
    """Record outcomes in one transaction (only claims still ours); a chat that rejected
    delivery is unsubscribed in the same transaction. Counts of rows written per status."""
    written: Counter = Counter()
    with unit_of_work(engine) as session:
        for result in results:
            outcome = cast(
                CursorResult[Any],
                session.execute(
                    _ours(result.reminder, result.token).values(
                        settled(
                            result.status,
                            now if result.status == SENT else None,
                            (result.error or "")[:500] or None,
                        )
                    )
                ),
            )
            written[result.status] += outcome.rowcount
            if result.status == REJECTED:
                deactivate(session, result.reminder.chat, result.error or "", now)
    return written


def deliveries(engine: Engine) -> list[Delivery]:
    """Every delivery row (for reports and tests)."""
    with Session(engine) as session:
        return list(session.exec(select(Delivery).order_by(col(Delivery.id))))
