"""One function per kind of question: builds the answers and the text of the Reply."""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from handlers import answer_rows
from handlers.answer_items import (
    budget_answer,
    indicator_answer,
    milestone_answer,
    milestones_at,
    nearest_months,
    whole_plan,
)
from handlers.catalog import Catalog, IndicatorEntry, ProjectEntry, in_category
from handlers.indicator_search import Hit, find, near_misses
from handlers.match_rules import explained, with_related
from handlers.normalize import remove_fillers
from handlers.question_reading import Understanding
from handlers.reply import Answer, BudgetAnswer, Intent, MilestoneAnswer, Reply
from handlers.reply_text import (
    amount,
    answer_line,
    budget_line,
    grouped_indicators,
    plan_lines,
)
from store.checkpoints import next_point
from store.messages import Language, say

_CONNECTORS = "和及与、,"


def language_of(reading: Understanding) -> Language:
    """The language to answer in: the asker's."""
    return "en" if reading.english else "zh"


def make_reply(
    reading: Understanding,
    intent: Intent,
    answers: Sequence[Answer],
    lines: list[str],
    title: str = "",
    suggestions: Sequence[str] = (),
) -> Reply:
    """The reply to the reading's question, built once."""
    return Reply(
        query=reading.question,
        answers=tuple(answers),
        title=title,
        lines=tuple(lines),
        suggestions=tuple(suggestions),
        intent=intent,
        language=language_of(reading),
    )


def examples(catalog: Catalog, language: Language) -> list[str]:
    """Three questions this store can answer, made from its own content."""
    if not catalog.projects:
        return []
    project = catalog.projects[-1]
    alias = next((a for a in reversed(project.aliases) if len(a) >= 4), project.name)
    item = catalog.indicators[0].name if catalog.indicators else ""
    if language == "en":
        return [f"{item}", f"{alias} June spending plan", f"{alias} budget"]
    return [f"{item}目标是多少", f"{alias}6月底计划支出多少", "满意度指标有哪些"]


def names_indicator(reading: Understanding, catalog: Catalog) -> bool:
    """Whether what remains of the question is clearly an indicator's name."""
    return bool(reading.remainder) and bool(_indicator_matches(reading, catalog)[0])


def search_scope(reading: Understanding) -> list[ProjectEntry] | None:
    """The projects to search: those named, else those the scope allows (None: every one)."""
    scoped = reading.scope
    if reading.projects:
        return reading.projects
    return scoped.projects if scoped.words.said or scoped.hidden_years else None


def _strong(
    query: str, catalog: Catalog, projects: list[ProjectEntry] | None, asked: str = ""
) -> tuple[list[Hit], list[Hit]]:
    """Strong matches that explain what was asked, with their related names; and all hits."""
    matches, hits = find(query, catalog, projects)
    return with_related(query, explained(asked or query, matches), hits), hits


def search_scope_unnamed(reading: Understanding) -> list[ProjectEntry] | None:
    """The projects the scope allows, whatever the question names."""
    scoped = reading.scope
    return scoped.projects if scoped.words.said or scoped.hidden_years else None


def _indicator_matches(reading: Understanding, catalog: Catalog) -> tuple[list[Hit], list[Hit]]:
    matches, hits = _strong(reading.remainder, catalog, search_scope(reading))
    if not matches and reading.projects:
        matches, hits = _strong(
            reading.full, catalog, search_scope_unnamed(reading), reading.remainder
        )
    joined = matches and any(c in matches[0].item.name for c in _CONNECTORS)
    if not joined and (parts := _each_part(reading, catalog)):
        return parts, hits
    return matches, hits


def matches_anywhere(
    reading: Understanding, catalog: Catalog, projects: list[ProjectEntry]
) -> list[IndicatorEntry]:
    """The indicators the question names, looked for in other projects than the scope's."""
    return [hit.item for hit in _strong(reading.remainder, catalog, projects)[0]]


