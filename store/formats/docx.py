"""Read .docx files with python-docx: paragraphs and table rows in body order."""

from collections.abc import Iterator
from io import BytesIO

import docx
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from store.errors import DocumentError
from store.formats import Item, join_cell_text


def _continued_columns(row: _Row) -> set[int]:
    """Grid columns of a row whose cell continues a vertical merge (`w:vMerge` without val)."""
    columns: set[int] = set()
    column = 0
    for tc in row._tr.tc_lst:
        if tc.vMerge == "continue":
            columns.update(range(column, column + tc.grid_span))
        column += tc.grid_span
    return columns


def _row_cells(row: _Row) -> tuple[tuple[str, ...], frozenset[int]]:
    """Cell texts of a row, a horizontally merged cell once (python-docx repeats it), and the
    indexes of the cells that continue a vertical merge."""
    texts: list[str] = []
    continued: set[int] = set()
    last = None
    grid_continued = _continued_columns(row)
    for column, cell in enumerate(row.cells):
        if cell._tc is last:
            continue
        last = cell._tc
        if column in grid_continued:
            continued.add(len(texts))
        texts.append(join_cell_text(cell.text))
    return tuple(texts), frozenset(continued)


def read_docx(data: bytes, source: str) -> Iterator[Item]:
    """Yield the paragraphs and table rows of a Word document."""
    try:
        document = docx.Document(BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise DocumentError(source, None, f"not a Word document ({type(error).__name__})") from None
    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                yield Item((block.text.strip(),), f"paragraph '{block.text.strip()[:20]}'", True)
        elif isinstance(block, Table):
            table_no += 1
            for row_no, row in enumerate(block.rows, start=1):
                cells, continued = _row_cells(row)
                yield Item(cells, f"table {table_no}, row {row_no}", continued=continued)
