"""Messages already taken (a WeCom MsgId, a Telegram update_id): one answer across replicas."""

import datetime as dt

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col

KEEP = dt.timedelta(days=1)


class SeenMessage(SQLModel, table=True):
    """A message key taken by one process; rows older than a day are expired."""

    __tablename__ = "seen_message"

    key: str = Field(primary_key=True, max_length=255)
    seen_at: dt.datetime = Field(index=True)


def utc_now() -> dt.datetime:
    """Now, in UTC."""
    return dt.datetime.now(dt.UTC)


def first_sight(engine: Engine, key: str, now: dt.datetime | None = None) -> bool:
    """Take `key`: True for the first process to take it (within a day), False for any other.
    The unique key decides, so two processes on one database never both get True."""
    now = now or utc_now()
    with Session(engine) as session:
        session.exec(delete(SeenMessage).where(col(SeenMessage.seen_at) < now - KEEP))
        session.add(SeenMessage(key=key, seen_at=now))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True


def forget(engine: Engine, key: str) -> None:
    """Give a key back (its answer failed before anything was sent): a retry may take it."""
    with Session(engine) as session:
        session.exec(delete(SeenMessage).where(col(SeenMessage.key) == key))
        session.commit()
