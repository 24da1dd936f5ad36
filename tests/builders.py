"""Build .docx and .xlsx target documents from export-shaped data as Word and Excel lay them out."""

from io import BytesIO
from itertools import groupby
from typing import Any

import docx
import openpyxl

Project = dict[str, Any]


def amount_text(amount: float | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def project_rows(project: Project) -> list[list[str]]:
    """The project-information rows of a target table (label, value, ...)."""
    plan = project["plan"]
    return [
        ["项目编码", project["code"], "项目名称", project["name"]],
        [
            "预算规模及资金用途",
            "预算数",
            amount_text(project["budget"]),
            "其中：财政资金",
            amount_text(project["fiscal_funds"]),
            "其他资金",
            amount_text(project["other_funds"]),
        ],
        ["预算规模及资金用途", project["purpose"]],
        ["资金支出计划（%）", *[p["checkpoint"] for p in plan]],
        ["资金支出计划（%）", *[amount_text(p["amount"]) for p in plan]],
        ["绩效目标", project["goal"]],
    ]


INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def indicator_rows(project: Project) -> list[list[str]]:
    return [
        [i["level1"], i["level2"], i["name"], i["description"], i["value"], i["basis"]]
        for i in project["indicators"]
    ]


def build_docx(data: dict[str, Any]) -> bytes:
    """A Word document: title paragraphs, then per project a heading and two tables."""
    document = docx.Document()
    document.add_paragraph(data["document"]["department"])
    document.add_paragraph(data["document"]["title"])
    for number, project in enumerate(data["projects"], start=1):
        document.add_paragraph(f"{number}.{project['name']}绩效目标表")
        _docx_project_table(document, project)
        document.add_paragraph(" ")
        _docx_indicator_table(document, project)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_project_table(document, project: Project) -> None:
    rows = project_rows(project)
    table = document.add_table(rows=len(rows) + 1, cols=7)
    table.cell(0, 0).merge(table.cell(0, 5)).text = f"{project['unit_code']}{project['unit']}"
    table.cell(0, 6).text = "单位：万元"
    for r, row in enumerate(rows, start=1):
        cells = table.rows[r].cells  # a row's cells: table.cell() walks the whole table
        for c, text in enumerate(row):
            cells[c].text = text
        if len(row) == 4:
            table.cell(r, 3).merge(table.cell(r, 6)).text = row[3]
        elif len(row) == 2:
            table.cell(r, 1).merge(table.cell(r, 6)).text = row[1]
        elif len(row) == 5:
            table.cell(r, 4).merge(table.cell(r, 6)).text = row[4]
    for top in (2, 4):  # labels spanning two rows: budget/purpose and the plan
        table.cell(top, 0).merge(table.cell(top + 1, 0)).text = rows[top - 1][0]


def _docx_indicator_table(document, project: Project) -> None:
    rows = indicator_rows(project)
    table = document.add_table(rows=len(rows) + 1, cols=6)
    for r, row in enumerate([INDICATOR_HEADER, *rows]):
        cells = table.rows[r].cells  # a row's cells: table.cell() walks the whole table
        for c, text in enumerate(row):
            cells[c].text = text or ""
    _merge_runs(table, rows, column=0)
    _merge_runs(table, rows, column=1)


def _merge_runs(table, rows: list[list[str]], column: int) -> None:
    """Merge vertically the cells of consecutive rows with the same text, as Word tables do."""
    start = 1
    for _, run in groupby(rows, key=lambda row: tuple(row[: column + 1])):
        length = len(list(run))
        if length > 1:
            text = rows[start - 1][column]
            table.cell(start, column).merge(table.cell(start + length - 1, column)).text = text
        start += length


def build_xlsx(data: dict[str, Any], one_sheet: bool = False, headings: bool = True) -> bytes:
    """An Excel workbook: a sheet per project, or every project down one sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    row = 1
    for number, project in enumerate(data["projects"], start=1):
        if number > 1 and not one_sheet:
            sheet, row = workbook.create_sheet(), 1
        sheet.title = sheet.title if one_sheet else f"项目{number}"
        if number == 1 or not one_sheet:
            row = _xlsx_write(sheet, row, [data["document"]["department"]], merge_to=7)
            row = _xlsx_write(sheet, row, [data["document"]["title"]], merge_to=7)
        if headings:
            row = _xlsx_write(sheet, row, [f"{number}.{project['name']}绩效目标表"], merge_to=7)
        row = _xlsx_project(sheet, row, project)
        row = _xlsx_write(sheet, row, INDICATOR_HEADER)
        row = _xlsx_indicators(sheet, row, project)
        row += 1
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_write(sheet, row: int, cells: list, merge_to: int | None = None) -> int:
    for col, text in enumerate(cells, start=1):
        sheet.cell(row=row, column=col, value=_number_or_text(text))
    if merge_to and len(cells) < merge_to:
        sheet.merge_cells(start_row=row, start_column=len(cells), end_row=row, end_column=merge_to)
    return row + 1


def _number_or_text(text: Any) -> Any:
    try:
        return float(text) if isinstance(text, str) and text and text[0].isdigit() else text
    except ValueError:
        return text


def _xlsx_project(sheet, row: int, project: Project) -> int:
    row = _xlsx_write(
        sheet, row, [f"{project['unit_code']}{project['unit']}", "", "", "", "", "", "单位：万元"]
    )
    sheet.merge_cells(start_row=row - 1, start_column=1, end_row=row - 1, end_column=6)
    first = row
    for cells in project_rows(project):
        cells = [amount_text(None) if c is None else c for c in cells]
        merge = 7 if len(cells) in (2, 4) else None
        row = _xlsx_write(sheet, row, cells, merge_to=merge)
    for top in (first + 1, first + 3):
        sheet.cell(row=top + 1, column=1, value=None)
        sheet.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
    return row


def _xlsx_indicators(sheet, row: int, project: Project) -> int:
    rows = indicator_rows(project)
    start = row
    for cells in rows:
        row = _xlsx_write(sheet, row, cells)
    for column in (0, 1):
        top = start
        for _, run in groupby(rows, key=lambda r, c=column: tuple(r[: c + 1])):
            length = len(list(run))
            if length > 1:
                for r in range(top + 1, top + length):
                    sheet.cell(row=r, column=column + 1, value=None)
                sheet.merge_cells(
                    start_row=top,
                    start_column=column + 1,
                    end_row=top + length - 1,
                    end_column=column + 1,
                )
            top += length
    return row
