"""Spreadsheet grids with merged ranges -> row cells, a merged cell once per row."""

from collections.abc import Callable, Iterator
from typing import Any

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (inclusive)


def merged_origins(merges: list[Merge]) -> dict[tuple[int, int], tuple[int, int]]:
    """Map every cell of a merged range to the range's top-left cell."""
    origins = {}
    for top, left, bottom, right in merges:
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                origins[(row, col)] = (top, left)
    return origins


def grid_rows(
    grid: dict[tuple[int, int], Any], merges: list[Merge], text: Callable[[Any], str]
) -> Iterator[tuple[int, tuple[str, ...], frozenset[int]]]:
    """Each non-empty row: its number, cell texts (`text(value)`), and the cells that continue a
    vertical merge from above (their text repeated, as the spreadsheet shows it)."""
    origins = merged_origins(merges)
    used = [col for (_, col), value in grid.items() if value not in (None, "")]
    first_col = min(used, default=0)
    last_row = max((row for row, _ in grid), default=-1)
    last_col = max((col for _, col in grid), default=-1)
    for row in range(min((r for r, _ in grid), default=0), last_row + 1):
        texts: list[str] = []
        continued: set[int] = set()
        last_origin = None
        for col in range(first_col, last_col + 1):
            origin = origins.get((row, col), (row, col))
            if origin == last_origin and origin != (row, col):
                continue
            last_origin = origin
            if origin[0] < row:
                continued.add(len(texts))
            texts.append(text(grid.get(origin)))
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            yield row, tuple(texts), frozenset(i for i in continued if i < len(texts))
