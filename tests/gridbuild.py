"""Write tables as grids into .docx and .xlsx files, with real merged cells.

A grid is a list of rows of equal width; a merge is (top, left, bottom, right), 0-based and
inclusive, and keeps the text of its top-left cell, as Word and Excel do."""

from io import BytesIO

import docx
import openpyxl

Grid = list[list[object]]
Merge = tuple[int, int, int, int]


def docx_bytes(blocks: list[str | tuple[Grid, list[Merge]]]) -> bytes:
    """A Word document of paragraphs (str) and tables ((grid, merges)), in order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        grid, merges = block
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        for r, row in enumerate(grid):
            cells = table.rows[r].cells  # a row's cells: table.cell() walks the whole table
            for c, value in enumerate(row):
                if value not in (None, ""):
                    cells[c].text = str(value)
        for top, left, bottom, right in merges:
            text = str(grid[top][left] or "")
            table.cell(top, left).merge(table.cell(bottom, right)).text = text
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(sheets: list[tuple[str, Grid, list[Merge]]]) -> bytes:
    """An Excel workbook: per sheet a title, a grid (numbers stay numbers) and merged ranges."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, grid, merges in sheets:
        sheet = workbook.create_sheet(title)
        for row in grid:
            sheet.append([None if value == "" else value for value in row])
        for top, left, bottom, right in merges:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    if (r, c) != (top, left):
                        sheet.cell(row=r + 1, column=c + 1, value=None)
            sheet.merge_cells(
                start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1
            )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def down(column: int, top: int, bottom: int) -> Merge:
    """A vertical merge of one column."""
    return (top, column, bottom, column)


def across(row: int, left: int, right: int) -> Merge:
    """A horizontal merge within one row."""
    return (row, left, row, right)
