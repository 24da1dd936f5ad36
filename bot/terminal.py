"""Terminal output with rich: tables that line up Chinese text, a progress bar on terminals."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

UNBOUNDED = 10_000  # piped output: never wrap or cut a row to fit 80 columns
LONG_TABLE = 1000  # rows past which plain padding replaces rich's layout (seconds per 10,000)


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else UNBOUNDED
    return Console(file=stream, width=width, highlight=False, emoji=False, markup=False)


def print_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    """Columns sized to their widest cell (a Chinese character takes two); `numeric` columns
    aligned right."""
    if len(rows) > LONG_TABLE:
        print(_plain_table(header, rows, numeric))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for index, title in enumerate(header):
        table.add_column(title, justify="right" if index in numeric else "left")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def _plain_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    """The same columns as print_table's, padded by hand: a store's thousands of projects."""
    widths = [max(cell_len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = []
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            room = " " * (width - cell_len(cell))
            padded.append(room + cell if index in numeric else cell + room)
        return "  ".join(padded).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[tuple[Callable[[], None], Console]]:
    """A bar on stderr when stderr is a terminal and there is more than one step; elsewhere
    nothing (piped, a bar would be thousands of redraw lines). Yields `advance` and the stderr
    console to print messages through (above the bar)."""
    console = _console(stderr=True)
    shown = console.is_terminal and total > 1
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not shown,
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield (lambda: bar.advance(task)), console
