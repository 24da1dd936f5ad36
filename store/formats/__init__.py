"""Readers turn a file into Items (paragraphs and table rows) for the parsing core."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """A paragraph (one cell, `paragraph=True`) or a table row, with its place in the file.

    `continued` holds the indexes of cells merged down from the row above: the reader repeats
    their text (as Word and Excel show it), and the core knows it is the same cell."""

    cells: tuple[str, ...]
    where: str
    paragraph: bool = False
    continued: frozenset[int] = frozenset()  # cells that continue a vertical merge from above


def join_lines(first: str, second: str) -> str:
    """Join a text continued on a new line: no space between Chinese, one between words."""
    first, second = first.rstrip(), second.strip()
    if not first or not second:
        return first + second
    wordy = first[-1].isascii() and first[-1].isalnum() and second[0].isascii()
    return f"{first} {second}" if wordy and second[0].isalnum() else first + second


def join_cell_text(text: str) -> str:
    """Collapse the lines of a multi-paragraph cell into one text."""
    joined = ""
    for line in text.splitlines():
        joined = join_lines(joined, line)
    return joined.strip()
