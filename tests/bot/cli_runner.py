"""`targetbot ARGS` run in this process, as a fresh process would run it: about 1.2 s of CPU
cheaper per command than starting the console script.

A fresh process differs from this one in what `bot.cli.main` can see, so each run gets
- the environment without TELEGRAM_*, WECOM_* and DATABASE_URL (a chat channel or a store of
  the machine's), plus `env`; the current folder `cwd` (its `.env`); `stdin` as standard input;
- its own standard output and error (capfd: file descriptors too, as a pipe would get them);
- warnings that a logger emits on stderr, as logging's last resort does in a process that
  configured no logging (under pytest the records would go to pytest's handlers instead);
- the exit status `sys.exit(main(argv))` would give, argparse's SystemExit included.
Everything is undone after each run. An exception escaping main() fails the test: a process
would have printed a traceback.
"""

import io
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.cli import main

FOREIGN = ("TELEGRAM_", "WECOM_", "DATABASE_URL")  # as tests.bot.test_run.clean_env strips


class Ran(NamedTuple):
    """What a user sees of a command: its exit status, standard output and standard error."""

    code: int
    out: str
    err: str


Cli = Callable[..., Ran]  # the `cli` fixture (tests/bot/conftest.py)


def exit_status(code: object) -> int:
    """The status `sys.exit(code)` exits with (a message instead of a number is status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def logger_levels() -> dict[logging.Logger, int]:
    """The level of the root logger and of every logger created so far (one created during a
    run is put back to NOTSET, as it was created)."""
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return {x: x.level for x in loggers if isinstance(x, logging.Logger)}


def run_cli(
    capfd: pytest.CaptureFixture[str],
    *argv: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: str = "",
) -> Ran:
    """Run `targetbot *argv` in this process; its exit status, stdout and stderr."""
    capfd.readouterr()  # what the test printed before is not this command's output
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith(FOREIGN)]:
            patch.delenv(name)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        root = logging.getLogger()
        handlers, levels = list(root.handlers), logger_levels()
        last_resort = logging.StreamHandler(sys.stderr)  # the captured stderr, this run's
        last_resort.setLevel(logging.WARNING)
        root.addHandler(last_resort)
        try:
            try:
                code = exit_status(main(list(argv)))
            except SystemExit as done:
                code = exit_status(done.code)
        finally:  # what main configured (`run` quiets some loggers) is this run's only
            root.handlers[:] = handlers
            for logger, level in logger_levels().items():
                if level != levels.get(logger, logging.NOTSET):
                    logger.setLevel(levels.get(logger, logging.NOTSET))
    out, err = capfd.readouterr()
    return Ran(code, out, err)


def one_line_refusal(done: Ran, code: int = 2) -> str:
    """The single stderr line of a refused command (exit `code`, no traceback)."""
    assert done.code == code, done.err
    assert "Traceback" not in done.err + done.out
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err
    return lines[0]
