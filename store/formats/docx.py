"""Read .docx files with python-docx: paragraphs and table rows in body order."""

from collections.abc import Iterator
from io import BytesIO

import docx
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from store.errors import DocumentError
from store.formats import Item, join_cell_text


def _row_cells(row: _Row) -> tuple[str, ...]:
    """Cell texts of a row, a horizontally merged cell once (python-docx repeats it)."""
    texts, last = [], None
    for cell in row.cells:
        if cell._tc is last:
            continue
        last = cell._tc
        texts.append(join_cell_text(cell.text))
    return tuple(texts)


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
                yield Item(_row_cells(row), f"table {table_no}, row {row_no}")
