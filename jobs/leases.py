"""Leases on claimed rows (reminders, light warnings): who holds a claim, till when, and the
updates that take one over, renew it and end it, for any table with the claim columns."""

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Update, and_, or_, update
from sqlmodel import col

from store.claim_columns import ClaimColumns

CLAIMED, SENT, FAILED, REJECTED = "claimed", "sent", "failed", "rejected"
RELEASED = "released"  # a claim given back unsent (shutdown): free for the next pass at once


def sender_id() -> str:
    """A name for this process, unique among the senders sharing the database."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def wall_clock() -> datetime:
    """Leases run on real time (UTC), whatever clock the reminders are planned on."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Lease:
    """Who claims (a per-process sender id) and for how long a claim holds without renewal."""

    sender: str
    period: timedelta

    def until(self) -> datetime:
        return wall_clock() + self.period


def claimable(table: type[ClaimColumns], lease: Lease) -> ColumnElement[bool]:
    """Rows a sender may take: failed, released, or claimed under a lease that ran out (or
    this sender's own leftovers)."""
    return or_(
        col(table.status).in_([FAILED, RELEASED]),
        and_(
            col(table.status) == CLAIMED,
            or_(
                col(table.lease_until).is_(None),
                col(table.lease_until) < wall_clock(),
                col(table.sender) == lease.sender,
            ),
        ),
    )


def take_over(table: type[ClaimColumns], token: str, now: datetime, lease: Lease) -> Update:
    """The UPDATE that claims the claimable rows for this sender under a new token and lease
    (narrow it with `.where(...)`: which rows, and `claimable`)."""
    return update(table).values(
        status=CLAIMED,
        claim_token=token,
        claimed_at=now,
        sender=lease.sender,
        lease_until=lease.until(),
        attempts=col(table.attempts) + 1,
    )


def renewal(table: type[ClaimColumns], lease: Lease) -> Update:
    """The UPDATE that extends every claim this sender holds."""
    return (
        update(table)
        .where(col(table.sender) == lease.sender, col(table.status) == CLAIMED)
        .values(lease_until=lease.until())
    )


def given_back(reason: str) -> dict[str, Any]:
    """The values of a claim released unsent: free for the next pass at once."""
    return {"status": RELEASED, "sender": None, "lease_until": None, "error": reason[:500]}


def settled(status: str, sent_at: datetime | None, error: str | None) -> dict[str, Any]:
    """The values of a claim's outcome: the lease ends with it."""
    return {
        "status": status,
        "sent_at": sent_at,
        "error": error,
        "sender": None,
        "lease_until": None,
    }
