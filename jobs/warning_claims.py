"""Light warnings claimed under a unique key (chat, project, date, light), then marked: once."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from jobs.light_warnings import LightChange
from store.actual_models import LightWarning
from store.db import unit_of_work

CLAIMED, SENT, FAILED, REJECTED = "claimed", "sent", "failed", "rejected"
_RETURNED = (
    col(LightWarning.chat),
    col(LightWarning.project_code),
    col(LightWarning.as_of),
    col(LightWarning.light),
)


def _key_columns():  # type: ignore[no-untyped-def]
    return tuple_(*_RETURNED)


def claim(
    engine: Engine, changes: list[LightChange], now: datetime, stale_after: timedelta
) -> dict[tuple, str]:
    """{change key: claim token} of the warnings this process won (new, failed or stale)."""
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
        retry = or_(
            col(LightWarning.status) == FAILED,
            and_(
                col(LightWarning.status) == CLAIMED,
                col(LightWarning.claimed_at) < now - stale_after,
            ),
        )
        statement = (
            update(LightWarning)
            .where(_key_columns().in_(rest), retry)
            .values(
                status=CLAIMED,
                claim_token=token,
                claimed_at=now,
                attempts=col(LightWarning.attempts) + 1,
            )
            .returning(*_RETURNED)
        )
        with unit_of_work(engine) as session:
            won |= {tuple(row): token for row in session.execute(statement)}
    return won


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
            update(LightWarning)
            .where(_key_columns() == tuple_(*change.key), col(LightWarning.claim_token) == token)
            .values(status=status, sent_at=now if status == SENT else None, error=error)
        )
