"""question -> Reply: decide what is asked and answer it from the store."""

import re
from datetime import datetime

from sqlmodel import Session

from handlers import kind_builders
from handlers.catalog import Catalog, catalog_for
from handlers.chat_commands import parse_command, run_command
from handlers.question_reading import Understanding, understand
from handlers.reply import Reply
from handlers.subscription_replies import ChatContext
from handlers.wordlists import glossary
from store.messages import Language

MAX_QUESTION = 200
_MEANINGFUL = re.compile(r"[A-Za-z\u4e00-\u9fff0-9]")


def answer_question(
    question: str,
    session: Session,
    now: datetime,
    glossary_file: str | None = None,
    context: ChatContext | None = None,
) -> Reply:
    """Answer one question (or command) from the store as of `now` (for relative time words);
    `context` tells which chat asks, for the subscription commands (which write: commit after)."""
    catalog = catalog_for(session)
    text = (question or "").strip()
    if len(text) > MAX_QUESTION:
        return kind_builders.too_long(text, catalog)
    if not _MEANINGFUL.search(text):
        return kind_builders.empty(text, catalog)
    terms = glossary(glossary_file)
    if command := parse_command(text):
        name, args = command
        reply = run_command(name, args, catalog, now, terms, session, context or ChatContext())
        if reply is not None:
            return reply
        text = args
        if not _MEANINGFUL.search(text):
            return kind_builders.empty(text, catalog)
    reading = understand(text, catalog, now, terms)
    return route(reading, catalog, now)


def project_overview(session: Session, project_code: str, language: Language = "zh") -> Reply:
    """A project's overview, built for the project itself (a button under /projects)."""
    catalog = catalog_for(session)
    projects = [p for p in catalog.projects if p.code == project_code]
    name = projects[0].name if projects else project_code
    reading = Understanding(question=name, english=language == "en", projects=projects)
    if not projects:
        return kind_builders.unknown(reading, catalog, [])
    return kind_builders.overview(reading, projects)


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
