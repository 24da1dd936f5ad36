"""question -> Reply: decide what is asked and answer it from the store."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from handlers import kind_builders, scope_replies, totals
from handlers.broad_replies import remembered
from handlers.catalog import Catalog, ProjectEntry, catalog_for
from handlers.chat_commands import parse_command, run_command
from handlers.normalize import strip_fillers
from handlers.progress_answers import answer_progress
from handlers.question_reading import Understanding, understand
from handlers.reply import Reply
from handlers.reverse_lookup import lookup, read_condition
from handlers.scope import ScopeWords, scoped_projects
from handlers.subscription_replies import ChatContext
from handlers.wordlists import glossary, word_lists
from store.messages import Language
from store.monitoring_status import StatusRules

MAX_QUESTION = 200
_MEANINGFUL = re.compile(r"[A-Za-z\u4e00-\u9fff0-9]")


def answer_question(
    question: str,
    session: Session,
    now: datetime,
    glossary_file: str | None = None,
    context: ChatContext | None = None,
    rules: StatusRules | None = None,
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
    if progress := answer_progress(text, session, now, catalog, terms, rules or StatusRules()):
        return progress
    reading = understand(text, catalog, now, terms, glossary_file)
    reply = route(reading, catalog, now)
    return scope_replies.with_year_note(reply, reading, catalog)


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


def _only_scope(reading: Understanding) -> bool:
    """武侯区教育局, 玉林街道的项目: nothing asked but the scope."""
    bare = not (reading.cues or reading.remainder or reading.category or reading.time)
    return reading.scope.words.said and not reading.projects and bare


def _about_projects(reading: Understanding) -> bool:
    """Budget, plan, total or ranking: questions about projects rather than indicators."""
    return bool({"plan", "whole_plan", "budget", "total", "rank"} & set(reading.cues))


def _unknown_project_word(reading: Understanding, catalog: Catalog) -> str | None:
    """垃圾分类 in 垃圾分类项目预算多少: words left over a project question that name nothing."""
    if reading.projects or not _about_projects(reading):
        return None
    if reading.unknown_words:
        return " ".join(reading.unknown_words)
    if len(reading.remainder) < 2:
        return None
    if kind_builders.names_indicator(reading, catalog):
        return None
    return strip_fillers(reading.rest) or reading.remainder


def route(reading: Understanding, catalog: Catalog, now: datetime) -> Reply:
    """Scope first (said place, department or year), then the kind of question."""
    if not catalog.projects:
        return kind_builders.no_projects(reading)
    scoped = reading.scope
    if scoped.words.said and not scoped.projects:
        return scope_replies.scope_empty(reading, catalog)
    if reading.elsewhere and scoped.words.said:
        found = [f"{p.name}（{p.year}）" for p in reading.elsewhere]
        return scope_replies.not_in_scope(reading, reading.elsewhere[0].name, found)
    scope = reading.projects or scoped.projects
    if condition := read_condition(reading, catalog):
        return lookup(reading, catalog, scope, condition)
    if word := _unknown_project_word(reading, catalog):
        return scope_replies.project_not_found(reading, word, scoped.projects)
    month = reading.time.month if reading.time else None
    if "rank" in reading.cues and _asks_money(reading, catalog):
        cues = word_lists()["cues"]
        ascending = reading.cues["rank"] in cues["rank_least"] + cues["rank_order_least"]
        return totals.ranking(reading, scope, totals.Measure(month), ascending)
    if "total" in reading.cues and len(scope) > 1 and _asks_money(reading, catalog):
        points = {p.month for project in scope for p in project.plan}
        if month is None or month in points:
            return totals.total(reading, scope, totals.Measure(month))
    return _route_kind(reading, catalog, scope, now)


def _found_elsewhere(reading: Understanding, catalog: Catalog) -> Reply | None:
    """成都的贷款笔数 when only 青岛 has it: not found there, the other place as a suggestion."""
    anywhere = scoped_projects(ScopeWords(year=reading.scope.words.year), catalog).projects
    found = kind_builders.matches_anywhere(reading, catalog, anywhere)
    if not found:
        return None
    where = [f"{item.name}（{item.project.name}，{item.project.year}）" for item in found]
    return scope_replies.not_in_scope(reading, reading.remainder, where)


def _asks_money(reading: Understanding, catalog: Catalog) -> bool:
    """Budget or spending words, a checkpoint, or nothing but the total itself (加起来)."""
    if reading.cues.get("projects") in word_lists()["cues"]["project_count"]:
        return False
    money = {"budget", "budget_weak", "plan", "whole_plan"} & set(reading.cues)
    return bool(money or reading.time) or not kind_builders.names_indicator(reading, catalog)


def _broad(
    reading: Understanding,
    catalog: Catalog,
    scope: list[ProjectEntry],
    intent: Literal["milestone", "plan", "budget", "category"],
    detail: int | str | None = None,
) -> Reply:
    """A kind whose reply over many projects is kept per catalog (handlers/broad_replies.py)."""
    builders: dict[str, Callable[[], Reply]] = {
        "milestone": lambda: kind_builders.milestone(reading, scope, int(detail or 0), catalog),
        "plan": lambda: kind_builders.plan(reading, scope, catalog),
        "budget": lambda: kind_builders.budget(reading, scope, catalog),
        "category": lambda: kind_builders.category(reading, catalog, scope),
    }
    key = (intent, detail, kind_builders.language_of(reading), bool(reading.projects))
    return remembered(catalog, reading.question, key, scope, intent, builders[intent])


def _route_kind(
    reading: Understanding, catalog: Catalog, scope: list[ProjectEntry], now: datetime
) -> Reply:
    """Pick the kind of question from the cues, in order of how specific they are."""
    cues = reading.cues
    if "help" in cues and not reading.remainder:
        return kind_builders.help_reply(reading, catalog)
    if ("projects" in cues and not (reading.projects or reading.time)) or _only_scope(reading):
        return kind_builders.project_list(reading, catalog, scope)
    if "next" in cues:
        return kind_builders.next_checkpoint(reading, scope, now)
    if reading.time and (
        _asks_spending(reading) or not kind_builders.names_indicator(reading, catalog)
    ):
        month = reading.time.month
        return _broad(reading, catalog, scope, "milestone", month)
    if "whole_plan" in cues or ("plan" in cues and not reading.remainder):
        return _broad(reading, catalog, scope, "plan")
    if "budget" in cues or ("budget_weak" in cues and reading.projects and not reading.remainder):
        return _broad(reading, catalog, scope, "budget")
    if "overview" in cues and not reading.remainder:
        return kind_builders.overview(reading, scope)
    if reading.category:
        return _broad(reading, catalog, scope, "category", reading.category)
    if reading.remainder:
        reply = kind_builders.indicator(reading, catalog)
        if reply.answers or not reading.scope.words.said:
            return reply
        return _found_elsewhere(reading, catalog) or reply
    if "list" in cues or (reading.scope.words.said and not reading.projects):
        return kind_builders.all_indicators(reading, scope)
    if reading.projects:
        return kind_builders.overview(reading, reading.projects)
    return kind_builders.unknown(reading, catalog, [])