def _each_part(reading: Understanding, catalog: Catalog) -> list[Hit]:
    """逾期率和满意度: the best match of each part joined by 和 / 及 / 与 / 、."""
    pieces = re.split(rf"以及|[{_CONNECTORS}]", reading.rest)
    parts = [part for p in pieces if len(part := remove_fillers(p, catalog.names)) >= 2]
    if len(parts) < 2:
        return []
    found = [find(part, catalog, search_scope(reading))[0] for part in parts]
    unique = {id(hit.item): hit for matches in found for hit in matches}
    return list(unique.values()) if all(found) else []


def indicator(reading: Understanding, catalog: Catalog) -> Reply:
    """An indicator's target; several when they match about equally."""
    matches, hits = _indicator_matches(reading, catalog)
    if not matches:
        return unknown(reading, catalog, near_misses(hits, reading.remainder or reading.full))
    answers = [indicator_answer(hit.item) for hit in matches]
    language = language_of(reading)
    heads = [] if len(answers) == 1 else [say(language, "indicators_found", count=len(answers))]
    asked = {p.code for p in reading.projects}
    if asked and not asked & {a.project_code for a in answers}:
        names = "、".join(p.name for p in reading.projects)
        heads.insert(0, say(language, "elsewhere", projects=names))
    lines = heads[1:] + [answer_line(a, language) for a in answers]
    projects = dict.fromkeys(a.project_code for a in answers)
    if len(projects) > 1:
        lines.append(say(language, "narrow", count=len(projects)))
    return make_reply(reading, "indicator", answers, lines, title=heads[0] if heads else "")


def _scope_name(reading: Understanding, scope: list[ProjectEntry], catalog_size: int) -> str:
    if len(scope) == catalog_size and not reading.projects:
        return say(language_of(reading), "all_projects")
    return "、".join(p.name for p in scope)


def category(reading: Understanding, catalog: Catalog, scope: list[ProjectEntry]) -> Reply:
    """Every indicator of a category (满意度指标, 成本指标 ...), within the named projects."""
    category = reading.category
    assert category is not None
    language = language_of(reading)
    if catalog.rows is not None:
        answers, lines = answer_rows.category_rows(
            catalog.rows, scope, lambda one, two: in_category(one, two, category), language
        )
    else:
        items = [i for p in scope for i in p.indicators if catalog.in_category(i, category)]
        answers = [indicator_answer(i) for i in items]
        lines = [answer_line(a, language) for a in answers]
    if not answers:
        return unknown(reading, catalog, [])
    head = say(
        language,
        "category_found",
        scope=_scope_name(reading, scope, len(catalog.projects)),
        category=category,
        count=len(answers),
    )
    return make_reply(reading, "category", answers, lines, title=head)


def all_indicators(reading: Understanding, scope: list[ProjectEntry]) -> Reply:
    """Every indicator of the named projects (or of all), grouped by category."""
    answers = [indicator_answer(i) for p in scope for i in p.indicators]
    language = language_of(reading)
    head = say(
        language, "all_indicators", scope="、".join(p.name for p in scope), count=len(answers)
    )
    lines = grouped_indicators(answers, language)
    return make_reply(reading, "indicators", answers, lines, title=head)


def _milestones(
    catalog: Catalog | None, scope: list[ProjectEntry], month: int, language: Language
) -> tuple[list[MilestoneAnswer], list[str]]:
    """Every project's checkpoint in that month and its line (from the catalog's rows)."""
    if catalog is not None and catalog.rows is not None:
        return answer_rows.milestone_rows(catalog.rows, scope, month, language)
    answers = milestones_at(scope, month)
    return answers, [answer_line(a, language) for a in answers]


