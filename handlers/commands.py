"""Chat commands as plain functions: /start, /help, /projects, /plan, /next, /ask."""

import re
from datetime import datetime

from handlers import intents
from handlers.catalog import Catalog
from handlers.language import Glossary
from handlers.render import say
from handlers.reply import Reply
from handlers.understand import Understanding, understand

COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str) -> tuple[str, str] | None:
    """`/plan@bot 人才住房` -> ("plan", "人才住房"); None when the text is no command."""
    match = COMMAND.match(text.strip())
    return (match[1].lower(), (match[2] or "").strip()) if match else None


def _projects_or_refusal(reading: Understanding, args: str, catalog: Catalog) -> Reply | None:
    """None when the argument names projects (or is empty); else a reply listing the projects."""
    if not args or reading.projects:
        return None
    reply = intents.project_list(reading, catalog)
    reply.text = say("zh", "no_such_project", name=args) + "\n" + reply.text.split("\n", 1)[1]
    reply.intent, reply.answers = "unknown", []
    return reply


def run_command(
    name: str, args: str, catalog: Catalog, now: datetime, terms: Glossary
) -> Reply | None:
    """The reply to a command; None for /ask (the caller answers its argument as a question)."""
    reading = understand(args, catalog, now, terms)
    reading.question = f"/{name} {args}".strip()
    if name == "ask":
        return None
    if not catalog.projects:
        return intents.no_projects(reading)
    if name in ("start", "help"):
        reply = intents.help_reply(reading, catalog)
        if name == "start":
            reply.text = say("zh", "start", count=len(catalog.projects)) + "\n" + reply.text
        return reply
    if name == "projects":
        return intents.project_list(reading, catalog)
    if name in ("plan", "next"):
        if refusal := _projects_or_refusal(reading, args, catalog):
            return refusal
        scope = reading.projects or catalog.projects
        if name == "plan":
            return intents.plan(reading, scope)
        return intents.next_checkpoint(reading, scope, now)
    reply = intents.help_reply(reading, catalog)
    reply.text = say("zh", "unknown_command", command=name) + "\n" + reply.text
    reply.intent = "unknown"
    return reply
