"""Reminders through the real Telegram client against the fake Bot API: faults lose nothing."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.tg.reminder_sender import TelegramChannel, reminder_bot
from jobs.delivery import Deliverer
from store.db import unit_of_work
from store.models import Subscription
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe
from tests.fakes.telegram_api import TOKEN, FakeBotAPI

# the Telegram client's faults are the subject; claims on each database are tests/jobs'
pytestmark = pytest.mark.database("sqlite")

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 6, 23, 9, 0, tzinfo=TZ)
CHATS = [1, 2, 3, 4, 5, -1001]


@pytest.fixture
def subscribed(loaded: Engine) -> Engine:
    with unit_of_work(loaded) as session:
        for chat in CHATS:
            subscribe(session, f"telegram:{chat}", [], ReminderTiming.read("7,1", "09:00"), NOW)
    return loaded


async def send_due(engine: Engine, bot_api: FakeBotAPI, now: datetime = NOW):
    bot = reminder_bot(
        TOKEN,
        bot_api.base_url,
        read_timeout=1.0,
        retry_base_wait=0.01,
        per_second=500,
        group_interval=0.05,
    )
    async with bot:
        return await Deliverer(engine, [TelegramChannel(bot)], TZ).send_due(now)


def delivered(bot_api: FakeBotAPI) -> Counter:
    return Counter(int(call["chat_id"]) for call in bot_api.recorded("sendMessage"))


async def test_reminders_arrive_once_each_in_html(subscribed: Engine, bot_api: FakeBotAPI) -> None:
    outcome = await send_due(subscribed, bot_api)
    assert delivered(bot_api) == Counter(CHATS) and len(outcome.sent) == len(CHATS)
    message = bot_api.recorded("sendMessage")[0]
    assert message["parse_mode"] == "HTML"
    assert message["text"].startswith("<b>⏰ 支出节点提醒：6月底（2022-06-30），还有 7 天</b>")
    again = await send_due(subscribed, bot_api)
    assert again.sent == [] and delivered(bot_api) == Counter(CHATS)


@pytest.mark.parametrize(
    ("status", "description", "retry_after", "delay"),
    [
        (429, "Too Many Requests: retry after 1", 1, 0.0),
        (500, "Internal Server Error", None, 0.0),
        (502, "Bad Gateway", None, 0.0),
        (500, "slow, then failed (the client timed out first)", None, 2.0),
    ],
)
async def test_server_faults_are_retried_with_nothing_lost_or_doubled(
    subscribed: Engine,
    bot_api: FakeBotAPI,
    status: int,
    description: str,
    retry_after,
    delay: float,
) -> None:
    bot_api.fail_next(
        "sendMessage", status, description, retry_after=retry_after, times=2, delay=delay
    )
    outcome = await send_due(subscribed, bot_api)
    assert delivered(bot_api) == Counter(CHATS)
    assert len(bot_api.recorded("sendMessage#attempts")) == len(CHATS) + 2
    assert outcome.failed == [] and len(outcome.sent) == len(CHATS)


async def test_a_chat_that_blocked_the_bot_is_deactivated_and_the_rest_delivered(
    subscribed: Engine, bot_api: FakeBotAPI
) -> None:
    bot_api.blocked_chats.add(3)
    outcome = await send_due(subscribed, bot_api)
    assert outcome.rejected == ["telegram:3"]
    assert delivered(bot_api) == Counter(c for c in CHATS if c != 3)
    with Session(subscribed) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:3")).one()
    assert row.active is False and "blocked" in row.note


async def test_a_server_down_for_longer_than_the_retries_is_caught_up_later(
    subscribed: Engine, bot_api: FakeBotAPI
) -> None:
    bot_api.fail_next("sendMessage", 500, "down", times=5 * len(CHATS))
    first = await send_due(subscribed, bot_api)
    assert len(first.failed) == len(CHATS) and delivered(bot_api) == Counter()
    later = await send_due(subscribed, bot_api, NOW.replace(hour=10))
    assert delivered(bot_api) == Counter(CHATS) and len(later.sent) == len(CHATS)
