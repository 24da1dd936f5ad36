"""question -> Reply: decide what is asked and answer it from the store."""

import re
from datetime import datetime

from sqlmodel import Session

from handlers import intents
from handlers.catalog import Catalog, catalog_for
from handlers.commands import parse_command, run_command
from handlers.language import glossary
from handlers.reply import Reply
from handlers.understand import Understanding, understand

MAX_QUESTION = 200
_MEANINGFUL = re.compile(r"[A-Za-z\u4e00-\u9fff0-9]")


def answer(
    question: str, session: Session, now: datetime, glossary_file: str | None = None
) -> Reply:
    """Answer one question from the store as of `now` (for relative time words)."""
    catalog = catalog_for(session)
    text = (question or "").strip()
    if len(text) > MAX_QUESTION:
        return intents.too_long(text, catalog)
    if not _MEANINGFUL.search(text):
        return intents.empty(text, catalog)
    terms = glossary(glossary_file)
    if command := parse_command(text):
        name, args = command
        reply = run_command(name, args, catalog, now, terms)
        if reply is not None:
            return reply
        text = args
        if not _MEANINGFUL.search(text):
            return intents.empty(text, catalog)
    reading = understand(text, catalog, now, terms)
    return decide(reading, catalog, now)


def _asks_spending(reading: Understanding) -> bool:
    return bool({"plan", "whole_plan", "budget"} & set(reading.cues))


def decide(reading: Understanding, catalog: Catalog, now: datetime) -> Reply:
    """Pick the kind of question from the cues, in order of how specific they are."""
    cues, scope = reading.cues, reading.projects or catalog.projects
    if not catalog.projects:
        return intents.no_projects(reading)
    if "help" in cues and not reading.remainder:
        return intents.help_reply(reading, catalog)
    if "projects" in cues and not reading.projects:
        return intents.project_list(reading, catalog)
    if "next" in cues:
        return intents.next_checkpoint(reading, scope, now)
    if reading.time and (_asks_spending(reading) or not intents.names_indicator(reading, catalog)):
        return intents.milestone(reading, scope, reading.time.month)
    if "whole_plan" in cues or ("plan" in cues and not reading.remainder):
        return intents.plan(reading, scope)
    if "budget" in cues or ("budget_weak" in cues and reading.projects and not reading.remainder):
        return intents.budget(reading, scope)
    if "overview" in cues and not reading.remainder:
        return intents.overview(reading, scope)
    if reading.category:
        return intents.category(reading, catalog, scope)
    if reading.remainder:
        return intents.indicator(reading, catalog)
    if "list" in cues:
        return intents.all_indicators(reading, scope)
    if reading.projects:
        return intents.overview(reading, reading.projects)
    return intents.unknown(reading, catalog, [])
