"""Answers about what actually happened: spending progress, laggards, indicator completion."""

from datetime import datetime
from functools import cache

from sqlmodel import Session

from handlers.catalog import Catalog, IndicatorEntry, ProjectEntry
from handlers.indicator_search import find
from handlers.normalize import half_width
from handlers.question_reading import Understanding, understand
from handlers.reply import Answer, IndicatorProgressAnswer, ProgressAnswer, Reply
from handlers.wordlists import Glossary, bundled
from store.actuals import latest_indicator_actual
from store.indicator_progress import indicator_progress
from store.messages import Language, say
from store.monitoring_queries import all_statuses, within_year
from store.monitoring_status import ProjectStatus, StatusRules
from store.monitoring_text import indicator_lines, rule_line, status_lines
from store.queries import project_by_code

MAX_INDICATORS = 5


@cache
def monitoring_words() -> dict[str, list[str]]:
    """Cue words of handlers/data/monitoring_words.json."""
    data = bundled("monitoring_words.json")
    return {key: value for key, value in data.items() if not key.startswith("_")}


def progress_cue(text: str) -> tuple[str, str] | None:
    """(spending | lagging | indicator, the cue word) when the text asks about actuals."""
    folded = half_width(text).lower()
    for kind in ("lagging", "indicator", "spending"):
        for word in sorted(monitoring_words()[kind], key=len, reverse=True):
            if word in folded:
                return kind, word
    return None


def answer_progress(
    question: str,
    session: Session,
    now: datetime,
    catalog: Catalog,
    terms: Glossary,
    rules: StatusRules,
) -> Reply | None:
    """The reply when the question asks about actuals; None to let the plan engine answer."""
    cue = progress_cue(question)
    if cue is None or not catalog.projects:
        return None
    kind, word = cue
    rest = half_width(question).lower().replace(word, " ", 1)
    reading = understand(rest, catalog, now, terms)
    reading.question = question
    if reading.time:
        return None  # 上半年支出进度 asks for the plan at 6月底
    if kind == "indicator":
        matches = find(reading.remainder, catalog, reading.projects or None)[0]
        if matches:
            items = [hit.item for hit in matches[:MAX_INDICATORS]]
            return indicator_reply(reading, session, now, items)
        if not reading.projects:
            return None
    scope = reading.projects or catalog.projects
    return spending_reply(reading, session, now, scope, rules, lagging=kind == "lagging")


def _language(reading: Understanding) -> Language:
    return "en" if reading.english else "zh"


def _progress_answer(entry: ProjectEntry, status: ProjectStatus) -> ProgressAnswer:
    return ProgressAnswer(
        **{**status.figures(), "project_code": entry.code}, project_name=entry.name
    )


def spending_reply(
    reading: Understanding,
    session: Session,
    now: datetime,
    scope: list[ProjectEntry],
    rules: StatusRules,
    lagging: bool = False,
) -> Reply:
    """Each project's spending status; with `lagging`, only the yellow and red ones, worst first."""
    language = _language(reading)
    projects = [p for e in scope if (p := project_by_code(session, e.code))]
    statuses = all_statuses(session, now.date(), rules, projects)
    pairs = list(zip(scope, statuses, strict=True))
    lines: list[str] = []
    if lagging:
        recorded = [pair for pair in pairs if pair[1].executed is not None]
        pairs = sorted(
            [pair for pair in recorded if pair[1].light in ("yellow", "red")],
            key=lambda pair: min(pair[1].gap_points or 0, pair[1].plan_gap_points or 0),
        )
        key = "lagging_header" if pairs else "lagging_none"
        lines.append(say(language, key, count=len(pairs) if pairs else len(recorded)))
    for entry, status in pairs:
        lines += status_lines(entry.name, status, language)
    missing = [e.name for e, s in zip(scope, statuses, strict=True) if s.executed is None]
    if lagging and missing:
        lines.append(say(language, "missing_actuals", names="、".join(missing)))
    lines.append(rule_line(rules, language))
    return Reply(
        query=reading.question,
        answers=tuple(_progress_answer(entry, status) for entry, status in pairs),
        lines=tuple(lines),
        intent="progress",
        language=language,
    )


def indicator_reply(
    reading: Understanding, session: Session, now: datetime, items: list[IndicatorEntry]
) -> Reply:
    """Each indicator's actual to date against its target."""
    language = _language(reading)
    answers: list[Answer] = []
    lines: list[str] = []
    for item in items:
        day = within_year(now.date(), item.project.year)
        actual = latest_indicator_actual(session, item.project.code, item.name, day)
        progress = indicator_progress(item.project.code, item.name, item.value, actual)
        lines += indicator_lines(item.project.name, progress, language)
        answers.append(
            IndicatorProgressAnswer(
                project_code=item.project.code,
                project_name=item.project.name,
                name=item.name,
                target=item.value,
                as_of=progress.as_of,
                actual=progress.actual,
                share_complete=progress.share_complete,
                met=progress.met,
                forecast=progress.forecast,
                reason_category=progress.reason_category,
                likelihood=progress.likelihood,
            )
        )
    return Reply(
        query=reading.question,
        answers=tuple(answers),
        lines=tuple(lines),
        intent="indicator_progress",
        language=language,
    )
