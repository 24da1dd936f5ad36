"""Reminder commands of the CLI: subscribe, unsubscribe, reminders --json / --send-due."""

import argparse
import asyncio
import json
import re
import signal
import sys
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import command_line_now, local_now
from bot.settings import Settings
from jobs.plan_inputs import plan, reminder_json
from jobs.planning import upcoming
from store.chats import CHAT_FORMS, masked_chat, valid_chat
from store.db import unit_of_work
from store.messages import Language, say
from store.reminder_timing import ReminderTiming, checked_lead_days
from store.subscriptions import subscribe, unsubscribe

LEAD_DAYS_FORM = "whole days 0..366 separated by commas, e.g. --lead-days 7,1"
AT_FORM = "a time of day HH:MM from 00:00 to 23:59, e.g. --at 09:00"


def read_lead_days(text: str) -> tuple[int, ...] | None:
    """--lead-days strictly: "7,1" -> (7, 1); None for empty parts, non-numbers, out of range."""
    parts = text.replace(" ", "").split(",")
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    try:
        return checked_lead_days(int(part) for part in parts)
    except ValueError:
        return None


def read_at(text: str) -> time | None:
    """--at strictly: "09:00" -> time(9, 0); None for "9", "25:99" and the like."""
    if not re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):
        return None
    hours, minutes = (int(part) for part in text.strip().split(":"))
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def read_timing(args: argparse.Namespace, defaults: ReminderTiming) -> ReminderTiming | str:
    """The timing of --lead-days and --at (defaults when absent), or the one-line refusal."""
    days = defaults.lead_days if args.lead_days is None else read_lead_days(args.lead_days)
    if days is None:
        return f"--lead-days {args.lead_days!r} is not {LEAD_DAYS_FORM}"
    moment = defaults.at if args.at is None else read_at(args.at)
    if moment is None:
        return f"--at {args.at!r} is not {AT_FORM}"
    return ReminderTiming(days, moment)


def project_codes(
    session: Session, names: list[str], now: datetime, language: Language
) -> tuple[list[str], list[str]] | str:
    """The codes --project names mean (a code, or a name or part of one, or the closest name, as
    `show` takes) with a `typed -> name` note per loose match, or the one-line refusal."""
    # the engine's catalog and fuzzy matching (numpy, rapidfuzz, pinyin) only for --project
    from handlers.actual_targets import matched_note, projects_named

    codes, notes = [], []
    for name in names:
        matches = projects_named(session, name, now)
        if not matches:
            return (
                f"--project {name!r}: no project matches (a code or a name: see targetbot projects)"
            )
        if len(matches) > 1:
            several = ", ".join(f"{p.code} {p.name}" for p in matches)
            return (
                f"--project {name!r} matches {len(matches)} projects: {several}; give one of them"
            )
        codes.append(matches[0].code)
        notes += matched_note(session, name, matches[0], language)
    return codes, notes


def cmd_subscribe(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Subscribe a chat to every project or to the --project codes or names given."""
    if not valid_chat(args.chat):
        print(f"targetbot: '{args.chat}' is not {CHAT_FORMS}", file=sys.stderr)
        return 2
    timing = read_timing(args, settings.reminder_timing)
    if isinstance(timing, str):
        print(f"targetbot: {timing}", file=sys.stderr)
        return 2
    now = local_now(settings.targetbot_tz)
    with unit_of_work(engine) as session:
        found = project_codes(session, args.project, now, args.language or "zh")
        if isinstance(found, str):
            print(f"targetbot: {found}", file=sys.stderr)
            return 2
        codes, notes = found
        for note in notes:
            print(note)
        subscribe(session, args.chat, codes, timing, now, args.language)
    scope = ", ".join(codes) or "every project"
    days, moment = timing.lead_days_text, timing.at_text
    language = say(args.language, "subscribed_language")
    print(f"{args.chat}: reminders for {scope}, {days} days before each checkpoint at {moment}")
    print(language)
    return 0


def cmd_unsubscribe(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Stop a chat's reminders; a malformed chat id is refused (exit 2)."""
    if not valid_chat(args.chat):
        print(f"targetbot: '{args.chat}' is not {CHAT_FORMS}", file=sys.stderr)
        return 2
    with unit_of_work(engine) as session:
        stopped = unsubscribe(session, args.chat, local_now(settings.targetbot_tz))
    print(f"{args.chat}: " + ("unsubscribed" if stopped else "was not subscribed"))
    return 0


def cmd_reminders(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Print the reminders due after --now, or send what is due at --now."""
    now = command_line_now(settings.targetbot_tz, args.now)
    if now is None:
        return 2
    zone = ZoneInfo(settings.targetbot_tz)
    if args.send_due:
        return asyncio.run(_send_due(settings, engine, now))
    with Session(engine) as session:
        coming = upcoming(plan(session, zone), now)
    print(json.dumps([reminder_json(r) for r in coming], ensure_ascii=False, indent=None))
    return 0


async def _send_due(settings: Settings, engine: Engine, now) -> int:
    """One pass; SIGTERM/SIGINT end it gracefully. Exit 1 when the database gave out (counts
    printed) or a send failed, 0 otherwise (also when stopped: nothing is left stranded)."""
    # the channels (aiohttp, Telegram) and the deliverer only for --send-due, not --json
    from bot.monitoring_settings import status_rules
    from bot.reminder_channels import ChannelUnavailable, missing_settings, open_channels
    from bot.reminder_delivery import make_deliverer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with open_channels(settings) as channels:
            deliverer = make_deliverer(
                settings,
                engine,
                channels,
                give_up_after=settings.reminder_db_retry_seconds,
                rules=status_rules(settings),
                monitoring_due=settings.monitoring_due,
            )
            outcome = await deliverer.send_due(now, stop)
    except ChannelUnavailable as error:
        print(
            f"targetbot: {error}; nothing was sent, every due reminder stays due for the next run",
            file=sys.stderr,
        )
        return 1
    if outcome.stopped:
        print("stopped by a signal: in-flight sends finished, unsent claims released")
    print(outcome.summary(), flush=True)
    for chat in outcome.unreachable:
        print(
            f"targetbot: not sent to {masked_chat(chat)}: {missing_settings(chat)} not set; the "
            "reminder stays due for a process that has them until its date passes, "
            "then it is recorded as skipped",
            file=sys.stderr,
        )
    if outcome.gave_up:
        print(f"targetbot: gave up: {outcome.gave_up}", file=sys.stderr)
        return 1
    return 1 if outcome.failed or outcome.unreachable else 0
