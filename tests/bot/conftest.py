"""The fake chat servers the channel tests run against (one per test, on 127.0.0.1), a
SQLite store with the sample imported through the command line, and the command line run in
this process."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.bot.cli_runner import Cli, Ran, run_cli
from tests.conftest import SAMPLE
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.wecom_api import FakeWeCom


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    """The fake Telegram Bot API; at the end, no request Telegram would have refused."""
    server = FakeBotAPI().start()
    yield server
    server.stop()
    assert server.rejected == []  # Telegram would have refused these requests


@pytest.fixture
def wecom_api() -> Iterator[FakeWeCom]:
    """The fake WeCom server (robot webhook, app API)."""
    server = FakeWeCom().start()
    yield server
    server.stop()


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The URL of a SQLite store with the sample imported by `targetbot import`."""
    url = f"sqlite:///{tmp_path / 'sample-cli.db'}"
    assert main(["import", "--db", url, str(SAMPLE)]) == 0
    capsys.readouterr()
    return url


@pytest.fixture
def cli(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> Cli:
    """`cli(*argv, cwd=tmp_path, env=None, stdin="")`: targetbot run in this process as a
    fresh one would run it (tests/bot/cli_runner.py); (code, out, err)."""

    def run(
        *argv: str, cwd: Path = tmp_path, env: dict[str, str] | None = None, stdin: str = ""
    ) -> Ran:
        return run_cli(capfd, *argv, cwd=cwd, env=env, stdin=stdin)

    return run
