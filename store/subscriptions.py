"""Subscriptions to reminders, for chat commands and the shell: subscribe, unsubscribe, read."""

import datetime as dt

from sqlmodel import Session, select

from store.models import Subscription


def subscription_of(session: Session, chat: str) -> Subscription | None:
    """The chat's subscription, active or not."""
    return session.exec(select(Subscription).where(Subscription.chat == chat)).first()


def subscribe(
    session: Session,
    chat: str,
    project_codes: list[str],
    lead_days: str,
    at_time: str,
    now: dt.datetime,
) -> Subscription:
    """Create or replace a chat's subscription (no codes: every project); caller commits."""
    row = subscription_of(session, chat)
    if row is None:
        row = Subscription(chat=chat, created_at=now, updated_at=now)
    row.project_codes = ",".join(dict.fromkeys(project_codes))
    row.lead_days, row.at_time, row.active, row.note = lead_days, at_time, True, None
    row.updated_at = now
    session.add(row)
    return row


def unsubscribe(session: Session, chat: str, now: dt.datetime) -> bool:
    """Stop a chat's reminders; False when it had none."""
    row = subscription_of(session, chat)
    if row is None or not row.active:
        return False
    row.active, row.updated_at, row.note = False, now, "unsubscribed"
    session.add(row)
    return True
