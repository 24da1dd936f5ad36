"""One per process: the database engine, the clock and the answering engine, for every channel."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import local_now
from bot.monitoring_settings import status_rules
from bot.settings import Settings
from handlers.actual_targets import resolve_project
from handlers.catalog import catalog_for
from handlers.chat_commands import parse_command
from handlers.kind_builders import examples, narrowed
from handlers.monitoring_chat import (
    Actor,
    ChatOutcome,
    RecordingContext,
    command_actual,
    command_grant,
    command_progress_value,
    press_button,
    spoken_spending,
)
from handlers.reply import Reply
from handlers.routing import answer_question, project_overview
from handlers.subscription_replies import ChatContext, UpcomingReminder
from jobs.plan_inputs import plan
from jobs.planning import upcoming
from store.actuals import ActualRefused, granted_codes
from store.button_keys import button_key, button_payload
from store.db import unit_of_work
from store.messages import Language, say
from store.monitoring_dates import parse_as_of
from store.monitoring_queries import within_year
from store.monitoring_status import StatusRules
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
            reply = answer_question(
                text, session, self.now(), self.settings.glossary_file, context, self.rules()
            )
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
                question,
                session,
                now or self.now(),
                self.settings.glossary_file,
                rules=self.rules(),
            )

    def rules(self) -> StatusRules:
        """The region's monitoring rules (序时进度 method, light thresholds)."""
        return status_rules(self.settings)

    def _actor(self, session: Session, user: str, admin: bool, chat: str | None) -> Actor:
        granted = granted_codes(session, chat) if chat else frozenset()
        return Actor(user, admin, chat or user, granted)

    def record(
        self, user: str, admin: bool, text: str, chat: str | None = None
    ) -> ChatOutcome | None:
        """/actual, /progress or 人才住房6月底支出12000万 (admins record, others are refused);
        None when the text is none of these."""
        parsed = parse_command(text)
        if parsed and parsed[0] == "progress" and len(parsed[1].split()) < 2:
            return ChatOutcome(self.ask(f"{parsed[1]}执行进度" if parsed[1] else "支出进度"))
        with unit_of_work(self.engine) as session:
            actor = self._actor(session, user, admin, chat)
            context = RecordingContext(session, self.now(), actor, self.rules())
            if parsed and parsed[0] == "grant":
                return command_grant(parsed[1], context)
            if parsed and parsed[0] == "actual":
                return command_actual(parsed[1], context)
            if parsed and parsed[0] == "progress":
                return command_progress_value(parsed[1], context)
            return None if parsed else spoken_spending(text, context)

    def press(
        self, user: str, admin: bool, data: str, chat: str | None = None
    ) -> ChatOutcome | None:
        """An undo or confirm button; None for other buttons."""
        with unit_of_work(self.engine) as session:
            actor = self._actor(session, user, admin, chat)
            context = RecordingContext(session, self.now(), actor, self.rules())
            return press_button(data, context)

    def chart(self, args: str) -> tuple[bytes | None, Reply]:
        """A project's chart (PNG) with its caption, or the overview of every project without
        an argument; (None, the refusal) when no single project is named."""
        from bot.chart_inputs import overview_inputs, project_series
        from bot.charts import overview_chart, project_chart

        query = f"/chart {args}".strip()
        now = self.now()
        with Session(self.engine) as session:
            if not args:
                names, statuses, year, day = overview_inputs(session, now.date(), self.rules())
                caption = say("zh", "chart_overview_title", year=year, date=day.isoformat())
                return overview_chart(names, statuses, year, day), Reply(
                    query, lines=(caption,), intent="chart"
                )
            try:
                project = resolve_project(session, args, now)
            except ActualRefused as refusal:
                return None, Reply(
                    query, lines=(say("zh", refusal.key, **refusal.values),), intent="refused"
                )
            png = project_chart(project_series(session, project, self.rules()))
            caption = say("zh", "chart_caption", project=project.name)
            return png, Reply(query, lines=(caption,), intent="chart")

    def monitor(self, args: str) -> tuple[bytes, str, str]:
        """The monitoring workbook as of a date (default today): bytes, file name, caption."""
        from bot.monitor_table import monitoring_workbook, workbook_bytes

        now = self.now()
        day = parse_as_of(args, now.year) if args else None
        with Session(self.engine) as session:
            year = max((p.year for p in catalog_for(session).projects), default=now.year)
            day = day or within_year(now.date(), year)
            book = monitoring_workbook(session, day, self.rules())
        caption = say("zh", "monitor_caption", date=day.isoformat())
        return workbook_bytes(book), f"监控表-{day.isoformat()}.xlsx", caption

    def ask_about(self, question: str, project_code: str) -> Reply:
        """The reply to a question, narrowed to the answers of one project."""
        return narrowed(self.ask(question), project_code)

    def button_keys(self, action: str, payloads: list[dict[str, Any]]) -> list[str]:
        """Short keys for buttons (stored, valid in any process and after a restart)."""
        with unit_of_work(self.engine) as session:
            return [button_key(session, action, payload) for payload in payloads]

    def button_payload(self, action: str, key: str) -> dict[str, Any] | None:
        """What a button's key stands for; None when unknown."""
        with Session(self.engine) as session:
            return button_payload(session, action, key)

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
