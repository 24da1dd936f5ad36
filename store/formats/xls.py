"""Read legacy .xls workbooks with xlrd: every sheet's rows, merged cells resolved."""

from collections.abc import Iterator
from typing import Any

import xlrd

from store.errors import DocumentError
from store.formats import Item, join_cell_text
from store.formats.grid import grid_rows


def _cell_value(book: Any, cell: Any) -> object:
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate_as_datetime(cell.value, book.datemode)
        return f"{moment.year}年{moment.month}月{moment.day}日"
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return str(int(cell.value))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _text(value: object) -> str:
    return "" if value is None else join_cell_text(str(value))


def read_xls(data: bytes, source: str) -> Iterator[Item]:
    """Yield every sheet's rows; a row with a single text is a paragraph (a title)."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as error:  # xlrd raises many kinds for a broken file
        reason = f"not an Excel .xls workbook ({type(error).__name__})"
        raise DocumentError(source, None, reason) from None
    for sheet in book.sheets():
        grid = {
            (row, col): _cell_value(book, sheet.cell(row, col))
            for row in range(sheet.nrows)
            for col in range(sheet.ncols)
        }
        merges = [
            (top, left, bottom - 1, right - 1) for top, bottom, left, right in sheet.merged_cells
        ]
        for row_no, cells, continued in grid_rows(grid, merges, _text):
            where = f"sheet '{sheet.name}', row {row_no + 1}"
            yield Item(cells, where, paragraph=len(cells) == 1, continued=continued)
