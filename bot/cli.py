"""The `targetbot` command line: parses arguments and dispatches to the commands."""

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.cli_monitoring_args import add_commands
from store.chats import CHAT_FORMS
from store.reminder_timing import ReminderTiming

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.settings import Settings

DEFAULTS = ReminderTiming()
Command = Callable[[argparse.Namespace, "Engine", "Settings"], int]
# Each command's handler as "module:function", imported only when that command runs, so that
# `--help` and light commands never load the chat libraries, the readers or the engine.
ASK = "bot.cli_ask:cmd_ask"
EXPORT, PROJECTS, SHOW = (
    "bot.cli_store:cmd_export",
    "bot.cli_store:cmd_projects",
    "bot.cli_store:cmd_show",
)
REMINDERS = "bot.cli_reminders:cmd_reminders"
READERS = (ASK, EXPORT, PROJECTS, SHOW)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    db_help = "database URL (default: DATABASE_URL)"
    common.add_argument("--db", metavar="URL", help=db_help, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="targetbot", description=__doc__)
    parser.add_argument("--db", metavar="URL", help=db_help)  # before the command, or after it
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub = commands.add_parser(
        "import", parents=[common], help="load documents (.txt, .docx, .xlsx, .xls, .pdf)"
    )
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_argument("--dry-run", action="store_true", help="print the report, change nothing")
    sub.add_argument(
        "--replace", action="store_true", help="allow removing most of a project's indicators"
    )
    sub.add_argument("--strict", action="store_true", help="refuse a file with any bad project")
    sub.add_argument(
        "--as-of", metavar="DATE", help="date of actuals whose label names none (执行数): 7月底"
    )
    sub.set_defaults(handler="bot.cli_store:cmd_import")

    sub = commands.add_parser("export", parents=[common], help="print every project")
    sub.add_argument("--json", action="store_true", required=True, help="as JSON")
    sub.add_argument("--parsed", action="store_true", help="add parsed value parts")
    sub.set_defaults(handler=EXPORT)

    sub = commands.add_parser("projects", parents=[common], help="list the projects")
    sub.set_defaults(handler=PROJECTS)

    sub = commands.add_parser("show", parents=[common], help="one project in full")
    sub.add_argument("project", metavar="CODE|NAME")
    sub.set_defaults(handler=SHOW)

    sub = commands.add_parser("ask", parents=[common], help="answer a question")
    sub.add_argument("question", nargs="?", help="the question (none with --json: read stdin)")
    sub.add_argument("--json", action="store_true", help="print the reply object as JSON")
    sub.add_argument("--now", metavar="ISO-DATETIME", help="the clock for relative questions")
    sub.set_defaults(handler=ASK)

    sub = commands.add_parser("subscribe", parents=[common], help="remind a chat")
    sub.add_argument("chat", metavar="CHAT", help=CHAT_FORMS)
    sub.add_argument("--project", action="append", default=[], metavar="CODE")
    sub.add_argument(
        "--lead-days", metavar=DEFAULTS.lead_days_text, help="days before each checkpoint"
    )
    sub.add_argument("--at", metavar=DEFAULTS.at_text, help="local time of day")
    sub.add_argument(
        "--language", choices=["zh", "en"], default="zh", help="language of the reminders"
    )
    sub.set_defaults(handler="bot.cli_reminders:cmd_subscribe")

    sub = commands.add_parser("unsubscribe", parents=[common], help="stop a chat's reminders")
    sub.add_argument("chat", metavar="CHAT")
    sub.set_defaults(handler="bot.cli_reminders:cmd_unsubscribe")

    sub = commands.add_parser("reminders", parents=[common], help="the plan, or send what is due")
    action = sub.add_mutually_exclusive_group(required=True)
    action.add_argument("--json", action="store_true", help="print the reminders due after now")
    action.add_argument("--send-due", action="store_true", help="send what is due, once, and exit")
    sub.add_argument("--now", metavar="ISO-DATETIME", help="the clock (default: now)")
    sub.set_defaults(handler=REMINDERS)

    add_commands(commands, common)

    sub = commands.add_parser(
        "run", parents=[common], help="start the bot (console without a channel)"
    )
    sub.set_defaults(handler="bot.cli:cmd_run")

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    sub = db_commands.add_parser("upgrade", parents=[common], help="migrate to the newest schema")
    sub.set_defaults(handler="bot.cli_store:cmd_db_upgrade", migrate=False)
    return parser


