"""Statuses read from the store: each project's latest actual against its plan and 序时进度."""

import datetime as dt

from sqlmodel import Session

from store.actuals import latest_spending, latest_spending_by_project
from store.models import Project
from store.monitoring_status import ProjectStatus, StatusRules, project_status
from store.queries import all_projects, project_plan_points


def status_of(
    session: Session, project: Project, day: dt.date, rules: StatusRules
) -> ProjectStatus:
    """Status on the date of the newest actual on or before `day`; on `day` when there is none."""
    assert project.id is not None
    actual = latest_spending(session, project.code, day)
    as_of = actual.as_of if actual else day
    executed = actual.amount if actual else None
    plan = project_plan_points(session, project.id)
    return project_status(project.code, project.budget, plan, executed, as_of, rules)


def all_statuses(
    session: Session, day: dt.date, rules: StatusRules, projects: list[Project] | None = None
) -> list[ProjectStatus]:
    """Status of every project (or the given ones), in import order."""
    latest = latest_spending_by_project(session, day)
    statuses = []
    for project in projects if projects is not None else all_projects(session):
        assert project.id is not None
        actual = latest.get(project.code)
        as_of = actual.as_of if actual else day
        executed = actual.amount if actual else None
        plan = project_plan_points(session, project.id)
        statuses.append(project_status(project.code, project.budget, plan, executed, as_of, rules))
    return statuses
