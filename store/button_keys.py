"""Short keys for chat buttons: a button carries a key, the store keeps what it stands for.

Telegram allows 64 bytes of callback_data; a project code alone may be longer. The key is a
hash of what it stands for, so the same button gets the same key, in any process, after a
restart."""

import datetime as dt
import hashlib
import json
from base64 import urlsafe_b64encode
from typing import Any

from sqlalchemy import Text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Column, Field, Session, SQLModel, select

KEY_LENGTH = 16


class ButtonKey(SQLModel, table=True):
    """What a button's key stands for: an action and its values (JSON)."""

    __tablename__ = "button_key"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=KEY_LENGTH)
    action: str = Field(max_length=8)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime


def button_key(session: Session, action: str, payload: dict[str, Any]) -> str:
    """The key of (action, payload), stored when new (a concurrent insert of the same key is
    fine: the row is the same)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(f"{action}\n{text}".encode()).digest()
    key = urlsafe_b64encode(digest).decode()[:KEY_LENGTH]
    if session.exec(select(ButtonKey.id).where(ButtonKey.key == key)).first() is None:
        row = ButtonKey(key=key, action=action, payload=text, created_at=dt.datetime.now(dt.UTC))
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            pass  # another process stored it first
    return key


def button_payload(session: Session, action: str, key: str) -> dict[str, Any] | None:
    """What the key of an `action` button stands for; None for an unknown key."""
    found = session.exec(
        select(ButtonKey.payload).where(ButtonKey.key == key, ButtonKey.action == action)
    ).first()
    return json.loads(found) if found is not None else None
