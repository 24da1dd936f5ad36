"""Every answer a broad reply lists, with its line in each language, made once per store version.

A reply over a city's projects (every budget, every 6月底 plan, every 质量指标) lists up to
tens of thousands of answers; building them and their text costs 40–200 ms. They are built
with the catalog instead (so kept in its cache file, and loaded by a new process), one per
indicator, checkpoint and project, and such a reply only picks them out in the scope's order.
The answers and lines are the ones handlers/answer_items.py and handlers/reply_text.py make.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from handlers.answer_items import budget_answer, indicator_answer, milestone_answer
from handlers.reply import BudgetAnswer, IndicatorAnswer, MilestoneAnswer
from handlers.reply_text import budget_line, indicator_line, milestone_line
from store.messages import Language

if TYPE_CHECKING:
    from handlers.catalog import IndicatorEntry, ProjectEntry

LANGUAGES: tuple[Language, ...] = ("zh", "en")


@dataclass(eq=False, slots=True)
class AnswerRows:
    """Answers and lines by catalog place: indicators in catalog order, checkpoints and budgets
    by project place (a project's checkpoints in the order of its plan)."""

    indicators: list[IndicatorAnswer]
    indicator_lines: dict[str, list[str]]
    levels: np.ndarray  # per indicator, the number of its (一级, 二级) in `pairs`
    pairs: list[tuple[str, str]]
    owners: np.ndarray  # per indicator, its project's place
    starts: np.ndarray  # per project place, its first indicator; the end at [-1]
    milestones: list[tuple[MilestoneAnswer, ...]]
    milestone_lines: dict[str, list[tuple[str, ...]]]
    budgets: list[BudgetAnswer]
    budget_lines: dict[str, list[str]]


def build_rows(
    projects: Sequence["ProjectEntry"], indicators: Sequence["IndicatorEntry"]
) -> AnswerRows:
    """The rows of a catalog whose indicators are its projects' indicators, project by project."""
    answers = [indicator_answer(item) for item in indicators]
    numbered: dict[tuple[str, str], int] = {}
    levels = [numbered.setdefault((i.level1, i.level2), len(numbered)) for i in indicators]
    sizes = [len(project.indicators) for project in projects]
    milestones = [tuple(milestone_answer(p, point) for point in p.plan) for p in projects]
    budgets = [budget_answer(project) for project in projects]
    return AnswerRows(
        indicators=answers,
        indicator_lines={lang: [indicator_line(a, lang) for a in answers] for lang in LANGUAGES},
        levels=np.array(levels, dtype=np.int32),
        pairs=list(numbered),
        owners=np.repeat(np.arange(len(projects), dtype=np.int32), sizes),
        starts=np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64),
        milestones=milestones,
        milestone_lines={
            lang: [tuple(milestone_line(a, lang) for a in row) for row in milestones]
            for lang in LANGUAGES
        },
        budgets=budgets,
        budget_lines={lang: [budget_line(a, lang) for a in budgets] for lang in LANGUAGES},
    )


def _places(scope: Sequence["ProjectEntry"]) -> np.ndarray:
    return np.fromiter((p.place for p in scope), dtype=np.int64, count=len(scope))


def category_rows(
    rows: AnswerRows,
    scope: Sequence["ProjectEntry"],
    counts: Callable[[str, str], bool],
    language: Language,
) -> tuple[list[IndicatorAnswer], list[str]]:
    """The answers and lines of the scope's indicators whose levels `counts`, in scope order."""
    wanted = np.fromiter((counts(*pair) for pair in rows.pairs), dtype=bool, count=len(rows.pairs))
    chosen = wanted[rows.levels] if len(rows.pairs) else np.zeros(0, dtype=bool)
    places = _places(scope)
    if len(places) and bool(np.all(places[1:] > places[:-1])):
        in_scope = np.zeros(len(rows.starts) - 1, dtype=bool)
        in_scope[places] = True
        picked = np.flatnonzero(chosen & in_scope[rows.owners]).tolist()
    else:
        picked = [
            n
            for place in places.tolist()
            for n in range(rows.starts[place], rows.starts[place + 1])
            if chosen[n]
        ]
    lines = rows.indicator_lines[language]
    return [rows.indicators[n] for n in picked], [lines[n] for n in picked]


def milestone_rows(
    rows: AnswerRows, scope: Sequence["ProjectEntry"], month: int, language: Language
) -> tuple[list[MilestoneAnswer], list[str]]:
    """Every project's checkpoint in that month, and its line."""
    answers: list[MilestoneAnswer] = []
    lines: list[str] = []
    texts = rows.milestone_lines[language]
    for project in scope:
        for number, point in enumerate(project.plan):
            if point.month == month:
                answers.append(rows.milestones[project.place][number])
                lines.append(texts[project.place][number])
    return answers, lines


def budget_rows(
    rows: AnswerRows, scope: Sequence["ProjectEntry"], language: Language
) -> tuple[list[BudgetAnswer], list[str]]:
    """Each project's budget answer, and its line."""
    texts = rows.budget_lines[language]
    return [rows.budgets[p.place] for p in scope], [texts[p.place] for p in scope]


def plan_rows(rows: AnswerRows, scope: Sequence["ProjectEntry"]) -> list[MilestoneAnswer]:
    """Every checkpoint of every project, project by project."""
    return [answer for project in scope for answer in rows.milestones[project.place]]
