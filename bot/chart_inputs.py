"""What the charts show, read from the store: a project's plan and actuals, every status."""

from datetime import date

from sqlmodel import Session

from bot.charts import ProjectSeries
from store.actuals import spending_history
from store.models import Project
from store.monitoring_queries import all_statuses, within_year
from store.monitoring_status import ProjectStatus, StatusRules
from store.queries import all_projects, project_plan_points


def project_series(session: Session, project: Project, rules: StatusRules) -> ProjectSeries:
    """A project's plan and dated actuals (the amount that counts for each date)."""
    assert project.id is not None
    effective = {row.as_of: row.amount for row in spending_history(session, project.code)}
    return ProjectSeries(
        name=project.name,
        year=project.year,
        budget=project.budget,
        plan=project_plan_points(session, project.id),
        actuals=sorted(effective.items()),
        time_method=rules.time_method,
    )


def overview_inputs(
    session: Session, day: date, rules: StatusRules
) -> tuple[list[str], list[ProjectStatus], int, date]:
    """Names, statuses, year and date of the department overview (projects of the newest year)."""
    projects = all_projects(session)
    year = max((p.year for p in projects), default=day.year)
    chosen = [p for p in projects if p.year == year]
    statuses = all_statuses(session, day, rules, chosen)
    return [p.name for p in chosen], statuses, year, within_year(day, year)
