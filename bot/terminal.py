"""Terminal output with rich: tables that line up Chinese text, a progress bar on terminals."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

UNBOUNDED = 10_000  # piped output: never wrap or cut a row to fit 80 columns


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else UNBOUNDED
    return Console(file=stream, width=width, highlight=False, emoji=False, markup=False)


def print_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    """Columns sized to their widest cell (a Chinese character takes two); `numeric` columns
    aligned right."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for index, title in enumerate(header):
        table.add_column(title, justify="right" if index in numeric else "left")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


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
