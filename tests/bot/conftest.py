"""The fake chat servers the channel tests run against, one per test, on 127.0.0.1."""

from collections.abc import Iterator

import pytest

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
