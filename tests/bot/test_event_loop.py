"""A slow question never holds up another chat: the engine runs off the event loop."""

import asyncio
import threading
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.settings import Settings
from bot.tg.app import build_application, start_polling, stop_updates
from bot.wecom.api import WeComAPI
from bot.wecom.callback import Callback, start_callback
from handlers.reply import Reply
from tests.bot.test_wecom import CRYPTO, incoming, passive_text, post
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message
from tests.fakes.wecom_api import CORP_ID, SECRET, FakeWeCom

SLOW = "慢慢想的问题"


class SlowOnce(Assistant):
    """The real assistant, except that the question SLOW takes until `release` is set, as a
    question over a very large store would."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.release = threading.Event()

    def ask(self, question: str, *args, **kwargs) -> Reply:
        if question == SLOW:
            self.release.wait(timeout=20)
        return super().ask(question, *args, **kwargs)

    def command(self, chat, text: str, *args, **kwargs) -> Reply:
        if text == SLOW:
            self.release.wait(timeout=20)
        return super().command(chat, text, *args, **kwargs)


@pytest.fixture
async def slow_bot(bot_api: FakeBotAPI, sample_engine: Engine) -> AsyncIterator[SlowOnce]:
    settings = Settings(
        _env_file=None, telegram_bot_token=TOKEN, telegram_api_base_url=bot_api.base_url
    )
    assistant = SlowOnce(sample_engine, settings)
    application = build_application(settings, assistant)
    async with application:
        await start_polling(application, timeout=1)
        yield assistant
        assistant.release.set()
        await stop_updates(application)


async def test_start_in_another_chat_is_answered_while_a_slow_question_runs(
    bot_api: FakeBotAPI, slow_bot: SlowOnce
) -> None:
    bot_api.push(message(SLOW, chat_id=1))
    await asyncio.sleep(0.3)
    bot_api.push(message("/start", chat_id=2))
    (started,) = await bot_api.await_for("sendMessage", 1, timeout=10)
    assert started["chat_id"] == "2" and "已导入 3 个项目" in started["text"]
    assert not slow_bot.release.is_set()
    slow_bot.release.set()
    sent = await bot_api.await_for("sendMessage", 2, timeout=10)
    assert sent[1]["chat_id"] == "1"


async def test_a_slow_wecom_answer_leaves_the_passive_reply_empty_and_follows_by_message_send(
    sample_engine: Engine,
) -> None:
    bot_api = FakeWeCom().start()
    assistant = SlowOnce(sample_engine, Settings(_env_file=None))
    try:
        async with aiohttp.ClientSession() as session:
            api = WeComAPI(bot_api.base_url, session, CORP_ID, SECRET, "1000002")
            callback = Callback(CRYPTO, assistant, api, passive_wait=3.0)
            runner = await start_callback(callback, "127.0.0.1", 0)
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/wecom/callback"
            started = time.perf_counter()
            assert await post(url, *incoming(SLOW, msg_id="3003")) == (200, "")
            assert time.perf_counter() - started < 5  # WeCom's limit for a passive reply
            assert passive_text((await post(url, *incoming("逾期率", msg_id="3004")))[1])
            assistant.release.set()
            (sent,) = await asyncio.to_thread(bot_api.wait_for_app_messages, 1)
            assert sent["touser"] == "LiSi" and sent["text"]["content"]
            await runner.cleanup()
    finally:
        assistant.release.set()
        bot_api.stop()
