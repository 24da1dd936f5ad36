"""/subscribe, /unsubscribe and /reminders: a chat's subscription, answered like any command."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlmodel import Session

from handlers.catalog import Catalog
from handlers.question_reading import Understanding
from handlers.reply import Intent, Reply
from store.messages import Language, say
from store.reminder_timing import ReminderTiming
from store.subscriptions import project_codes, subscribe, subscription_of, unsubscribe

SUBSCRIPTION_COMMANDS: tuple[Intent, ...] = ("subscribe", "unsubscribe", "reminders")
SHOWN_REMINDERS = 6


class UpcomingReminder(Protocol):
    """What a chat is shown of one planned reminder."""

    @property
    def fire_at(self) -> datetime: ...
    @property
    def label(self) -> str | None: ...
    @property
    def target_date(self) -> date: ...
    @property
    def lead_days(self) -> int: ...


class ReminderPlan(Protocol):
    """The upcoming reminders of one chat, soonest first (bot/ implements it with jobs/)."""

    def upcoming(self, session: Session, chat: str, now: datetime) -> Sequence[UpcomingReminder]:
        """Reminders of `chat` that fire after `now`, as the session sees the store."""
        ...


class NoReminderPlan:
    """A plan that knows no reminders (for callers without a scheduler)."""

    def upcoming(self, session: Session, chat: str, now: datetime) -> Sequence[UpcomingReminder]:
        return ()


@dataclass(frozen=True)
class ChatContext:
    """Who asks: the chat (None where reminders cannot go), what a new subscription gets, the
    plan that lists its reminders, and the chat's language when the channel knows it."""

    chat: str | None = None
    timing: ReminderTiming = field(default_factory=ReminderTiming)
    plan: ReminderPlan = field(default_factory=NoReminderPlan)
    language: Language | None = None


def subscription_reply(
    name: Intent,
    args: str,
    reading: Understanding,
    catalog: Catalog,
    session: Session,
    context: ChatContext,
    now: datetime,
) -> Reply:
    """The reply to a subscription command; the caller commits the session."""
    language = _language(reading, session, context)
    if context.chat is None:
        lines = [say(language, "no_reminders_here")]
    elif name == "subscribe":
        lines = _subscribe(reading, args, catalog, session, context, context.chat, now, language)
    elif name == "unsubscribe":
        stopped = unsubscribe(session, context.chat, now)
        lines = [say(language, "unsubscribed" if stopped else "not_subscribed")]
    else:
        lines = _describe(catalog, session, context, context.chat, now, language)
    return Reply(
        query=reading.question,
        title=lines[0],
        lines=tuple(lines[1:]),
        intent=name,
        language=language,
    )


def _language(reading: Understanding, session: Session, context: ChatContext) -> Language:
    """The channel's word for the chat's language, else English words, else the language the
    chat subscribed in, else Chinese."""
    if context.language:
        return context.language
    if reading.english:
        return "en"
    row = subscription_of(session, context.chat) if context.chat else None
    return "en" if row and row.language == "en" else "zh"


def _subscribe(
    reading: Understanding,
    args: str,
    catalog: Catalog,
    session: Session,
    context: ChatContext,
    chat: str,
    now: datetime,
    language: Language,
) -> list[str]:
    if args and not reading.projects:
        return [say(language, "subscribe_no_project", name=args)]
    codes = [p.code for p in reading.projects]
    timing = context.timing
    subscribe(session, chat, codes, timing, now, language)
    head = say(
        language,
        "subscribed",
        scope=_scope(catalog, codes, language),
        lead_days=timing.lead_days_text,
        at=timing.at_text,
    )
    return [head, *_coming(session, context, chat, now, language)]


def _describe(
    catalog: Catalog,
    session: Session,
    context: ChatContext,
    chat: str,
    now: datetime,
    language: Language,
) -> list[str]:
    row = subscription_of(session, chat)
    if row is None or not row.active:
        return [say(language, "not_subscribed_hint")]
    head = say(
        language,
        "subscription",
        scope=_scope(catalog, project_codes(row), language),
        lead_days=row.lead_days,
        at=row.at_time,
    )
    return [head, *_coming(session, context, chat, now, language)]


def _scope(catalog: Catalog, codes: list[str], language: Language) -> str:
    if not codes:
        return say(language, "all_projects")
    names = {p.code: p.name for p in catalog.projects}
    return say(language, "list_separator").join(names.get(code, code) for code in codes)


def _coming(
    session: Session, context: ChatContext, chat: str, now: datetime, language: Language
) -> list[str]:
    """ "Next reminders:" and one line per reminder (or a line saying there are none)."""
    coming = list(context.plan.upcoming(session, chat, now))[:SHOWN_REMINDERS]
    lines = [
        say(
            language,
            "planned_reminder",
            fire_at=f"{reminder.fire_at:%Y-%m-%d %H:%M}",
            what=reminder.label or say(language, "deadline_reminder"),
            date=reminder.target_date.isoformat(),
            lead_days=reminder.lead_days,
        )
        for reminder in coming
    ]
    return [say(language, "next_reminders"), *(lines or [say(language, "no_planned_reminders")])]
