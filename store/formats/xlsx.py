"""Read .xlsx workbooks with openpyxl: every sheet's rows, merged cells resolved."""

import datetime as dt
from collections.abc import Iterator
from io import BytesIO

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from store.errors import DocumentError
from store.formats import Item, join_cell_text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return join_cell_text(str(value))


def _merged_origins(sheet: Worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Map every cell of a merged range to the range's top-left cell."""
    origins = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                origins[(row, col)] = (merged.min_row, merged.min_col)
    return origins


def _sheet_rows(sheet: Worksheet) -> Iterator[tuple[int, tuple[str, ...]]]:
    origins = _merged_origins(sheet)
    grid = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    used = [col for (_, col), value in grid.items() if col and value not in (None, "")]
    first_col = min(used, default=1)
    for row in range(1, sheet.max_row + 1):
        texts, last_origin = [], None
        for col in range(first_col, sheet.max_column + 1):
            origin = origins.get((row, col), (row, col))
            if origin == last_origin and origin != (row, col):
                continue
            last_origin = origin
            texts.append(_text(grid.get(origin)))
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            yield row, tuple(texts)


def read_xlsx(data: bytes, source: str) -> Iterator[Item]:
    """Yield every sheet's rows; a row with a single text is a paragraph (a title)."""
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise DocumentError(
            source, None, f"not an Excel workbook ({type(error).__name__})"
        ) from None
    for sheet in workbook.worksheets:
        for row_no, cells in _sheet_rows(sheet):
            where = f"sheet '{sheet.title}', row {row_no}"
            yield Item(cells, where, paragraph=len(cells) == 1)
