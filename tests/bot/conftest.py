"""The fake chat servers the channel tests run against (one per test, on 127.0.0.1), and a
SQLite store with the sample imported through the command line."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
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
