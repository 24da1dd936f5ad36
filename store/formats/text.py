"""Read the text export of Word tables: a cell per tab-led line, rows end at a blank line."""

import re
from collections.abc import Iterator

from store.errors import DocumentError
from store.formats import Item, join_lines
from store.vocab import squash, vocab

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def decode(data: bytes, source: str) -> str:
    """Decode a text document (UTF-8 or GB18030); refuse binary data."""
    if b"\x00" in data[:8192]:
        raise DocumentError(source, None, "not a text document (binary data)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(source, None, "not a text document (neither UTF-8 nor GB18030)")


def _is_heading(line: str, had_bookmark: bool) -> bool:
    flat = squash(line)
    return had_bookmark or flat.endswith(tuple(vocab()["heading_endings"]))


class _RowBuilder:
    """Accumulates cells into rows and counts tables and rows for error messages."""

    def __init__(self) -> None:
        self.cells: list[str] = []
        self.start_line = 0
        self.table = 0
        self.row = 0
        self.in_table = False

    def add_cell(self, text: str, line_no: int) -> None:
        if not self.in_table:
            self.table, self.row, self.in_table = self.table + 1, 0, True
        if not self.cells:
            self.start_line = line_no
        self.cells.append(text)

    def continue_cell(self, text: str) -> None:
        self.cells[-1] = join_lines(self.cells[-1], text)

    def end_row(self) -> Item | None:
        if not self.cells:
            return None
        self.row += 1
        where = f"table {self.table}, row {self.row} (line {self.start_line})"
        item, self.cells = Item(tuple(c.strip() for c in self.cells), where), []
        return item


def read_text(data: bytes, source: str) -> Iterator[Item]:
    """Yield the paragraphs and table rows of a text export, in order."""
    rows = _RowBuilder()
    for line_no, raw in enumerate(decode(data, source).splitlines(), start=1):
        line = _BOOKMARK.sub("", raw)
        if line.startswith("\t"):
            rows.add_cell(line[1:], line_no)
            continue
        if rows.cells and line.strip() and not _is_heading(line, line != raw):
            rows.continue_cell(line)
            continue
        if item := rows.end_row():
            yield item
        if line.strip() or (line and not line.strip()):
            rows.in_table = False
        if line.strip():
            yield Item((line.strip(),), f"line {line_no}", paragraph=True)
    if item := rows.end_row():
        yield item
