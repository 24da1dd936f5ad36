"""Import an export of 执行数: match lines to projects, sum them, record all or nothing."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from sqlmodel import Session

from store.actuals import SpendingEntry, record_spending
from store.actuals_file import (
    ActualsFileError,
    FileLine,
    file_lines,
    find_header,
    line_date,
    read_rows,
    unit_factor,
)
from store.models import Project
from store.queries import find_projects, project_by_code

YUAN_RATIO = 50  # amounts over 50 times the budget (in 万元) must be in 元


@dataclass
class ImportedActual:
    """The summed amount of one project at one date, as recorded."""

    code: str
    name: str
    as_of: dt.date
    amount: float
    lines: int


@dataclass
class ActualsImport:
    """What a file added, and the unit its amounts were in."""

    unit: str
    actuals: list[ImportedActual]


def match_project(session: Session, line: FileLine) -> Project | None:
    """A line's project: by code, then by its exact name, then by a name only one project has."""
    if line.code and (project := project_by_code(session, line.code)):
        return project
    if line.name:
        found = find_projects(session, line.name)
        exact = [p for p in found if p.name == line.name]
        if len(exact) == 1 or len(found) == 1:
            return (exact or found)[0]
    return None


def _guess_unit(matched: list[tuple[FileLine, Project]]) -> str:
    """元 when amounts dwarf the budgets (in 万元), else 万元."""
    ratios = [line.amount / p.budget for line, p in matched if p.budget and line.amount > 0]
    return "元" if ratios and median(ratios) > YUAN_RATIO else "万元"


def import_actuals(
    session: Session,
    path: Path,
    recorded_by: str,
    now: dt.datetime,
    as_of: dt.date | None = None,
    unit: str | None = None,
    force: bool = False,
) -> ActualsImport:
    """Record a file's actuals in the session; raises on any problem (the caller rolls back)."""
    rows = read_rows(path)
    header = find_header(rows)
    raw = file_lines(rows, header, 1.0)
    if not raw:
        raise ActualsFileError("import_empty")
    matched = [(line, match_project(session, line)) for line in raw]
    unknown = sorted({line.code or line.name or "" for line, p in matched if p is None})
    if unknown:
        raise ActualsFileError("import_unknown", names="、".join(unknown))
    pairs = [(line, p) for line, p in matched if p is not None]
    chosen = unit or header.unit or _guess_unit(pairs)
    factor = unit_factor(chosen)
    sums: dict[tuple[str, dt.date], list[Any]] = defaultdict(lambda: [None, 0.0, 0])
    for line, project in pairs:
        day = line_date(line.when, project.year, header, as_of)
        if day is None:
            raise ActualsFileError("import_no_date")
        entry = sums[(project.code, day)]
        entry[0], entry[1], entry[2] = project, entry[1] + line.amount * factor, entry[2] + 1
    imported = []
    for (_, day), (project, total, count) in sorted(sums.items(), key=lambda kv: kv[0][1]):
        spending = SpendingEntry(project, total, day, "file", recorded_by, path.name, force)
        record_spending(session, spending, now)
        imported.append(ImportedActual(project.code, project.name, day, round(total, 6), count))
    return ActualsImport(chosen, imported)
