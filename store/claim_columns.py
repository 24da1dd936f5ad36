"""The claim and lease columns shared by the tables of messages sent exactly once."""

import datetime as dt

from sqlmodel import Field, SQLModel


class ClaimColumns(SQLModel):
    """A row claimed by one sender under a lease before its message goes out (not a table)."""

    status: str = Field(max_length=16)  # claimed | sent | failed | skipped | rejected | released
    claim_token: str | None = Field(default=None, max_length=64)
    claimed_at: dt.datetime | None = None
    sender: str | None = Field(default=None, max_length=64)  # the process holding the claim
    lease_until: dt.datetime | None = None  # the claim is free for others after this (UTC)
    sent_at: dt.datetime | None = None
    attempts: int = 0
    error: str | None = None
