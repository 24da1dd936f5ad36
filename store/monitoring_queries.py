"""Statuses read from the store: each project's latest actual against its plan and 序时进度."""

import datetime as dt
from dataclasses import replace

from sqlmodel import Session

from store.actuals import latest_forecast_by_project, latest_spending_by_project
from store.checkpoints import budget_share
from store.models import Project
from store.monitoring_status import ProjectStatus, StatusRules, project_status
from store.queries import all_projects, project_plan_points


def within_year(day: dt.date, year: int) -> dt.date:
    """`day` moved into the project's year: a 2022 project asked about later is judged at 12-31."""
    return min(max(day, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def all_statuses(
    session: Session, day: dt.date, rules: StatusRules, projects: list[Project] | None = None
) -> list[ProjectStatus]:
    """Status of every project (or the given ones) on the date of its newest actual on or
    before `day`, or on `day` (within the project's year) when it has none; in import order."""
    latest = latest_spending_by_project(session, day)
    forecasts = latest_forecast_by_project(session, day)
    statuses = []
    for project in projects if projects is not None else all_projects(session):
        assert project.id is not None
        actual = latest.get(project.code)
        as_of = actual.as_of if actual else within_year(day, project.year)
        executed = actual.amount if actual else None
        plan = project_plan_points(session, project.id)
        status = project_status(project.code, project.budget, plan, executed, as_of, rules)
        if (forecast := forecasts.get(project.code)) is not None:
            rate = budget_share(forecast, project.budget)
            status = replace(status, forecast=forecast, forecast_rate=rate)
        statuses.append(status)
    return statuses


def status_of(
    session: Session, project: Project, day: dt.date, rules: StatusRules
) -> ProjectStatus:
    """One project's status (see all_statuses)."""
    return all_statuses(session, day, rules, [project])[0]
