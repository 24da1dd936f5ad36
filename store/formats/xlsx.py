"""Read .xlsx workbooks with openpyxl: every sheet's rows, merged cells resolved."""

import datetime as dt
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from store.errors import DocumentError
from store.formats import Item, join_cell_text
from store.formats.grid import grid_rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return join_cell_text(str(value))


def _sheet_rows(sheet: Worksheet) -> Iterator[tuple[int, tuple[str, ...], frozenset[int]]]:
    grid: dict[tuple[int, int], Any] = {
        (c.row, c.column): c.value
        for row in sheet.iter_rows()
        for c in row
        if c.row is not None and c.column is not None
    }
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    return grid_rows(grid, merges, _text)


def read_xlsx(data: bytes, source: str) -> Iterator[Item]:
    """Yield every sheet's rows; a row with a single text is a paragraph (a title)."""
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise DocumentError(
            source, None, f"not an Excel workbook ({type(error).__name__})"
        ) from None
    for sheet in workbook.worksheets:
        for row_no, cells, continued in _sheet_rows(sheet):
            where = f"sheet '{sheet.title}', row {row_no}"
            yield Item(cells, where, paragraph=len(cells) == 1, continued=continued)
