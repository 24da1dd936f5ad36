"""The real python-telegram-bot stack against a fake Bot API server on 127.0.0.1."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.settings import Settings
from bot.tg.app import build_application, start_polling, stop_updates
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, callback, inline, mention, message

LOANS, IT = "37020022P88002810055U", "37020022P13000410008Q"


RETRY_BASE_WAIT = 0.01  # the backoff's shape is the same, its waits too short to wait for


def settings_for(bot_api: FakeBotAPI, **extra) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=bot_api.base_url,
        retry_base_wait=RETRY_BASE_WAIT,
        telegram_group_messages_per_minute=1200,  # the fake takes more than Telegram
        **extra,
    )


@pytest.fixture
async def running(bot_api: FakeBotAPI, sample_engine: Engine) -> AsyncIterator[FakeBotAPI]:
    settings = settings_for(bot_api)
    application = build_application(settings, Assistant(sample_engine, settings))
    async with application:
        await start_polling(application, timeout=1)
        yield bot_api
        await stop_updates(application)


async def sent_after(bot_api: FakeBotAPI, update: dict, count: int = 1) -> list[dict]:
    already = len(bot_api.recorded("sendMessage"))
    bot_api.push(update)
    return (await bot_api.await_for("sendMessage", already + count))[already:]


async def test_commands_are_registered_in_chinese_and_english(running: FakeBotAPI) -> None:
    calls = await running.await_for("setMyCommands", 2)
    names = [c["command"] for c in calls[0]["commands"]]
    assert names[:6] == ["start", "help", "projects", "plan", "next", "ask"]
    assert {"subscribe", "unsubscribe", "reminders"} <= set(names)
    assert calls[0]["commands"][2]["description"] == "项目列表"
    assert (
        calls[1]["language_code"] == "en"
        and calls[1]["commands"][2]["description"] == "List the projects"
    )


async def test_start_shows_what_the_bot_knows_and_example_buttons(running: FakeBotAPI) -> None:
    (sent,) = await sent_after(running, message("/start"))
    assert "已导入 3 个项目" in sent["text"]
    buttons = sent["reply_markup"]["inline_keyboard"]
    assert len(buttons) == 3 and buttons[0][0]["callback_data"] == "x:0"
    already = len(running.recorded("sendMessage"))
    running.push(callback("x:2", sent["_result"]))
    tapped = (await running.await_for("sendMessage", already + 1))[-1]
    assert "满意度" in tapped["text"]
    assert await running.await_for("answerCallbackQuery")


async def test_a_question_in_private_gets_the_answer_in_html(running: FakeBotAPI) -> None:
    (sent,) = await sent_after(running, message("贷款笔数目标是多少"))
    assert sent["text"].startswith("发放贷款笔数：≥20000笔") and sent["parse_mode"] == "HTML"
    assert sent["chat_id"] == "42"


async def test_an_ambiguous_answer_offers_project_buttons_and_a_tap_narrows_it(
    running: FakeBotAPI,
) -> None:
    question = message("项目总成本")
    (sent,) = await sent_after(running, question)
    buttons = [row[0] for row in sent["reply_markup"]["inline_keyboard"]]
    assert [b["text"] for b in buttons] == [
        "住房公积金业务运行专项业务经费",
        "市住房公积金管理中心政务信息化项目",
    ]
    assert all(b["callback_data"].startswith("p:") for b in buttons)
    assert "≤1221.1万元" in sent["text"] and "≤1310.83万元" in sent["text"]
    running.push(callback(buttons[1]["callback_data"], sent["_result"], question["message"]))
    (edited,) = await running.await_for("editMessageText")
    assert "≤1310.83万元" in edited["text"] and "≤1221.1万元" not in edited["text"]
    assert await running.await_for("answerCallbackQuery")


async def test_projects_buttons_show_an_overview(running: FakeBotAPI) -> None:
    (sent,) = await sent_after(running, message("/projects"))
    assert len(sent["reply_markup"]["inline_keyboard"]) == 3
    already = len(running.recorded("sendMessage"))
    running.push(callback(f"o:{IT}", sent["_result"]))
    overview = (await running.await_for("sendMessage", already + 1))[-1]
    assert (
        "市住房公积金管理中心政务信息化项目" in overview["text"]
        and "系统正常运行率" in overview["text"]
    )


async def test_inline_query_returns_articles_that_post_the_answer(running: FakeBotAPI) -> None:
    running.push(inline("逾期率"))
    (answered,) = await running.await_for("answerInlineQuery")
    article = answered["results"][0]
    assert article["type"] == "article" and "≤0.04%" in article["title"]
    assert "≤0.04%" in article["input_message_content"]["message_text"]


async def test_group_messages_need_a_mention(running: FakeBotAPI) -> None:
    running.push(message("贷款笔数", chat_id=-100, chat_type="supergroup"))
    (sent,) = await sent_after(running, mention("贷款笔数"))
    assert "≥20000笔" in sent["text"] and sent["chat_id"] == "-100"
    # Updates are handled one at a time, in order: the unaddressed message was handled before
    # the mention was answered, and got no reply.
    assert len(running.recorded("sendMessage")) == 1


async def test_ask_command_works_in_groups(running: FakeBotAPI) -> None:
    update = message("/ask@targetbot_test 逾期率", chat_id=-100, chat_type="supergroup")
    (sent,) = await sent_after(running, update)
    assert "≤0.04%" in sent["text"]


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        (message("<b>x</b><script>alert(1)</script>"), "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;"),
        (message("长" * 10_000), "问题太长了"),
        (message("😀😀😀"), "请用文字提问"),
        (
            message(
                None,
                sticker={
                    "file_id": "s",
                    "file_unique_id": "u",
                    "type": "regular",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                },
            ),
            "只看得懂文字",
        ),
        (
            message(None, photo=[{"file_id": "p", "file_unique_id": "q", "width": 1, "height": 1}]),
            "只看得懂文字",
        ),
    ],
)
async def test_hostile_messages_get_a_polite_reply_and_no_error(
    running: FakeBotAPI, caplog: pytest.LogCaptureFixture, update: dict, expected: str
) -> None:
    with caplog.at_level(logging.WARNING):
        (sent,) = await sent_after(running, update)
    assert expected in sent["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_429_with_retry_after_and_500_are_survived(running: FakeBotAPI) -> None:
    running.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    running.fail_next("sendMessage", 500, "Internal Server Error")
    (sent,) = await sent_after(running, message("逾期率"))
    assert "≤0.04%" in sent["text"]
    assert len(running.recorded("sendMessage#attempts")) == 3


async def test_only_allowed_chats_are_served_others_refused_once(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    settings = settings_for(bot_api, allowed_chat_ids=[7])
    application = build_application(settings, Assistant(sample_engine, settings))
    async with application:
        await start_polling(application, timeout=1)
        (refusal,) = await sent_after(bot_api, message("逾期率", chat_id=99))
        assert "只为指定" in refusal["text"]
        (served,) = await sent_after(bot_api, message("逾期率", chat_id=7))
        assert "≤0.04%" in served["text"] and served["chat_id"] == "7"
        bot_api.push(message("再问一次", chat_id=99))
        (later,) = await sent_after(bot_api, message("贷款笔数", chat_id=7))
        # handled in order: the second message from chat 99 came first and got no refusal
        assert later["chat_id"] == "7" and len(bot_api.recorded("sendMessage")) == 3
        await stop_updates(application)


async def test_an_error_is_logged_with_the_update_and_the_user_gets_an_apology(
    bot_api: FakeBotAPI, sample_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(Assistant):
        def ask(self, question, now=None):
            if question == "boom":
                raise RuntimeError("the store went away")
            return super().ask(question, now)

    settings = settings_for(bot_api)
    application = build_application(settings, Broken(sample_engine, settings))
    async with application:
        await start_polling(application, timeout=1)
        with caplog.at_level(logging.ERROR):
            (apology,) = await sent_after(bot_api, message("boom"))
            (answer,) = await sent_after(bot_api, message("逾期率"))
        await stop_updates(application)
    assert "出了点问题" in apology["text"] and "≤0.04%" in answer["text"]
    error = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert "boom" in error.getMessage() and "the store went away" in error.exc_text


async def test_webhook_mode_registers_the_url_and_answers_posted_updates(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    import socket

    import aiohttp

    from bot.tg.app import start_webhook

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = settings_for(
        bot_api,
        telegram_webhook_url="https://bot.example.org/telegram",
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
        telegram_webhook_secret="s3cret-token",
    )
    application = build_application(settings, Assistant(sample_engine, settings))
    async with application:
        await start_webhook(application, settings)
        (registered,) = await bot_api.await_for("setWebhook")
        assert registered["url"] == "https://bot.example.org/telegram"
        assert registered["secret_token"] == "s3cret-token"
        update = {"update_id": 9001, **message("逾期率")}
        async with aiohttp.ClientSession() as client:
            url = f"http://127.0.0.1:{port}/telegram"
            async with client.post(url, json=update) as refused:
                assert refused.status == 403  # no secret header: not from Telegram
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with client.post(url, json=update, headers=headers) as accepted:
                assert accepted.status == 200
        (sent,) = await bot_api.await_for("sendMessage")
        assert "≤0.04%" in sent["text"]
        await stop_updates(application)


async def test_subscribing_from_an_english_telegram_app_answers_and_remembers_english(
    running: FakeBotAPI, sample_engine: Engine
) -> None:
    from sqlmodel import Session, select

    from store.models import Subscription

    english = {"id": 43, "is_bot": False, "first_name": "Ann", "language_code": "en-GB"}
    (sent,) = await sent_after(
        running, message("/subscribe 信息化项目", chat_id=43, **{"from": english})
    )
    assert sent["text"].startswith("<b>Subscribed to reminders: 市住房公积金管理中心政务信息化项目")
    (listing,) = await sent_after(running, message("/reminders", chat_id=43))
    assert "Subscribed: 市住房公积金管理中心政务信息化项目" in listing["text"]
    with Session(sample_engine) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:43")).one()
    assert (row.language, row.project_codes) == ("en", IT)


async def test_a_tap_under_an_example_answer_narrows_that_answer_not_the_start_message(
    running: FakeBotAPI,
) -> None:
    (start,) = await sent_after(running, message("/start"))
    (answer,) = await sent_after(running, callback("x:2", start["_result"]))
    assert answer["reply_parameters"]["message_id"] == start["_result"]["message_id"]
    buttons = [row[0] for row in answer["reply_markup"]["inline_keyboard"]]
    assert len(buttons) == 3
    # the answer quotes the bot's /start message: the tap must still answer 满意度指标有哪些
    start_message = {**start["_result"], "text": "已导入 3 个项目"}
    running.push(callback(buttons[1]["callback_data"], answer["_result"], start_message))
    (edited,) = await running.await_for("editMessageText")
    assert "满意度" in edited["text"] and "支出节点" not in edited["text"]


async def test_narrowing_buttons_work_after_a_restart(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    settings = settings_for(bot_api)
    first = build_application(settings, Assistant(sample_engine, settings))
    async with first:
        await start_polling(first, timeout=1)
        (sent,) = await sent_after(bot_api, message("项目总成本"))
        await stop_updates(first)
    data = sent["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    second = build_application(settings, Assistant(sample_engine, settings))
    async with second:
        await start_polling(second, timeout=1)
        bot_api.push(callback(data, sent["_result"]))  # no quoted question: the key knows it
        (edited,) = await bot_api.await_for("editMessageText")
        await stop_updates(second)
    assert "≤1310.83万元" in edited["text"] and "≤1221.1万元" not in edited["text"]


async def test_an_answer_whose_send_timed_out_is_not_sent_again(
    bot_api: FakeBotAPI, sample_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(bot_api, telegram_read_timeout=0.3)
    application = build_application(settings, Assistant(sample_engine, settings))
    bot_api.fail_next("sendMessage", 200, delay=1.0)  # Telegram took it, but answers too late
    async with application:
        await start_polling(application, timeout=1)
        with caplog.at_level(logging.WARNING):
            bot_api.push(message("逾期率"))
            await asyncio.to_thread(logged, caplog, "is not sent again")
        (answer,) = await sent_after(bot_api, message("贷款笔数"))
        await stop_updates(application)
    assert "≥20000笔" in answer["text"]
    assert len(bot_api.recorded("sendMessage#attempts")) == 2  # the timed-out one, once


def logged(caplog: pytest.LogCaptureFixture, words: str, timeout: float = 15.0) -> None:
    """Wait until a log record says `words`."""
    deadline = time.monotonic() + timeout
    while not any(words in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, f"never logged: {words}"
        time.sleep(0.01)
