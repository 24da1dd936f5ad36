"""The text of a reply, in the asker's language, from its answers."""

from itertools import groupby

from handlers.reply import (
    Answer,
    BudgetAnswer,
    IndicatorAnswer,
    MilestoneAnswer,
    RankingAnswer,
    TotalAnswer,
)
from store.messages import Language, say
from store.money import money_text, share_text


def amount(value: float | None, language: Language = "zh") -> str:
    """Money as the documents print it (store/money.py); a blank as the catalogue says."""
    return money_text(value, blank=say(language, "blank"))


share = share_text


def indicator_line(answer: IndicatorAnswer, language: Language) -> str:
    return say(
        language,
        "indicator",
        name=answer.name,
        target=answer.target,
        project=answer.project_name,
        level1=answer.level1,
        level2=answer.level2,
    )


def milestone_line(answer: MilestoneAnswer, language: Language) -> str:
    if answer.amount is None:
        return say(
            language,
            "milestone_blank",
            project=answer.project_name,
            checkpoint=answer.checkpoint,
            date=answer.date,
        )
    if answer.previous:
        step = say(
            language,
            "milestone_step",
            previous=answer.previous,
            step=amount(answer.step),
            unit=answer.unit,
        )
    else:
        step = say(language, "milestone_step_first", step=amount(answer.step), unit=answer.unit)
    return say(
        language,
        "milestone",
        project=answer.project_name,
        checkpoint=answer.checkpoint,
        date=answer.date,
        amount=amount(answer.amount),
        unit=answer.unit,
        share=share(answer.share),
        step=step,
    )


def budget_line(answer: BudgetAnswer, language: Language) -> str:
    return say(
        language,
        "budget",
        project=answer.project_name,
        amount=amount(answer.amount),
        unit=answer.unit,
        fiscal=amount(answer.fiscal_funds, language),
        other=amount(answer.other_funds, language),
    )


def answer_summary(answer: Answer, language: Language) -> str:
    """One answer in one short line (an indicator without its project and categories)."""
    if isinstance(answer, IndicatorAnswer):
        return say(language, "indicator_summary", name=answer.name, target=answer.target)
    return answer_line(answer, language)


def ranking_line(answer: RankingAnswer, language: Language) -> str:
    """1. 人才住房购置及后期管理：14424.00 万元."""
    return say(
        language,
        "ranking_line",
        rank=answer.rank,
        project=answer.project_name,
        amount=amount(answer.amount, language),
        unit=answer.unit,
    )


def total_line(answer: TotalAnswer, language: Language) -> str:
    """合计：16955.93 万元（3 个项目）."""
    return say(
        language, "total_line", amount=amount(answer.amount), unit=answer.unit, count=answer.count
    )


def answer_line(answer: Answer, language: Language) -> str:
    """One answer as a line (or two) of text."""
    if isinstance(answer, IndicatorAnswer):
        return indicator_line(answer, language)
    if isinstance(answer, MilestoneAnswer):
        return milestone_line(answer, language)
    if isinstance(answer, TotalAnswer):
        return total_line(answer, language)
    if isinstance(answer, RankingAnswer):
        return ranking_line(answer, language)
    if isinstance(answer, BudgetAnswer):
        return budget_line(answer, language)
    return ""  # progress answers have their own text (store/monitoring_text.py)


def plan_lines(
    answers: list[MilestoneAnswer], budgets: dict[str, str], language: Language
) -> list[str]:
    """A whole plan, grouped by project."""
    lines = []
    for code, group in groupby(answers, key=lambda a: a.project_code):
        points = list(group)
        lines.append(
            say(
                language,
                "plan_header",
                project=points[0].project_name,
                budget=budgets.get(code, "—"),
                unit=points[0].unit,
            )
        )
        for point in points:
            key = "plan_line" if point.amount is not None else "plan_line_blank"
            lines.append(
                say(
                    language,
                    key,
                    checkpoint=point.checkpoint,
                    date=point.date,
                    amount=f"{amount(point.amount)} {point.unit} ({share(point.share)})",
                )
            )
    return lines


def grouped_indicators(answers: list[IndicatorAnswer], language: Language) -> list[str]:
    """Indicators under their 一级 › 二级 headings."""
    lines = []
    for (level1, level2), group in groupby(answers, key=lambda a: (a.level1, a.level2)):
        lines.append(say(language, "overview_group", level1=level1, level2=level2))
        lines += [say(language, "overview_item", name=a.name, target=a.target) for a in group]
    return lines
