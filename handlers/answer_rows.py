"""Every answer a broad reply lists, with its line in each language, made once per store version.

A reply over a city's projects (every budget, every 6月底 plan, every 质量指标) lists up to
tens of thousands of answers; building them and their text costs 40–200 ms. They are built
with the catalog instead (so kept in its cache file, and loaded by a new process), one per
indicator, checkpoint and project, and such a reply only picks them out in the scope's order.
The answers and lines are the ones handlers/answer_items.py and handlers/reply_text.py make.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from handlers.answer_items import budget_answer, indicator_answer, milestone_answer
from handlers.reply import BudgetAnswer, IndicatorAnswer, MilestoneAnswer
from handlers.reply_text import budget_line, indicator_line, milestone_line
from store.messages import Language

if TYPE_CHECKING:
    from handlers.catalog import IndicatorEntry, ProjectEntry

LANGUAGES: tuple[Language, ...] = ("zh", "en")
_MARK = "\x00"  # stands for an indicator's own values when finding the shared end of its line


@dataclass(eq=False, slots=True)
class Texts:
    """Many lines kept as one string and where each ends (a fraction of a str object each)."""

    text: str
    ends: np.ndarray  # line n is text[ends[n]:ends[n + 1]]

    @classmethod
    def of(cls, lines: list[str]) -> "Texts":
        ends = np.zeros(len(lines) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)), out=ends[1:])
        return cls("".join(lines), ends)

    def pick(self, numbers: np.ndarray) -> list[str]:
        """The lines of these numbers, in their order."""
        text = self.text
        starts, ends = self.ends[numbers].tolist(), self.ends[numbers + 1].tolist()
        return [text[start:end] for start, end in zip(starts, ends, strict=True)]


@dataclass(eq=False, slots=True)
class IndicatorLines:
    """An indicator's line as its own start and an end shared by the indicators of the same
    project and levels (the project and categories the line names)."""

    heads: Texts
    ends: list[str]
    end_of: np.ndarray  # per indicator, its end in `ends`

    def pick(self, numbers: np.ndarray) -> list[str]:
        ends = self.ends
        shared = [ends[n] for n in self.end_of[numbers].tolist()]
        return [head + end for head, end in zip(self.heads.pick(numbers), shared, strict=True)]


@dataclass(eq=False, slots=True)
class AnswerRows:
    """Answers and lines by catalog place: indicators in catalog order, checkpoints project by
    project (each project's in the order of its plan) and budgets by project place."""

    indicators: list[IndicatorAnswer]
    indicator_lines: dict[str, IndicatorLines]
    levels: np.ndarray  # per indicator, the number of its (一级, 二级) in `pairs`
    pairs: list[tuple[str, str]]
    owners: np.ndarray  # per indicator, its project's place
    starts: np.ndarray  # per project place, its first indicator; the end at [-1]
    milestones: list[MilestoneAnswer]
    milestone_starts: np.ndarray  # per project place, its first checkpoint; the end at [-1]
    milestone_lines: dict[str, Texts]
    budgets: list[BudgetAnswer]
    budget_lines: dict[str, Texts]

    def __getstate__(self) -> dict[str, object]:
        """The answers as columns: pickled one by one, each would keep a state and a memo entry
        alive until the whole catalog is written (65 MB more at city size)."""
        state = {name: getattr(self, name) for name in self.__slots__}
        for name in _ANSWERS:
            state[name] = _columns(state[name])
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in self.__slots__:
            value = state[name]
            setattr(self, name, _rows(value) if name in _ANSWERS else value)  # type: ignore[arg-type]


_ANSWERS = ("indicators", "milestones", "budgets")


def _columns(answers: list[Any]) -> tuple[type, list[list[object]]]:
    """One kind of answers as (their class, one list per field)."""
    kind = type(answers[0]) if answers else IndicatorAnswer
    return kind, [[getattr(a, f.name) for a in answers] for f in fields(kind)]


def _rows(columns: tuple[type, list[list[object]]]) -> list[Any]:
    kind, values = columns
    return list(map(kind, *values))


def _offsets(sizes: list[int]) -> np.ndarray:
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(np.array(sizes, dtype=np.int64), out=offsets[1:])
    return offsets


def _indicator_lines(answers: list[IndicatorAnswer], language: Language) -> IndicatorLines:
    """Each line cut where the part every indicator of its project and levels shares begins."""
    numbered: dict[tuple[str, str, str, str], int] = {}
    ends, end_of, heads = [""], [], []  # ends[0]: nothing shared
    for answer in answers:
        line = indicator_line(answer, language)
        group = (answer.project_code, answer.project_name, answer.level1, answer.level2)
        if (number := numbered.get(group)) is None:
            marked = replace(answer, name=_MARK, target=_MARK)
            number = numbered[group] = len(ends)
            ends.append(indicator_line(marked, language).rpartition(_MARK)[2])
        if not line.endswith(ends[number]):
            number = 0  # (a line that does not end so is kept whole)
        end_of.append(number)
        heads.append(line[: len(line) - len(ends[number])])
    return IndicatorLines(Texts.of(heads), ends, np.array(end_of, dtype=np.int32))


def build_rows(
    projects: Sequence["ProjectEntry"], indicators: Sequence["IndicatorEntry"]
) -> AnswerRows:
    """The rows of a catalog whose indicators are its projects' indicators, project by project."""
    answers = [indicator_answer(item) for item in indicators]
    numbered: dict[tuple[str, str], int] = {}
    levels = [numbered.setdefault((i.level1, i.level2), len(numbered)) for i in indicators]
    sizes = [len(project.indicators) for project in projects]
    milestones = [milestone_answer(p, point) for p in projects for point in p.plan]
    budgets = [budget_answer(project) for project in projects]
    return AnswerRows(
        indicators=answers,
        indicator_lines={lang: _indicator_lines(answers, lang) for lang in LANGUAGES},
        levels=np.array(levels, dtype=np.int32),
        pairs=list(numbered),
        owners=np.repeat(np.arange(len(projects), dtype=np.int32), sizes),
        starts=_offsets(sizes),
        milestones=milestones,
        milestone_starts=_offsets([len(project.plan) for project in projects]),
        milestone_lines={
            lang: Texts.of([milestone_line(a, lang) for a in milestones]) for lang in LANGUAGES
        },
        budgets=budgets,
        budget_lines={
            lang: Texts.of([budget_line(a, lang) for a in budgets]) for lang in LANGUAGES
        },
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
        picked = np.flatnonzero(chosen & in_scope[rows.owners])
    else:
        ranges = [np.arange(rows.starts[p], rows.starts[p + 1]) for p in places.tolist()]
        every = np.concatenate(ranges) if ranges else np.zeros(0, dtype=np.int64)
        picked = every[chosen[every]]
    answers = rows.indicators
    lines = rows.indicator_lines[language].pick(picked)
    return [answers[n] for n in picked.tolist()], lines


def milestone_rows(
    rows: AnswerRows, scope: Sequence["ProjectEntry"], month: int, language: Language
) -> tuple[list[MilestoneAnswer], list[str]]:
    """Every project's checkpoint in that month, and its line."""
    starts = rows.milestone_starts.tolist()
    numbers = [
        starts[project.place] + number
        for project in scope
        for number, point in enumerate(project.plan)
        if point.month == month
    ]
    answers = rows.milestones
    picked = np.array(numbers, dtype=np.int64)
    return [answers[n] for n in numbers], rows.milestone_lines[language].pick(picked)


def budget_rows(
    rows: AnswerRows, scope: Sequence["ProjectEntry"], language: Language
) -> tuple[list[BudgetAnswer], list[str]]:
    """Each project's budget answer, and its line."""
    places = _places(scope)
    return [rows.budgets[p] for p in places.tolist()], rows.budget_lines[language].pick(places)


def plan_rows(rows: AnswerRows, scope: Sequence["ProjectEntry"]) -> list[MilestoneAnswer]:
    """Every checkpoint of every project, project by project."""
    starts, answers = rows.milestone_starts.tolist(), rows.milestones
    return [a for p in scope for a in answers[starts[p.place] : starts[p.place + 1]]]
