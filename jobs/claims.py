"""Delivery rows: claimed under a unique key (a second claimer loses), then marked."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, or_, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped
from sqlalchemy.sql.expression import Tuple
from sqlmodel import Session, col, select

from jobs.planning import Reminder
from store.db import unit_of_work
from store.models import Delivery

CLAIMED, SENT, FAILED, SKIPPED, REJECTED = "claimed", "sent", "failed", "skipped", "rejected"


def _insert(engine: Engine):
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(Delivery)


def _row(reminder: Reminder, status: str, token: str | None, now: datetime) -> dict:
    return {
        "chat": reminder.chat,
        "kind": reminder.kind,
        "target_date": reminder.target_date,
        "lead_days": reminder.lead_days,
        "fire_at": reminder.fire_at,
        "status": status,
        "claim_token": token,
        "claimed_at": now if token else None,
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


def claim(
    engine: Engine, reminders: list[Reminder], now: datetime, stale_after: timedelta
) -> dict[tuple, str]:
    """Claim reminders for this process: {reminder key: claim token} of those it won.

    New rows are inserted (ON CONFLICT DO NOTHING); failed rows and claims older than
    `stale_after` (a sender that crashed) are taken over by a conditional UPDATE."""
    if not reminders:
        return {}
    token = uuid.uuid4().hex
    won: dict[tuple, str] = {}
    with unit_of_work(engine) as session:
        statement = _insert(engine).on_conflict_do_nothing().returning(*_key_fields())
        for row in session.execute(statement, [_row(r, CLAIMED, token, now) for r in reminders]):
            won[tuple(row)] = token
    rest = [r.key for r in reminders if r.key not in won]
    if rest:
        won |= _take_over(engine, rest, token, now - stale_after, now)
    return won


def _take_over(
    engine: Engine, keys: list[tuple], token: str, cutoff: datetime, now: datetime
) -> dict[tuple, str]:
    retry = or_(
        col(Delivery.status) == FAILED,
        and_(col(Delivery.status) == CLAIMED, col(Delivery.claimed_at) < cutoff),
    )
    statement = (
        update(Delivery)
        .where(_key_columns().in_(keys), retry)
        .values(
            status=CLAIMED, claim_token=token, claimed_at=now, attempts=col(Delivery.attempts) + 1
        )
        .returning(*_key_fields())
    )
    with unit_of_work(engine) as session:
        return {tuple(row): token for row in session.execute(statement)}


def skip(engine: Engine, reminders: list[Reminder], now: datetime) -> int:
    """Record reminders that are too late to send, unless a row for them exists already."""
    if not reminders:
        return 0
    with unit_of_work(engine) as session:
        statement = _insert(engine).on_conflict_do_nothing().returning(Delivery.id)
        rows = session.execute(statement, [_row(r, SKIPPED, None, now) for r in reminders])
        return len(rows.all())


def mark(
    engine: Engine,
    reminder: Reminder,
    token: str,
    status: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Record the outcome of a claimed reminder (only while the claim is still ours)."""
    chat, kind, target_date, lead_days = reminder.key
    with unit_of_work(engine) as session:
        session.execute(
            update(Delivery)
            .where(
                col(Delivery.chat) == chat,
                col(Delivery.kind) == kind,
                col(Delivery.target_date) == target_date,
                col(Delivery.lead_days) == lead_days,
                col(Delivery.claim_token) == token,
            )
            .values(
                status=status,
                sent_at=now if status == SENT else None,
                error=(error or "")[:500] or None,
            )
        )


def deliveries(engine: Engine) -> list[Delivery]:
    """Every delivery row (for reports and tests)."""
    with Session(engine) as session:
        return list(session.exec(select(Delivery).order_by(col(Delivery.id))))
