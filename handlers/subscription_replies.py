"""/subscribe, /unsubscribe and /reminders: a chat's subscription, answered like any command."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlmodel import Session

from handlers.catalog import Catalog, ProjectEntry
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
    else:
        command = _ChatSubscription(catalog, session, context, context.chat, now, language)
        if name == "subscribe":
            lines = command.subscribe(args, reading.projects)
        elif name == "unsubscribe":
            lines = command.unsubscribe()
        else:
            lines = command.describe()
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


@dataclass(frozen=True)
class _ChatSubscription:
    """One chat's subscription commands, each answered as the lines of a reply."""

    catalog: Catalog
    session: Session
    context: ChatContext
    chat: str
    now: datetime
    language: Language

    def subscribe(self, args: str, projects: list[ProjectEntry]) -> list[str]:
        if args and not projects:
            return [say(self.language, "subscribe_no_project", name=args)]
        codes, timing = [p.code for p in projects], self.context.timing
        subscribe(self.session, self.chat, codes, timing, self.now, self.language)
        head = say(
            self.language,
            "subscribed",
            scope=self._scope(codes),
            lead_days=timing.lead_days_text,
            at=timing.at_text,
        )
        return [head, *self._coming()]

    def unsubscribe(self) -> list[str]:
        stopped = unsubscribe(self.session, self.chat, self.now)
        return [say(self.language, "unsubscribed" if stopped else "not_subscribed")]

    def describe(self) -> list[str]:
        row = subscription_of(self.session, self.chat)
        if row is None or not row.active:
            return [say(self.language, "not_subscribed_hint")]
        head = say(
            self.language,
            "subscription",
            scope=self._scope(project_codes(row)),
            lead_days=row.lead_days,
            at=row.at_time,
        )
        return [head, *self._coming()]

    def _scope(self, codes: list[str]) -> str:
        if not codes:
            return say(self.language, "all_projects")
        names = {p.code: p.name for p in self.catalog.projects}
        separator = say(self.language, "list_separator")
        return separator.join(names.get(code, code) for code in codes)

    def _coming(self) -> list[str]:
        """ "Next reminders:" and one line per reminder (or a line saying there are none)."""
        coming = list(self.context.plan.upcoming(self.session, self.chat, self.now))
        lines = [
            say(
                self.language,
                "planned_reminder",
                fire_at=f"{reminder.fire_at:%Y-%m-%d %H:%M}",
                what=reminder.label or say(self.language, "deadline_reminder"),
                date=reminder.target_date.isoformat(),
                lead_days=reminder.lead_days,
            )
            for reminder in coming[:SHOWN_REMINDERS]
        ]
        none = [say(self.language, "no_planned_reminders")]
        return [say(self.language, "next_reminders"), *(lines or none)]
