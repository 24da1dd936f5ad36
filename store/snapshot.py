"""Comparable snapshots of a project, from the parser or from the database."""

from typing import Any

from store.models import Checkpoint, Indicator, Project
from store.parsed_document import ParsedProject

PROJECT_FIELDS = (
    "name",
    "department",
    "unit_code",
    "unit",
    "year",
    "money_unit",
    "budget",
    "fiscal_funds",
    "other_funds",
    "purpose",
    "goal",
    "source_money_unit",
    "midterm_goal",
)
INDICATOR_FIELDS = ("level1", "level2", "name", "description", "value", "basis")
STORED_INDICATOR_FIELDS = (*INDICATOR_FIELDS, "weight")  # compared and saved, not all exported


def parsed_snapshot(project: ParsedProject) -> dict[str, Any]:
    """A parsed project as plain comparable data."""
    return {
        "fields": {name: getattr(project, name) for name in PROJECT_FIELDS},
        "plan": [(c.label, c.month, c.date, c.amount) for c in project.plan],
        "indicators": [
            tuple(getattr(i, name) for name in STORED_INDICATOR_FIELDS) for i in project.indicators
        ],
    }


def stored_snapshot(
    project: Project, plan: list[Checkpoint], indicators: list[Indicator]
) -> dict[str, Any]:
    """A stored project as the same plain data as parsed_snapshot."""
    return {
        "fields": {name: getattr(project, name) for name in PROJECT_FIELDS},
        "plan": [(c.label, c.month, c.date, c.amount) for c in plan],
        "indicators": [
            tuple(getattr(i, name) for name in STORED_INDICATOR_FIELDS) for i in indicators
        ],
    }