def milestone(
    reading: Understanding, scope: list[ProjectEntry], month: int, catalog: Catalog | None = None
) -> Reply:
    """The cumulative plan at a checkpoint; the nearest checkpoints when the month has none."""
    language = language_of(reading)
    answers, lines = _milestones(catalog, scope, month, language)
    if answers:
        head = say(language, "milestone_header", checkpoint=answers[0].checkpoint)
        return make_reply(reading, "milestone", answers, lines, title=head)
    nearest = nearest_months(scope, month)
    if not nearest:
        lines = [say(language, "no_plan", project="、".join(p.name for p in scope))]
        return make_reply(reading, "milestone", [], lines)
    answers, lines = [], []
    for each in nearest:
        found, texts = _milestones(catalog, scope, each, language)
        answers += found
        lines += texts
    names = "、".join(sorted({a.checkpoint for a in answers}, key=lambda c: int(c[:-2])))
    head = say(language, "no_checkpoint", month=month, nearest=names)
    return make_reply(reading, "milestone", answers, lines, title=head)


def plan(
    reading: Understanding, scope: list[ProjectEntry], catalog: Catalog | None = None
) -> Reply:
    """The whole cumulative plan of the named projects (or of all)."""
    language = language_of(reading)
    rows = catalog.rows if catalog is not None else None
    answers = answer_rows.plan_rows(rows, scope) if rows is not None else whole_plan(scope)
    if not answers:
        lines = [say(language, "no_plan", project="、".join(p.name for p in scope))]
        return make_reply(reading, "plan", [], lines)
    budgets = {p.code: amount(p.budget) for p in scope}
    return make_reply(reading, "plan", answers, plan_lines(answers, budgets, language))


def budget(
    reading: Understanding, scope: list[ProjectEntry], catalog: Catalog | None = None
) -> Reply:
    """Budgets with 财政资金 / 其他资金."""
    language = language_of(reading)
    if catalog is not None and catalog.rows is not None:
        answers, lines = answer_rows.budget_rows(catalog.rows, scope, language)
        return make_reply(reading, "budget", answers, lines)
    answers = [budget_answer(p) for p in scope]
    return make_reply(reading, "budget", answers, [budget_line(a, language) for a in answers])


def overview(reading: Understanding, projects: list[ProjectEntry]) -> Reply:
    """Purpose, goal, budget and the indicators by category."""
    language = language_of(reading)
    answers: list[Answer] = []
    lines: list[str] = []
    for project in projects:
        money = budget_answer(project)
        items = [indicator_answer(i) for i in project.indicators]
        answers += [money, *items]
        lines += [
            say(
                language,
                "overview_header",
                project=project.name,
                code=project.code,
                year=project.year,
            ),
            budget_line(money, language),
        ]
        if project.purpose:
            lines.append(say(language, "overview_purpose", purpose=project.purpose))
        if project.goal:
            lines.append(say(language, "overview_goal", goal=project.goal))
        lines += grouped_indicators(items, language)
    if len(projects) == 1:
        return make_reply(reading, "overview", answers, lines[1:], title=lines[0])
    return make_reply(reading, "overview", answers, lines)


def next_checkpoint(reading: Understanding, scope: list[ProjectEntry], now: datetime) -> Reply:
    """The next checkpoint from now, with each project's amount."""
    language, today = language_of(reading), now.date()
    points = sorted(
        {point.date: point for p in scope for point in p.plan}.values(),
        key=lambda point: point.date,
    )
    target = next_point(points, today)
    if target is None:
        if not points:
            return make_reply(reading, "next", [], [say(language, "no_plan", project="")])
        last = points[-1]
        return make_reply(
            reading,
            "next",
            [],
            [say(language, "next_none", checkpoint=last.label, date=last.date.isoformat())],
        )
    answers = [
        milestone_answer(p, point) for p in scope for point in p.plan if point.date == target.date
    ]
    head = say(
        language,
        "next",
        checkpoint=target.label,
        date=target.date.isoformat(),
        days=(target.date - today).days,
    )
    return make_reply(
        reading, "next", answers, [answer_line(a, language) for a in answers], title=head
    )


