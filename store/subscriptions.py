"""Subscriptions to reminders, the one place their rows are written (chat, CLI, delivery)."""

import datetime as dt

from sqlmodel import Session, col, select

from store.messages import Language
from store.models import Subscription
from store.reminder_timing import ReminderTiming


def subscription_of(session: Session, chat: str) -> Subscription | None:
    """The chat's subscription, active or not."""
    return session.exec(select(Subscription).where(Subscription.chat == chat)).first()


def active_subscriptions(session: Session) -> list[Subscription]:
    """Every subscription that still wants reminders."""
    query = select(Subscription).where(col(Subscription.active).is_(True))
    return list(session.exec(query.order_by(col(Subscription.id))))


def project_codes(row: Subscription) -> list[str]:
    """The codes a subscription chose; empty for every project."""
    return [code for code in row.project_codes.split(",") if code]


def timing_of(row: Subscription) -> ReminderTiming:
    """A subscription's lead days and time of day."""
    return ReminderTiming.read(row.lead_days, row.at_time)


def subscribe(
    session: Session,
    chat: str,
    codes: list[str],
    timing: ReminderTiming,
    now: dt.datetime,
    language: Language = "zh",
) -> Subscription:
    """Create or replace a chat's subscription (no codes: every project); caller commits."""
    row = subscription_of(session, chat)
    if row is None:
        row = Subscription(chat=chat, created_at=now, updated_at=now)
    row.project_codes = ",".join(dict.fromkeys(codes))
    row.lead_days, row.at_time = timing.lead_days_text, timing.at_text
    row.language, row.active, row.note, row.updated_at = language, True, None, now
    session.add(row)
    session.flush()
    return row


def unsubscribe(session: Session, chat: str, now: dt.datetime) -> bool:
    """Stop a chat's reminders at its own request; False when it had none."""
    return deactivate(session, chat, "unsubscribed", now)


def deactivate(session: Session, chat: str, reason: str, now: dt.datetime) -> bool:
    """Stop reminding a chat (it unsubscribed, or rejected delivery); False when it had none."""
    row = subscription_of(session, chat)
    if row is None or not row.active:
        return False
    row.active, row.updated_at, row.note = False, now, reason[:200]
    session.add(row)
    return True
