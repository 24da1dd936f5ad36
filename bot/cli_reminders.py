"""Reminder commands of the CLI: subscribe, unsubscribe, reminders --json / --send-due."""

import argparse
import asyncio
import json
import signal
import sys
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import command_line_now, local_now
from bot.monitoring_settings import status_rules
from bot.reminder_channels import open_channels
from bot.reminder_delivery import make_deliverer
from bot.settings import Settings
from jobs.plan_inputs import plan, reminder_json
from jobs.planning import upcoming
from store.chats import CHAT_FORMS, valid_chat
from store.db import unit_of_work
from store.queries import project_by_code
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe, unsubscribe


def cmd_subscribe(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Subscribe a chat to every project or to the --project codes given."""
    if not valid_chat(args.chat):
        print(
            f"targetbot: '{args.chat}' is not {CHAT_FORMS}",
            file=sys.stderr,
        )
        return 2
    defaults = settings.reminder_timing
    try:
        timing = ReminderTiming.read(
            args.lead_days or defaults.lead_days_text, args.at or defaults.at_text
        )
    except ValueError as error:
        print(f"targetbot: {error}", file=sys.stderr)
        return 2
    days, moment = timing.lead_days_text, timing.at_text
    now = local_now(settings.targetbot_tz)
    with unit_of_work(engine) as session:
        unknown = [code for code in args.project if project_by_code(session, code) is None]
        if unknown:
            print(f"targetbot: no project with code {', '.join(unknown)}", file=sys.stderr)
            return 2
        subscribe(session, args.chat, args.project, timing, now, args.language)
    scope = ", ".join(args.project) or "every project"
    print(f"{args.chat}: reminders for {scope}, {days} days before each checkpoint at {moment}")
    return 0


def cmd_unsubscribe(args: argparse.Namespace, engine: Engine, settings: Settings) -> int:
    """Stop a chat's reminders."""
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
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
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
    if outcome.stopped:
        print("stopped by a signal: in-flight sends finished, unsent claims released")
    print(outcome.summary(), flush=True)
    if outcome.gave_up:
        print(f"targetbot: gave up: {outcome.gave_up}", file=sys.stderr)
        return 1
    return 1 if outcome.failed else 0
