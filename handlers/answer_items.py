"""Answers built from catalog entries: indicators, milestones with share and step, budgets."""

from handlers.catalog import IndicatorEntry, ProjectEntry
from handlers.reply import BudgetAnswer, IndicatorAnswer, MilestoneAnswer
from store.checkpoints import PlanPoint, budget_share, previous_point, step_since


def indicator_answer(item: IndicatorEntry) -> IndicatorAnswer:
    """An indicator's target with its project and categories."""
    return IndicatorAnswer(
        project_code=item.project.code,
        project_name=item.project.name,
        level1=item.level1,
        level2=item.level2,
        name=item.name,
        target=item.value,
        description=item.description,
        basis=item.basis,
    )


def milestone_answer(project: ProjectEntry, point: PlanPoint) -> MilestoneAnswer:
    """The cumulative amount at a checkpoint, its share of the budget, the step since the last."""
    previous = previous_point(project.plan, point)
    return MilestoneAnswer(
        project_code=project.code,
        project_name=project.name,
        checkpoint=point.label,
        date=point.date.isoformat(),
        amount=point.amount,
        unit=project.money_unit,
        share=budget_share(point.amount, project.budget),
        step=step_since(point.amount, previous.amount if previous else None),
        previous=previous.label if previous else None,
    )


def milestones_at(projects: list[ProjectEntry], month: int) -> list[MilestoneAnswer]:
    """Every project's checkpoint in that month."""
    return [
        milestone_answer(p, point) for p in projects for point in p.plan if point.month == month
    ]


def nearest_months(projects: list[ProjectEntry], month: int) -> list[int]:
    """The checkpoint months just before and just after a month that has none."""
    months = sorted({point.month for p in projects for point in p.plan})
    before = [m for m in months if m < month][-1:]
    after = [m for m in months if m > month][:1]
    return before + after


def whole_plan(projects: list[ProjectEntry]) -> list[MilestoneAnswer]:
    """Every checkpoint of every project, project by project."""
    return [milestone_answer(p, point) for p in projects for point in p.plan]


def budget_answer(project: ProjectEntry) -> BudgetAnswer:
    """A project's budget with 财政资金 and 其他资金."""
    return BudgetAnswer(
        project_code=project.code,
        project_name=project.name,
        amount=project.budget,
        unit=project.money_unit,
        fiscal_funds=project.fiscal_funds,
        other_funds=project.other_funds,
    )
