"""Chat commands as plain functions: /start, /help, /projects, /plan, /next, /ask, and the
subscription commands /subscribe, /unsubscribe, /reminders."""

import re
from datetime import datetime

from sqlmodel import Session

from handlers import kind_builders
from handlers.catalog import Catalog
from handlers.question_reading import Understanding, understand
from handlers.reply import Reply
from handlers.subscription_replies import SUBSCRIPTION_COMMANDS, ChatContext, subscription_reply
from handlers.wordlists import Glossary

COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str) -> tuple[str, str] | None:
    """`/plan@bot 人才住房` -> ("plan", "人才住房"); None when the text is no command."""
    match = COMMAND.match(text.strip())
    return (match[1].lower(), (match[2] or "").strip()) if match else None


def _projects_or_refusal(reading: Understanding, args: str, catalog: Catalog) -> Reply | None:
    """None when the argument names projects (or is empty); else a reply listing the projects."""
    if not args or reading.projects:
        return None
    return kind_builders.no_such_project(reading, catalog, args)


def run_command(
    name: str,
    args: str,
    catalog: Catalog,
    now: datetime,
    terms: Glossary,
    session: Session,
    context: ChatContext,
) -> Reply | None:
    """The reply to a command; None for /ask (the caller answers its argument as a question)."""
    reading = understand(args, catalog, now, terms)
    reading.question = f"/{name} {args}".strip()
    if name == "ask":
        return None
    for command in SUBSCRIPTION_COMMANDS:
        if name == command:
            return subscription_reply(command, args, reading, catalog, session, context, now)
    if not catalog.projects:
        return kind_builders.no_projects(reading)
    if name == "start":
        return kind_builders.start_reply(reading, catalog)
    if name == "help":
        return kind_builders.help_reply(reading, catalog)
    if name == "projects":
        return kind_builders.project_list(reading, catalog, catalog.projects)
    if name in ("plan", "next"):
        if refusal := _projects_or_refusal(reading, args, catalog):
            return refusal
        scope = reading.projects or catalog.projects
        if name == "plan":
            return kind_builders.plan(reading, scope, catalog)
        return kind_builders.next_checkpoint(reading, scope, now)
    return kind_builders.unknown_command(reading, catalog, name)
