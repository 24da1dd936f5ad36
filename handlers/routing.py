"""question -> Reply: decide what is asked and answer it from the store."""

import re
from datetime import datetime

from sqlmodel import Session

from handlers import kind_builders
from handlers.catalog import Catalog, catalog_for
from handlers.chat_commands import parse_command, run_command
from handlers.progress_answers import answer_progress
from handlers.question_reading import Understanding, understand
from handlers.reply import Reply
from handlers.wordlists import glossary
from store.monitoring_status import StatusRules

MAX_QUESTION = 200
_MEANINGFUL = re.compile(r"[A-Za-z\u4e00-\u9fff0-9]")


def answer_question(
    question: str,
    session: Session,
    now: datetime,
    glossary_file: str | None = None,
    rules: StatusRules | None = None,
) -> Reply:
    """Answer one question from the store as of `now` (for relative time words)."""
    catalog = catalog_for(session)
    text = (question or "").strip()
    if len(text) > MAX_QUESTION:
        return kind_builders.too_long(text, catalog)
    if not _MEANINGFUL.search(text):
        return kind_builders.empty(text, catalog)
    terms = glossary(glossary_file)
    if command := parse_command(text):
        name, args = command
        reply = run_command(name, args, catalog, now, terms)
        if reply is not None:
            return reply
        text = args
        if not _MEANINGFUL.search(text):
            return kind_builders.empty(text, catalog)
    if progress := answer_progress(text, session, now, catalog, terms, rules or StatusRules()):
        return progress
    reading = understand(text, catalog, now, terms)
    return route(reading, catalog, now)


def _asks_spending(reading: Understanding) -> bool:
    return bool({"plan", "whole_plan", "budget"} & set(reading.cues))


def route(reading: Understanding, catalog: Catalog, now: datetime) -> Reply:
    """Pick the kind of question from the cues, in order of how specific they are."""
    cues, scope = reading.cues, reading.projects or catalog.projects
    if not catalog.projects:
        return kind_builders.no_projects(reading)
    if "help" in cues and not reading.remainder:
        return kind_builders.help_reply(reading, catalog)
    if "projects" in cues and not reading.projects:
        return kind_builders.project_list(reading, catalog)
    if "next" in cues:
        return kind_builders.next_checkpoint(reading, scope, now)
    if reading.time and (
        _asks_spending(reading) or not kind_builders.names_indicator(reading, catalog)
    ):
        return kind_builders.milestone(reading, scope, reading.time.month)
    if "whole_plan" in cues or ("plan" in cues and not reading.remainder):
        return kind_builders.plan(reading, scope)
    if "budget" in cues or ("budget_weak" in cues and reading.projects and not reading.remainder):
        return kind_builders.budget(reading, scope)
    if "overview" in cues and not reading.remainder:
        return kind_builders.overview(reading, scope)
    if reading.category:
        return kind_builders.category(reading, catalog, scope)
    if reading.remainder:
        return kind_builders.indicator(reading, catalog)
    if "list" in cues:
        return kind_builders.all_indicators(reading, scope)
    if reading.projects:
        return kind_builders.overview(reading, reading.projects)
    return kind_builders.unknown(reading, catalog, [])