def _project_lines(answers: list[BudgetAnswer], language: Language) -> list[str]:
    return [
        say(
            language,
            "project_line",
            name=a.project_name,
            code=a.project_code,
            budget=amount(a.amount),
            unit=a.unit,
        )
        for a in answers
    ]


def project_list(reading: Understanding, catalog: Catalog, scope: list[ProjectEntry]) -> Reply:
    """Every project (in scope) with its budget."""
    language = language_of(reading)
    answers = [budget_answer(p) for p in scope]
    head = say(language, "projects_header", count=len(answers))
    return make_reply(reading, "projects", answers, _project_lines(answers, language), title=head)


def no_such_project(reading: Understanding, catalog: Catalog, name: str) -> Reply:
    """A command named a project the store does not have: say so, and list the projects."""
    language = language_of(reading)
    listed = _project_lines([budget_answer(p) for p in catalog.projects], language)
    head = say(language, "no_such_project", name=name)
    return make_reply(reading, "unknown", [], listed, title=head)


def _help_lines(catalog: Catalog, language: Language) -> list[str]:
    listed = "\n".join(f"• {e}" for e in examples(catalog, language))
    return [say(language, "help", examples=listed)]


def help_reply(reading: Understanding, catalog: Catalog) -> Reply:
    """What the bot can do, with examples from the store."""
    return make_reply(reading, "help", [], _help_lines(catalog, language_of(reading)))


def start_reply(reading: Understanding, catalog: Catalog) -> Reply:
    """/start: a greeting with the number of projects, then the help."""
    language = language_of(reading)
    head = say(language, "start", count=len(catalog.projects))
    return make_reply(reading, "help", [], _help_lines(catalog, language), title=head)


def unknown_command(reading: Understanding, catalog: Catalog, name: str) -> Reply:
    """A command the bot does not have: say so, then the help."""
    language = language_of(reading)
    head = say(language, "unknown_command", command=name)
    return make_reply(reading, "unknown", [], _help_lines(catalog, language), title=head)


def unknown(reading: Understanding, catalog: Catalog, misses: list[IndicatorEntry]) -> Reply:
    """A plain "I don't know", with near misses or example questions to try."""
    language = language_of(reading)
    lines = [say(language, "unknown", query=reading.question.strip()[:60])]
    if misses:
        suggestions = [
            f"{m.name}（{m.project.name}）" if language == "zh" else m.name for m in misses
        ]
        lines.append(say(language, "did_you_mean"))
    else:
        suggestions = examples(catalog, language)
        lines.append(say(language, "try_asking"))
    lines += [f"• {s}" for s in suggestions]
    return make_reply(reading, "unknown", [], lines, suggestions=suggestions)


def no_projects(reading: Understanding) -> Reply:
    return make_reply(reading, "empty_store", [], [say(language_of(reading), "no_projects")])


def empty(text: str, catalog: Catalog) -> Reply:
    """A message with nothing to read (only emoji or punctuation)."""
    reading = Understanding(question=text, english=False)
    example = (examples(catalog, "zh") or [say("zh", "example_question")])[0]
    lines = [say("zh", "empty", example=example)]
    return make_reply(reading, "empty", [], lines, suggestions=examples(catalog, "zh"))


def too_long(text: str, catalog: Catalog) -> Reply:
    """A message far longer than any question."""
    reading = Understanding(question=text[:200], english=False)
    example = (examples(catalog, "zh") or [say("zh", "example_question")])[0]
    return make_reply(
        reading, "too_long", [], [say("zh", "too_long", length=len(text), example=example)]
    )


def narrowed(reply: Reply, project_code: str) -> Reply:
    """The same reply with only one project's answers (the button under an ambiguous reply)."""
    answers = tuple(a for a in reply.answers if getattr(a, "project_code", None) == project_code)
    if not answers:
        return replace(reply, answers=())
    lines = tuple(answer_line(a, reply.language) for a in answers)
    return replace(reply, answers=answers, title="", lines=lines, suggestions=())
