"""Totals and rankings over the projects in scope: 总预算, 6月底一共要花多少, 哪个项目预算最多."""

from dataclasses import dataclass

from handlers.answer_items import budget_answer, milestones_at
from handlers.catalog import ProjectEntry
from handlers.kind_builders import language_of, make_reply
from handlers.question_reading import Understanding
from handlers.reply import BudgetAnswer, MilestoneAnswer, RankingAnswer, Reply, TotalAnswer
from handlers.reply_text import amount, answer_line, ranking_line
from handlers.wordlists import word_lists
from store.messages import say

Part = BudgetAnswer | MilestoneAnswer


def _factors() -> dict[str, float]:
    factors: dict[str, float] = word_lists()["money_units"]
    return factors


def common_unit(units: list[str]) -> str:
    """One unit for a sum: the shared one, else 万元."""
    known = [unit for unit in dict.fromkeys(units) if unit in _factors()]
    return known[0] if len(set(units)) == 1 and known else "万元"


def in_unit(value: float | None, unit: str, target: str) -> float | None:
    """An amount converted between money units (元, 万元, 亿元 ...)."""
    factors = _factors()
    if value is None or unit == target or unit not in factors or target not in factors:
        return value
    return value * factors[unit] / factors[target]


@dataclass(frozen=True)
class Measure:
    """What is summed or ranked: budgets, or the cumulative plan at a month."""

    month: int | None = None

    def parts(self, projects: list[ProjectEntry]) -> list[Part]:
        if self.month is None:
            return [budget_answer(p) for p in projects]
        return list(milestones_at(projects, self.month))

    @property
    def name(self) -> str:
        return "budget" if self.month is None else "milestone"


def total(reading: Understanding, projects: list[ProjectEntry], measure: Measure) -> Reply:
    """The per-project amounts and their sum, in one unit."""
    language, parts = language_of(reading), measure.parts(projects)
    unit = common_unit([part.unit for part in parts])
    values = [in_unit(part.amount, part.unit, unit) or 0.0 for part in parts]
    checkpoint = getattr(parts[0], "checkpoint", None) if parts else None
    summed = TotalAnswer(
        measure=measure.name,
        amount=round(sum(values), 2),
        unit=unit,
        count=len(parts),
        project_codes=tuple(part.project_code for part in parts),
        checkpoint=checkpoint,
    )
    key = "total_budget" if measure.month is None else "total_milestone"
    head = say(
        language,
        key,
        count=len(parts),
        amount=amount(summed.amount),
        unit=unit,
        checkpoint=checkpoint,
    )
    lines = [answer_line(part, language) for part in parts]
    return make_reply(reading, "total", [summed, *parts], lines, title=head)


def ranking(
    reading: Understanding, projects: list[ProjectEntry], measure: Measure, ascending: bool
) -> Reply:
    """Projects ordered by the measure, the asked end first."""
    language, parts = language_of(reading), measure.parts(projects)
    unit = common_unit([part.unit for part in parts])
    known = [part for part in parts if part.amount is not None]
    ordered = sorted(known, key=lambda p: in_unit(p.amount, p.unit, unit) or 0.0)
    if not ascending:
        ordered.reverse()
    ordered += [part for part in parts if part.amount is None]
    answers = [
        RankingAnswer(
            rank=number,
            project_code=part.project_code,
            project_name=part.project_name,
            measure=measure.name,
            amount=in_unit(part.amount, part.unit, unit),
            unit=unit,
            checkpoint=getattr(part, "checkpoint", None),
        )
        for number, part in enumerate(ordered, start=1)
    ]
    if not answers:
        return make_reply(reading, "ranking", [], [say(language, "no_plan", project="")])
    first = answers[0]
    head = say(
        language,
        "ranking_least" if ascending else "ranking_most",
        project=first.project_name,
        amount=amount(first.amount),
        unit=unit,
        measure=say(language, f"measure_{measure.name}", checkpoint=first.checkpoint),
    )
    lines = [ranking_line(a, language) for a in answers]
    return make_reply(reading, "ranking", answers, lines, title=head)