def cmd_run(_args: argparse.Namespace, engine: "Engine", settings: "Settings") -> int:
    """Start every configured channel; the console chat when none is configured."""
    from bot.run import run

    return run(settings, engine)


def only_reads(args: argparse.Namespace) -> bool:
    """Commands that never write: a store that cannot be written is opened read-only for them."""
    if args.handler == REMINDERS:
        return not args.send_due
    return args.handler in READERS


def without_password(url: str) -> str:
    """A database URL to show: its password, if any, masked."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def missing_folder(url: str) -> str | None:
    """The folder of a SQLite store's file when it does not exist (SQLite would only say
    `unable to open database file`); None otherwise."""
    from store.db import sqlite_file

    path = sqlite_file(url)
    return str(path.parent) if path is not None and not path.parent.is_dir() else None


def load_handler(name: str) -> Command:
    """The function named "module:function", its module imported now."""
    module, function = name.split(":")
    handler: Any = getattr(importlib.import_module(module), function)
    return handler


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: the settings are read here, once, and passed down."""
    args = build_parser().parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from bot.settings import load_settings
    from store.db import (
        URL_FORMS,
        ReadOnlyStore,
        UnusableURL,
        make_engine,
        not_writable,
        open_database,
        open_read_only,
        usable_url,
    )

    settings = load_settings(database_url=args.db)
    handler = load_handler(args.handler)
    setting = "DATABASE_URL" if args.db is None else "--db"
    try:
        if args.db == "":
            raise UnusableURL(args.db)
        settings.database_url = usable_url(settings.database_url)
    except UnusableURL:
        shown = without_password(args.db if args.db == "" else settings.database_url)
        print(f"targetbot: {setting} {shown!r} cannot be used: give {URL_FORMS}", file=sys.stderr)
        return 2
    if (folder := missing_folder(settings.database_url)) is not None:
        print(f"targetbot: {setting}: the folder {folder} does not exist", file=sys.stderr)
        return 2
    try:
        timeouts = {
            "connect_timeout": settings.database_connect_timeout,
            "statement_timeout": settings.database_statement_timeout,
        }
        if only_reads(args) and not_writable(settings.database_url):
            engine = open_read_only(settings.database_url)
        elif getattr(args, "migrate", True):
            engine = open_database(settings.database_url, **timeouts)
        else:
            engine = make_engine(settings.database_url, **timeouts)
        code = handler(args, engine, settings)
        sys.stdout.flush()  # a full disk or a closed pipe is reported here, not at exit
        return code
    except BrokenPipeError:  # `targetbot export --json | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ReadOnlyStore as error:
        print(f"targetbot: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        detail = " ".join(str(error.args[0]).split()) if error.args else ""  # one line
        if not_writable(settings.database_url) and ("readonly" in detail or "open" in detail):
            print(
                f"targetbot: the store {settings.database_url} is read-only (the file or its "
                "folder cannot be written): make both writable, or work on a copy",
                file=sys.stderr,
            )
            return 1
        print(f"targetbot: database error: {type(error).__name__}: {detail[:400]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # an output file that cannot be written, a full disk
        if error.filename is None and error.errno != errno.ENOSPC:
            raise  # not a file the user named (a port in use, the network): the whole story
        where = f": {error.filename}" if error.filename else ""
        detail = error.strerror or str(error) or type(error).__name__
        print(f"targetbot: {detail}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
