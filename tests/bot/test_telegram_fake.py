"""The fake Bot API is as strict as Telegram: what Telegram refuses gets 400 and its JSON error."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.fakes.telegram_api import TOKEN, FakeBotAPI

TOO_MANY = [[{"text": str(n), "callback_data": str(n)}] for n in range(101)]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI().start()
    yield server
    server.stop()


def call(fake: FakeBotAPI, method: str, params: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{fake.base_url}{TOKEN}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("sendMessage", {"text": "<b>piece one", "parse_mode": "HTML"}),
        ("sendMessage", {"text": "piece two</b>", "parse_mode": "HTML"}),
        ("sendMessage", {"text": "<b><i>x</b></i>", "parse_mode": "HTML"}),
        ("sendMessage", {"text": "<div>x</div>", "parse_mode": "HTML"}),
        ("sendMessage", {"text": "a &am", "parse_mode": "HTML"}),
        ("sendMessage", {"text": "a <", "parse_mode": "HTML"}),
        ("editMessageText", {"message_id": 1, "text": "x" * 4097}),
        ("sendMessage", {"text": "x", "reply_markup": {"inline_keyboard": TOO_MANY}}),
        (
            "sendMessage",
            {
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "p", "callback_data": "p" * 65}]]},
            },
        ),
        ("answerInlineQuery", {"inline_query_id": "1", "results": [{"id": "1"}] * 51}),
    ],
)
def test_what_telegram_refuses_gets_400(fake: FakeBotAPI, method: str, params: dict) -> None:
    status, body = call(fake, method, {"chat_id": 42, **params})
    assert status == 400 and body["ok"] is False and body["error_code"] == 400
    assert body["description"].startswith("Bad Request: ")


@pytest.mark.parametrize(
    "text", ["<b>a &amp; b</b> &lt;i&gt; &#36;", "x" * 4096, '<a href="https://t.me">t</a>']
)
def test_valid_html_is_accepted(fake: FakeBotAPI, text: str) -> None:
    status, body = call(fake, "sendMessage", {"chat_id": 42, "text": text, "parse_mode": "HTML"})
    assert status == 200 and body["ok"] is True
