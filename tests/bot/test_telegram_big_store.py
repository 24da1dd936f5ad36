"""Telegram's limits on a generated store of 210 projects: the whole scenario, no request the
strict fake Bot API refuses (it answers 400 to what Telegram refuses)."""

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.settings import Settings
from bot.tg.app import build_application, start_polling, stop_updates
from tests.bigstore import LONG_CODE, big_store
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, callback, inline, message


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[FakeBotAPI]:
    fake = FakeBotAPI().start()
    values: dict[str, Any] = {
        "_env_file": None,
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": fake.base_url,
        "retry_base_wait": 0.01,
    }
    settings = Settings(**values)
    application = build_application(settings, Assistant(big_store(tmp_path), settings))
    async with application:
        await start_polling(application, timeout=1)
        yield fake
        await stop_updates(application)
    fake.stop()


def attempts_until(fake: FakeBotAPI, before: int, done, timeout: float = 30.0) -> list[dict]:
    """The sendMessage attempts after the first `before`, once one of them is `done`."""
    deadline = time.monotonic() + timeout
    while True:
        found = fake.recorded("sendMessage#attempts")[before:]
        if any(done(sent) for sent in found):
            return found
        assert time.monotonic() < deadline, f"{len(found)} attempts, none done"
        time.sleep(0.005)


async def answer_to(fake: FakeBotAPI, update: dict, buttons: bool = True) -> list[dict]:
    """The messages sent for an update, up to the last piece (the one with buttons)."""
    before = len(fake.recorded("sendMessage#attempts"))
    fake.push(update)

    def done(sent: dict) -> bool:
        answered = "_result" in sent or "_rejected" in sent
        return answered and ("reply_markup" in sent or not buttons)

    return await asyncio.to_thread(attempts_until, fake, before, done)


def buttons_of(sent: dict) -> list[dict]:
    return [button for row in sent["reply_markup"]["inline_keyboard"] for button in row]


async def test_the_whole_scenario_on_210_projects_sends_nothing_telegram_refuses(
    running: FakeBotAPI,
) -> None:
    fake = running
    (start,) = await answer_to(fake, message("/start"))
    # the third example, 满意度指标有哪些, is answered from every project: with buttons
    for example, buttons in zip(buttons_of(start), (False, False, True), strict=True):
        await answer_to(fake, callback(example["callback_data"], start["_result"]), buttons)
    *_, listing = await answer_to(fake, message("/projects"))
    shown = buttons_of(listing)
    assert len(shown) == 33 and [b["text"] for b in shown[-3:]] == ["‹", "1/7", "›"]
    fake.push(callback(shown[-1]["callback_data"], listing["_result"]))
    (turned,) = await fake.await_for("editMessageReplyMarkup")
    page_two = buttons_of(turned)
    assert page_two[0]["text"].endswith("（031）") and page_two[-2]["text"] == "2/7"
    (overview,) = await answer_to(
        fake, callback(shown[0]["callback_data"], listing["_result"]), False
    )
    assert LONG_CODE in overview["text"]
    pieces = await answer_to(fake, message("有哪些指标"))
    assert len(pieces) > 5 and pieces[0]["text"].startswith("<b>")
    narrowing = buttons_of(pieces[-1])[0]["callback_data"]
    fake.push(callback(narrowing, pieces[-1]["_result"]))
    (edited,) = await fake.await_for("editMessageText")
    assert "道路养护完成数量" in edited["text"] and "公交补贴" not in edited["text"]
    await answer_to(fake, message("满意度"))
    await answer_to(fake, message("/plan"))
    fake.push(inline("满意度"))
    (everything,) = await fake.await_for("answerInlineQuery")
    assert len(everything["results"]) == 50
    fake.push(inline("道路完成率"))  # only suggestions: offered, marked as such
    suggested = (await fake.await_for("answerInlineQuery", 2))[1]["results"]
    assert len(suggested) == 3 and suggested[0]["title"].startswith("建议：道路养护完成数量")
    assert fake.rejected == []
    keyboards = [s for s in fake.recorded("sendMessage") if "reply_markup" in s]
    data = [b["callback_data"] for s in keyboards for b in buttons_of(s)]
    assert max(len(d.encode()) for d in data) <= 64
