"""One per process: the database engine, the clock and the answering engine, for every channel."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import local_now
from bot.settings import Settings
from handlers.catalog import catalog_for
from handlers.kind_builders import examples, narrowed
from handlers.reply import Reply
from handlers.routing import answer_question, project_overview
from handlers.subscription_replies import ChatContext, UpcomingReminder
from jobs.plan_inputs import plan
from jobs.planning import upcoming
from store.db import unit_of_work
from store.messages import Language, say
from store.offloop import StoreUnavailable, in_thread, transient

CHANGES_SUBSCRIPTIONS = ("subscribe", "unsubscribe")
T = TypeVar("T")


class ScheduledReminders:
    """handlers' ReminderPlan, answered by jobs/: a chat's reminders that fire after now."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def upcoming(self, session: Session, chat: str, now: datetime) -> Sequence[UpcomingReminder]:
        return upcoming(plan(session, self.zone, {chat}), now)


class Assistant:
    """Answers questions from the store; channels share one instance."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.zone = ZoneInfo(settings.targetbot_tz)
        self.reminder_plan = ScheduledReminders(self.zone)
        self.on_change: list[Callable[[], None]] = []

    @property
    def deadline(self) -> float:
        """Seconds a chat waits for the store before it is told to try again later."""
        return self.settings.database_connect_timeout + self.settings.database_statement_timeout

    async def off_loop(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a database thread, so a slow or silent store never holds the
        event loop (polling, other chats, reminders); StoreUnavailable past the deadline or
        when the database refuses."""
        try:
            return await in_thread(self.deadline, function, *args)
        except StoreUnavailable:
            raise
        except Exception as error:
            if transient(error):
                raise StoreUnavailable(str(error).splitlines()[0][:200]) from error
            raise

    def command(self, chat: str | None, text: str, language: Language | None = None) -> Reply:
        """A message from `chat` (None: a chat reminders cannot reach), which may change its
        subscription; the hooks in on_change run after a change is committed."""
        context = ChatContext(chat, self.settings.reminder_timing, self.reminder_plan, language)
        with unit_of_work(self.engine) as session:
            reply = answer_question(text, session, self.now(), self.settings.glossary_file, context)
        if reply.intent in CHANGES_SUBSCRIPTIONS:
            for hook in self.on_change:
                hook()
        return reply

    def now(self) -> datetime:
        return local_now(self.settings.targetbot_tz)

    def ask(self, question: str, now: datetime | None = None) -> Reply:
        """The reply to a question or command."""
        with Session(self.engine) as session:
            return answer_question(
                question, session, now or self.now(), self.settings.glossary_file
            )

    def ask_about(self, question: str, project_code: str) -> Reply:
        """The reply to a question, narrowed to the answers of one project."""
        return narrowed(self.ask(question), project_code)

    def examples(self) -> list[str]:
        """Example questions this store can answer."""
        with Session(self.engine) as session:
            return examples(catalog_for(session), "zh")

    def project_names(self) -> list[tuple[str, str]]:
        """(code, name) of every project."""
        with Session(self.engine) as session:
            return [(p.code, p.name) for p in catalog_for(session).projects]

    def overview(self, project_code: str) -> Reply:
        """A project's overview, by code."""
        with Session(self.engine) as session:
            return project_overview(session, project_code)


def unavailable_reply(query: str, language: Language = "zh") -> Reply:
    """What a chat is told while the store does not answer."""
    return Reply(query=query, lines=(say(language, "store_unavailable"),), language=language)
