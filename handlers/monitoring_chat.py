"""Actuals recorded in chat by admins: /actual, /progress, 人才住房6月底支出12000万; undo."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from handlers.actual_targets import matched_note, projects_named, resolve_indicator, resolve_project
from handlers.normalize import half_width
from handlers.progress_answers import monitoring_words
from handlers.reply import Intent, Reply
from store.actuals import (
    ActualRefused,
    IndicatorActualEntry,
    SpendingEntry,
    grant_recording,
    record_indicator,
    record_spending,
    withdraw_indicator,
    withdraw_spending,
)
from store.indicator_progress import actual_number
from store.messages import say
from store.models import Project
from store.money import entered_text
from store.money_amounts import parse_money
from store.monitoring_dates import parse_as_of
from store.monitoring_queries import status_of, within_year
from store.monitoring_status import StatusRules
from store.monitoring_text import status_lines

_WHEN = r"(?:\d{4}年)?\d{1,2}月(?:底|末|份|\d{1,2}[日号])?|\d{4}-\d{1,2}-\d{1,2}"
_AMOUNT = r"\d[\d,]*(?:\.\d+)?\s*(?:万元|万|亿元|亿|元)?"
SPOKEN_SPENDING = re.compile(
    rf"^(?P<project>.+?)\s*(?:截[至止])?(?P<when>{_WHEN})?\s*(?:累计)?"
    rf"(?:支出|执行|花了|用了|已支出)了?\s*(?P<amount>{_AMOUNT})$"
)
UNDO_SPENDING, UNDO_INDICATOR, FORCE = "undo-s", "undo-i", "force"


@dataclass(frozen=True)
class Actor:
    """Who writes (`user` as channel:id) in which chat; admins record anything, a chat an admin
    granted records its projects."""

    user: str
    admin: bool
    chat: str = ""
    granted: frozenset[str] = frozenset()

    def may_record(self, code: str | None = None) -> bool:
        """Whether this user may record (a given project's) actuals here."""
        return self.admin or (bool(self.granted) if code is None else code in self.granted)


def _not_allowed(text: str, actor: Actor, project: Project) -> "ChatOutcome | None":
    if actor.may_record(project.code):
        return None
    if not actor.granted:
        return ChatOutcome(_reply(text, [say("zh", "not_admin")], "refused"))
    return ChatOutcome(_reply(text, [say("zh", "not_granted", project=project.name)], "refused"))


@dataclass(frozen=True)
class Button:
    """A button under a reply: its label and the data it sends back."""

    label: str
    data: str


@dataclass
class ChatOutcome:
    """A reply with its buttons (undo, confirm)."""

    reply: Reply
    buttons: list[Button] = field(default_factory=list)


def _spoken(text: str) -> re.Match[str] | None:
    clean = half_width(text).strip()
    if any(word in clean for word in monitoring_words()["not_a_record"]):
        return None
    return SPOKEN_SPENDING.match(clean)


def is_spoken_spending(text: str) -> bool:
    """Whether a message reads like 人才住房6月底支出12000万 (a statement, not a question)."""
    return _spoken(text) is not None


def _reply(text: str, lines: list[str], intent: Intent) -> Reply:
    return Reply(query=text, lines=tuple(lines), intent=intent)


def _day(when: str | None, year: int, now: datetime) -> date:
    if not when:
        return within_year(now.date(), year)
    day = parse_as_of(when, year)
    if day is None:
        raise ActualRefused("actual_bad_date", text=when)
    return day


def record_chat_spending(
    text: str,
    project_text: str,
    amount_text: str,
    when: str | None,
    context: "RecordingContext",
    force: bool = False,
    forecast_text: str | None = None,
) -> ChatOutcome:
    """Record a cumulative amount (with its 全年预计执行数 when given) from chat; the reply
    repeats it with the new status."""
    session, now, actor = context.session, context.now, context.actor
    if not actor.may_record():
        return ChatOutcome(_reply(text, [say("zh", "not_admin")], "refused"))
    amount = parse_money(amount_text)
    forecast = parse_money(forecast_text) if forecast_text else None
    try:
        if amount is None or (forecast_text and forecast is None):
            bad = amount_text if amount is None else forecast_text
            raise ActualRefused("actual_bad_amount", text=bad)
        project = resolve_project(session, project_text, now)
        if refusal := _not_allowed(text, actor, project):
            return refusal
        day = _day(when, project.year, now)
        entry = SpendingEntry(
            project, amount, day, "chat", actor.user, force=force, forecast=forecast
        )
        row = record_spending(session, entry, now)
    except ActualRefused as refusal:
        buttons = []
        if refusal.forcible and amount is not None:
            data = f"{FORCE}:{project.code}:{entered_text(amount)}:{day.isoformat()}"
            data += f":{entered_text(forecast)}" if forecast is not None else ""
            buttons.append(Button(say("zh", "confirm_button"), data))
        return ChatOutcome(
            _reply(text, [say("zh", refusal.key, **refusal.values)], "refused"), buttons
        )
    recorded = say(
        "zh",
        "actual_recorded",
        project=project.name,
        date=day,
        amount=entered_text(amount),
        source=say("zh", "source_chat"),
    )
    lines = [*matched_note(session, project_text, project, "zh"), recorded]
    lines += status_lines(project.name, status_of(session, project, day, context.rules), "zh")
    undo = Button(say("zh", "undo_button"), f"{UNDO_SPENDING}:{row.id}")
    return ChatOutcome(_reply(text, lines, "actual_recorded"), [undo])


@dataclass
class RecordingContext:
    """What a chat command runs with."""

    session: Session
    now: datetime
    actor: Actor
    rules: StatusRules


def take_forecast(parts: list[str]) -> tuple[list[str], str | None]:
    """A command's words without its full-year forecast, and the forecast: `预计14000` or
    `预计 14000` (the words in handlers/data/monitoring_words.json)."""
    words = sorted(monitoring_words()["forecast"], key=len, reverse=True)
    for index, part in enumerate(parts):
        word = next((w for w in words if part.lower().startswith(w.lower())), None)
        if word is None:
            continue
        value = part[len(word) :].lstrip(":：=")
        if value:
            return parts[:index] + parts[index + 1 :], value
        if index + 1 < len(parts):
            return parts[:index] + parts[index + 2 :], parts[index + 1]
    return parts, None


def command_actual(args: str, context: RecordingContext) -> ChatOutcome:
    """/actual 人才住房 12000 [7月底] [预计14000]."""
    parts, forecast = take_forecast(args.split())
    text = f"/actual {args}".strip()
    if len(parts) < 2:
        return ChatOutcome(_reply(text, [say("zh", "actual_usage")], "usage"))
    when = parts[-1] if len(parts) >= 3 and parse_money(parts[-1]) is None else None
    amount = parts[-2] if when else parts[-1]
    project = " ".join(parts[: -2 if when else -1])
    return record_chat_spending(text, project, amount, when, context, forecast_text=forecast)


def spoken_spending(text: str, context: RecordingContext) -> ChatOutcome | None:
    """人才住房6月底支出12000万; None when the text is no such sentence."""
    match = _spoken(text)
    if not match:
        return None
    return record_chat_spending(text, match["project"], match["amount"], match["when"], context)


def command_progress_value(args: str, context: RecordingContext) -> ChatOutcome:
    """/progress [项目] 指标 完成值 [日期] [预计 全年完成值]: an indicator's actual to date."""
    text = f"/progress {args}".strip()
    if not context.actor.may_record():
        return ChatOutcome(_reply(text, [say("zh", "not_admin")], "refused"))
    parts, forecast = take_forecast(args.split())
    when = parts.pop() if len(parts) >= 3 and parse_as_of(parts[-1], 2000) else None
    if len(parts) < 2:
        return ChatOutcome(_reply(text, [say("zh", "indicator_usage")], "usage"))
    value, words = parts[-1], parts[:-1]
    session, now = context.session, context.now
    try:
        named = projects_named(session, words[0], now) if len(words) > 1 else []
        name = " ".join(words[1:]) if named else " ".join(words)
        project, item = resolve_indicator(session, named, name)
        if refusal := _not_allowed(text, context.actor, project):
            return refusal
        day = _day(when, project.year, now)
        entry = IndicatorActualEntry(
            project, item, value, actual_number(value), day, "chat", context.actor.user
        )
        if forecast:
            entry.forecast_text, entry.forecast_number = forecast, actual_number(forecast)
        row = record_indicator(session, entry, now)
    except ActualRefused as refusal:
        return ChatOutcome(_reply(text, [say("zh", refusal.key, **refusal.values)], "refused"))
    note = matched_note(session, words[0], project, "zh") if named else []
    lines = [
        *note,
        say(
            "zh",
            "indicator_recorded",
            project=project.name,
            indicator=item.name,
            date=day,
            value=value,
        ),
    ]
    if forecast:
        lines.append(say("zh", "indicator_forecast", forecast=forecast, deviation=""))
    return ChatOutcome(
        _reply(text, lines, "indicator_recorded"),
        [Button(say("zh", "undo_button"), f"{UNDO_INDICATOR}:{row.id}")],
    )


def press_button(data: str, context: RecordingContext) -> ChatOutcome | None:
    """Undo a record, or record anyway after a confirm; None for buttons of other features."""
    kind, _, value = data.partition(":")
    if kind not in (UNDO_SPENDING, UNDO_INDICATOR, FORCE):
        return None
    if not context.actor.may_record():
        return ChatOutcome(_reply(data, [say("zh", "not_admin")], "refused"))
    if kind == FORCE:
        code, amount, day, *forecast = value.split(":")
        return record_chat_spending(
            data, code, amount, day, context, force=True, forecast_text=next(iter(forecast), None)
        )
    withdraw = withdraw_spending if kind == UNDO_SPENDING else withdraw_indicator
    done = value.isdigit() and withdraw(
        context.session, int(value), context.actor.user, context.now
    )
    line = say("zh", "undo_done", what=value) if done else say("zh", "undo_gone")
    return ChatOutcome(_reply(data, [line], "undo"))


def command_grant(args: str, context: RecordingContext) -> ChatOutcome:
    """/grant 项目: an admin lets this chat record the project's actuals."""
    text = f"/grant {args}".strip()
    actor = context.actor
    if not actor.admin:
        return ChatOutcome(_reply(text, [say("zh", "not_admin")], "refused"))
    if not args:
        return ChatOutcome(_reply(text, [say("zh", "grant_usage")], "usage"))
    try:
        project = resolve_project(context.session, args, context.now)
    except ActualRefused as refusal:
        return ChatOutcome(_reply(text, [say("zh", refusal.key, **refusal.values)], "refused"))
    added = grant_recording(context.session, actor.chat, project.code, actor.user, context.now)
    key = "grant_done" if added else "grant_exists"
    return ChatOutcome(_reply(text, [say("zh", key, project=project.name)], "grant"))
