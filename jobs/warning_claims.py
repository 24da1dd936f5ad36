"""Light warnings claimed under a unique key (chat, project, date, light) and a renewed lease."""

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from jobs.leases import CLAIMED, SENT, Lease, claimable, given_back, renewal, settled, take_over
from jobs.light_warnings import LightChange
from store.actual_models import LightWarning
from store.db import unit_of_work

_RETURNED = (
    col(LightWarning.chat),
    col(LightWarning.project_code),
    col(LightWarning.as_of),
    col(LightWarning.light),
)


def _key_columns():  # type: ignore[no-untyped-def]
    return tuple_(*_RETURNED)


def claim(
    engine: Engine, changes: list[LightChange], now: datetime, lease: Lease
) -> dict[tuple, str]:
    """{change key: claim token} of the warnings this sender won: new ones, failed or
    released ones, and those whose claimer's lease ran out. Running leases are left alone."""
    if not changes:
        return {}
    token = uuid.uuid4().hex
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    rows = [
        {
            "chat": c.chat,
            "project_code": c.project_code,
            "as_of": c.as_of,
            "light": c.light,
            "status": CLAIMED,
            "claim_token": token,
            "claimed_at": now,
            "sender": lease.sender,
            "lease_until": lease.until(),
            "attempts": 1,
        }
        for c in changes
    ]
    won: dict[tuple, str] = {}
    with unit_of_work(engine) as session:
        statement = dialect.insert(LightWarning).on_conflict_do_nothing().returning(*_RETURNED)
        for row in session.execute(statement, rows):
            won[tuple(row)] = token
    rest = [c.key for c in changes if c.key not in won]
    if rest:
        statement = (
            take_over(LightWarning, token, now, lease)
            .where(_key_columns().in_(rest), claimable(LightWarning, lease))
            .returning(*_RETURNED)
        )
        with unit_of_work(engine) as session:
            won |= {tuple(row): token for row in session.execute(statement)}
    return won


def renew(engine: Engine, lease: Lease) -> set[tuple]:
    """Extend every warning claim this sender holds; the keys it still holds."""
    statement = renewal(LightWarning, lease).returning(*_RETURNED)
    with unit_of_work(engine) as session:
        return {tuple(row) for row in session.execute(statement)}


def _ours(change: LightChange, token: str):  # type: ignore[no-untyped-def]
    return update(LightWarning).where(
        _key_columns() == tuple_(*change.key), col(LightWarning.claim_token) == token
    )


def release(engine: Engine, claimed: list[tuple[LightChange, str]], reason: str) -> int:
    """Give warning claims back unsent, free for the next pass at once; how many were ours."""
    released = 0
    with unit_of_work(engine) as session:
        for change, token in claimed:
            result = session.execute(_ours(change, token).values(given_back(reason)))
            released += cast(CursorResult[Any], result).rowcount
    return released


def mark(
    engine: Engine,
    change: LightChange,
    token: str,
    status: str,
    now: datetime,
    error: str | None = None,
) -> None:
    """Record the outcome of a claimed warning (only while the claim is still ours)."""
    with unit_of_work(engine) as session:
        session.execute(
            _ours(change, token).values(settled(status, now if status == SENT else None, error))
        )
