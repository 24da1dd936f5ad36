"""Read PDFs with a text layer with pdfplumber: tables by their ruling lines, text around them."""

import re
from collections.abc import Iterator
from io import BytesIO

import pdfplumber
from pdfplumber.page import Page
from pdfplumber.table import Table

from store.errors import DocumentError
from store.formats import Item

_CID_GLYPH = re.compile(r"\(cid:\d+\)")
NO_TEXT = (
    "a scanned PDF without a text layer cannot be read: "
    "please send the .docx or .xlsx, or a PDF with selectable text"
)


def join_wrapped(text: str) -> str:
    """Join the lines of a wrapped PDF cell: a line breaks anywhere in Chinese text and codes,
    so only two English words get a space between them."""
    joined = ""
    for line in text.splitlines():
        line = line.strip()
        wordy = joined[-1:].isascii() and joined[-1:].isalpha() and line[:1].isalpha()
        joined += f" {line}" if wordy and line[:1].isascii() else line
    return joined


def _column_starts(table: Table) -> list[float]:
    """The left edge of each column, from the cells that are not covered by a merge."""
    width = max(len(row.cells) for row in table.rows)
    starts = [float("inf")] * width
    for row in table.rows:
        for col, bbox in enumerate(row.cells):
            if bbox is not None:
                starts[col] = min(starts[col], bbox[0])
    return starts


def _table_rows(table: Table) -> Iterator[tuple[tuple[str, ...], frozenset[int]]]:
    """Rows of cell texts: a cell merged across columns once, a cell merged down empty (its
    text is in the row above), as in the Word text export."""
    starts = _column_starts(table)
    for row, texts in zip(table.rows, table.extract(), strict=True):
        cells: list[str] = []
        continued: set[int] = set()
        last_right = None
        for col, (bbox, text) in enumerate(zip(row.cells, texts, strict=True)):
            if bbox is None and last_right is not None and last_right > starts[col] + 1:
                continue  # covered by the cell to the left
            if bbox is None:
                continued.add(len(cells))
            else:
                last_right = bbox[2]
            cells.append(join_wrapped(text or ""))
        yield tuple(cells), frozenset(continued)


def _page_items(page: Page, page_no: int) -> Iterator[tuple[float, Item]]:
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    for line in outside.extract_text_lines():
        text = line["text"].strip()
        if text:
            yield line["top"], Item((text,), f"page {page_no}, '{text[:20]}'", paragraph=True)
    for table_no, table in enumerate(tables, start=1):
        top = table.bbox[1]
        for row_no, (cells, continued) in enumerate(_table_rows(table), start=1):
            where = f"page {page_no}, table {table_no}, row {row_no}"
            yield top + row_no * 1e-3, Item(cells, where, continued=continued)


def read_pdf(data: bytes, source: str) -> Iterator[Item]:
    """Yield the text lines and table rows of every page in reading order."""
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as error:  # pdfminer raises many kinds for a broken file
        raise DocumentError(source, None, f"not a PDF ({type(error).__name__})") from None
    with pdf:
        items: list[Item] = []
        text_chars = 0
        for page_no, page in enumerate(pdf.pages, start=1):
            page_items = sorted(_page_items(page, page_no), key=lambda pair: pair[0])
            items += [item for _, item in page_items]
            text_chars += len("".join(page.extract_text() or "").split())
    joined = "".join("".join(item.cells) for item in items)
    unmapped = sum(len(glyph) for glyph in _CID_GLYPH.findall(joined))
    if not text_chars or unmapped * 2 > len(joined):  # mostly glyphs without a character
        raise DocumentError(source, None, NO_TEXT)
    yield from items
