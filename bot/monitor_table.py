"""The 项目支出绩效目标执行监控表 as an xlsx workbook: a summary sheet and one sheet per project."""

import re
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from store.actuals import latest_indicator_actual
from store.models import Project
from store.money import share_text
from store.monitoring_queries import all_statuses
from store.monitoring_status import ProjectStatus, StatusRules
from store.monitoring_vocab import workbook_words
from store.queries import all_projects, project_indicators

BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _words(month: int) -> dict[str, Any]:
    """Header spellings with 1-X月 filled in."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{month}", str(month))
        if isinstance(value, list):
            return [fill(v) for v in value]
        return {k: fill(v) for k, v in value.items()} if isinstance(value, dict) else value

    return fill(workbook_words())


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (≤ 31 characters, no []:*?/\\), unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("_", name)[:28] or "项目"
    title, number = base, 2
    while title in taken:
        title, number = f"{base[:26]}({number})", number + 1
    taken.add(title)
    return title


def _row(sheet: Worksheet, row: int, values: list[Any], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if bold:
            cell.font, cell.alignment = BOLD, CENTRE


def _rate(value: float | None) -> str | None:
    return None if value is None else share_text(value)  # a blank cell, not a dash


def project_sheet(
    sheet: Worksheet, session: Session, project: Project, status: ProjectStatus, day: date
) -> int:
    """Fill one project's sheet; returns how many indicators have no actual."""
    words = _words(day.month)
    title = f"{project.year}年{words['title']}"  # a 监控表's title names its year, as on paper
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=13)
    unit = "".join(x for x in (project.unit_code, project.unit) if x) or None  # 911001某单位
    _row(sheet, 2, [words["project"], project.name, None, None, words["department"]])
    sheet.cell(row=2, column=6, value=project.department)
    sheet.cell(row=2, column=9, value=words["unit"]).font = BOLD
    sheet.cell(row=2, column=10, value=unit)
    _row(sheet, 3, [words["code"], project.code])  # read back by `targetbot import`
    _row(sheet, 4, [words["budget_block"], *words["budget_columns"]], bold=True)
    funds = [project.budget, project.fiscal_funds, project.other_funds]
    executed = [status.executed, None, None]
    rates = [_rate(status.execution_rate), None, None]
    forecast = [status.forecast, None, None]
    for offset, label in enumerate(words["budget_rows"]):
        values = [label, funds[offset], executed[offset], rates[offset], forecast[offset]]
        _row(sheet, 5 + offset, values)
    _row(sheet, 9, [words["goal_block"], *words["goal_columns"]], bold=True)
    _row(sheet, 10, [None, project.goal, None])
    return _indicator_block(sheet, session, project, day, words)


def _indicator_block(
    sheet: Worksheet, session: Session, project: Project, day: date, words: dict[str, Any]
) -> int:
    columns, reasons = words["indicator_columns"], words["reason_columns"]
    first = columns[:6]
    _row(sheet, 12, [*first, columns[6], *[None] * (len(reasons) - 1), *columns[7:]], bold=True)
    sheet.merge_cells(start_row=12, start_column=7, end_row=12, end_column=6 + len(reasons))
    _row(sheet, 13, [None] * 6 + reasons, bold=True)
    for column in [*range(1, 7), *range(7 + len(reasons), 9 + len(reasons))]:
        sheet.merge_cells(start_row=12, start_column=column, end_row=13, end_column=column)
    assert project.id is not None
    missing = 0
    for row, item in enumerate(project_indicators(session, project.id), start=14):
        actual = latest_indicator_actual(session, project.code, item.name, day)
        missing += actual is None
        reason_cells: list[str | None] = [None] * len(reasons)
        if actual and actual.reason_category in reasons:
            reason_cells[reasons.index(actual.reason_category)] = actual.reason_text or "√"
        _row(
            sheet,
            row,
            [
                item.level1,
                item.level2,
                item.name,
                item.value,
                actual.value_text if actual else None,
                actual.forecast_text if actual else None,
                *reason_cells,
                actual.likelihood if actual else None,
                actual.as_of.isoformat() if actual else None,
            ],
        )
    for column, width in zip("ABCDEFGHIJKLM", [12, 14, 26, 14, 16, 16] + [10] * 7, strict=True):
        sheet.column_dimensions[column].width = width
    return missing


def monitoring_workbook(session: Session, day: date, rules: StatusRules) -> Workbook:
    """Summary sheet (each project's light and missing data), then one sheet per project."""
    words = _words(day.month)
    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = words["summary_sheet"]
    _row(summary, 1, words["summary_columns"], bold=True)
    projects = all_projects(session)
    taken = {summary.title}
    for row, (project, status) in enumerate(
        zip(projects, all_statuses(session, day, rules, projects), strict=True), start=2
    ):
        sheet = book.create_sheet(sheet_title(project.name, taken))
        missing_count = project_sheet(sheet, session, project, status, day)
        missing = [words["missing_spending"]] if status.executed is None else []
        if missing_count:
            missing.append(words["missing_indicators"].replace("{count}", str(missing_count)))
        light = words["lights"][status.light or "none"]
        _row(
            summary,
            row,
            [
                project.code,
                project.name,
                project.budget,
                status.executed,
                _rate(status.execution_rate),
                _rate(status.time_progress),
                status.gap_points,
                light,
                "、".join(missing) or None,
            ],
        )
    for column, width in zip("ABCDEFGHI", [24, 30, 12, 14, 10, 10, 14, 8, 30], strict=True):
        summary.column_dimensions[column].width = width
    return book


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file's bytes."""
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
