"""WeCom: the app callback driven as WeCom does, and group robots, against a fake WeCom server."""

import asyncio
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.assistant import Assistant
from bot.settings import Settings
from bot.wecom.api import WeComAPI
from bot.wecom.callback import Callback, start_callback
from bot.wecom.crypto import WeComCrypto
from bot.wecom.robot_sender import RobotChannel
from jobs.delivery import Deliverer
from store.models import Subscription
from tests.fakes.wecom_api import CORP_ID, SECRET, FakeWeCom
from tests.jobs.test_reminder_delivery import subscribe_chats

TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
TZ = ZoneInfo("Asia/Shanghai")
CRYPTO = WeComCrypto(TOKEN, AES_KEY, CORP_ID)


class Counting(Assistant):
    """The real assistant, counting the messages it answers."""

    calls = 0

    def command(self, chat, text):
        Counting.calls += 1
        return super().command(chat, text)


@pytest.fixture
async def callback(wecom_api: FakeWeCom, sample_engine: Engine) -> AsyncIterator[Callback]:
    Counting.calls = 0
    settings = Settings(_env_file=None)
    async with aiohttp.ClientSession() as session:
        api = WeComAPI(wecom_api.base_url, session, CORP_ID, SECRET, "1000002")
        yield Callback(CRYPTO, Counting(sample_engine, settings), api)


async def served(callback: Callback) -> AsyncIterator[str]:
    """The callback served on 127.0.0.1: its URL, until the caller is done with it."""
    runner = await start_callback(callback, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/wecom/callback"
    finally:
        await runner.cleanup()


async def app_callback(fake: FakeWeCom, engine: Engine, admins: str = "") -> AsyncIterator[str]:
    """The app callback of the real assistant on `engine` (with these admins), served."""
    settings = (
        Settings(_env_file=None, admin_user_ids=admins) if admins else Settings(_env_file=None)
    )
    async with aiohttp.ClientSession() as session:
        api = WeComAPI(fake.base_url, session, CORP_ID, SECRET, "1000002")
        async for url in served(Callback(CRYPTO, Assistant(engine, settings), api)):
            yield url


@pytest.fixture
async def callback_url(callback: Callback) -> AsyncIterator[str]:
    async for url in served(callback):
        yield url


def signed(encrypted: str, crypto: WeComCrypto = CRYPTO) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), "1597212914"
    return {
        "msg_signature": crypto.sign(timestamp, nonce, encrypted),
        "timestamp": timestamp,
        "nonce": nonce,
    }


def incoming(
    content: str | None, msg_id: str = "1001", msg_type: str = "text", crypto: WeComCrypto = CRYPTO
) -> tuple[dict, str]:
    """A POST as WeCom sends it: query parameters and the encrypted XML body."""
    inner = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<FromUserName><![CDATA[LiSi]]></FromUserName><CreateTime>1476422779</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>"
        + (f"<Content><![CDATA[{content}]]></Content>" if content is not None else "")
        + f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )
    encrypted = crypto.encrypt(inner)
    body = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    )
    return signed(encrypted, crypto), body


def passive_text(body: str) -> str:
    """Verify and decrypt a passive reply as WeCom does; its Content."""
    outer = ET.fromstring(body)
    encrypted = outer.findtext("Encrypt") or ""
    CRYPTO.verify(
        outer.findtext("MsgSignature") or "",
        outer.findtext("TimeStamp") or "",
        outer.findtext("Nonce") or "",
        encrypted,
    )
    inner = ET.fromstring(CRYPTO.decrypt(encrypted))
    assert inner.findtext("ToUserName") == "LiSi" and inner.findtext("FromUserName") == CORP_ID
    return inner.findtext("Content") or ""


async def post(url: str, params: dict, body: str | bytes) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.post(url, params=params, data=body) as r:
        return r.status, await r.text()


async def test_url_verification_answers_the_plain_echostr(callback_url: str) -> None:
    echostr = CRYPTO.encrypt("1288432023552776189")
    async with aiohttp.ClientSession() as client:
        async with client.get(callback_url, params={**signed(echostr), "echostr": echostr}) as r:
            assert (r.status, await r.text()) == (200, "1288432023552776189")
        forged = {**signed(echostr), "msg_signature": "0" * 40, "echostr": echostr}
        async with client.get(callback_url, params=forged) as r:
            assert r.status == 403


async def test_a_question_is_answered_passively_and_encrypted(callback_url: str) -> None:
    status, body = await post(callback_url, *incoming("贷款笔数目标是多少"))
    assert status == 200
    assert passive_text(body).startswith("发放贷款笔数：≥20000笔")


async def test_a_long_answer_goes_through_message_send_in_pieces(
    callback_url: str, wecom_api: FakeWeCom
) -> None:
    status, body = await post(callback_url, *incoming("指标有哪些", msg_id="2002"))
    assert (status, body) == (200, "")
    messages = await asyncio.to_thread(wecom_api.wait_for_app_messages, 2)
    assert all(m["touser"] == "LiSi" and m["agentid"] == 1000002 for m in messages)
    assert all(len(m["text"]["content"].encode()) <= 2048 for m in messages)
    text = "\n".join(m["text"]["content"] for m in messages)
    assert "发放贷款笔数：≥20000笔" in text and "使用对象满意度：≥95%" in text
    assert wecom_api.token_calls == 1


async def test_a_retried_msg_id_is_answered_once(
    callback_url: str, callback: Callback, wecom_api: FakeWeCom
) -> None:
    params, body = incoming("逾期率", msg_id="3003")
    first = await post(callback_url, params, body)
    again = await post(callback_url, params, body)
    assert first == again and Counting.calls == 1
    long_params, long_body = incoming("指标有哪些", msg_id="3004")
    await post(callback_url, long_params, long_body)
    await post(callback_url, long_params, long_body)
    await asyncio.gather(*list(callback.background))  # every message/send started is done
    text = "\n".join(m["text"]["content"] for m in wecom_api.app_messages)
    assert len(wecom_api.app_messages) >= 2 and text.count("发放贷款笔数：≥20000笔") == 1
    assert Counting.calls == 2


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("forged signature", 403),
        ("other corp", 403),
        ("undecryptable", 403),
        ("not xml", 403),
        ("no parameters", 400),
        ("unsigned xml bomb", 403),
        ("signed, not xml", 400),
        ("signed DTD in UTF-16", 400),
        ("signed DTD in UTF-8", 400),
    ],
)
async def test_forged_and_malformed_requests_are_refused(
    callback_url: str, case: str, status: int
) -> None:
    params, body = incoming("逾期率")
    if case == "forged signature":
        params["msg_signature"] = "f" * 40
    elif case == "other corp":
        params, body = incoming("逾期率", crypto=WeComCrypto(TOKEN, AES_KEY, "ww-intruder"))
    elif case == "undecryptable":
        body = "<xml><Encrypt><![CDATA[bm90IGEgcmVhbCBtZXNzYWdl]]></Encrypt></xml>"
        params = signed("bm90IGEgcmVhbCBtZXNzYWdl")
    elif case == "not xml":
        body = "hello, I am not XML"
    elif case == "no parameters":
        params = {}
    elif case == "unsigned xml bomb":  # refused before parsing: the signature comes first
        body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>'
    elif case == "signed, not xml":
        body = body.removesuffix("</xml>") + "<unclosed>"
    else:
        body = with_dtd(body, "utf-16" if "UTF-16" in case else "utf-8")
    assert (await post(callback_url, params, body))[0] == status
    assert Counting.calls == 0


def with_dtd(body: str, encoding: str) -> bytes:
    """The signed body with a DTD whose entity names the sender, in `encoding`."""
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    dtd = '<!DOCTYPE xml [<!ENTITY who "LiSi">]>'
    return (declaration + dtd + body.replace(f"<![CDATA[{CORP_ID}]]>", "&who;")).encode(encoding)


async def test_non_text_messages_get_a_hint(callback_url: str) -> None:
    status, body = await post(callback_url, *incoming(None, msg_id="4004", msg_type="image"))
    assert status == 200 and "只看得懂文字" in passive_text(body)


async def test_subscribing_through_the_app(callback_url: str, sample_engine: Engine) -> None:
    _, body = await post(callback_url, *incoming("/subscribe 信息化项目", msg_id="5005"))
    assert "已订阅提醒：市住房公积金管理中心政务信息化项目" in passive_text(body)
    with Session(sample_engine) as session:
        row = session.exec(select(Subscription)).one()
    assert row.chat == "wecomapp:LiSi" and row.project_codes == "37020022P13000410008Q"


async def test_an_expired_token_is_refreshed(wecom_api: FakeWeCom) -> None:
    async with aiohttp.ClientSession() as session:
        api = WeComAPI(wecom_api.base_url, session, CORP_ID, SECRET, "1000002")
        await api.send_text("LiSi", "one")
        wecom_api.expire_tokens()
        await api.send_text("LiSi", "two")
        wecom_api.plan("message/send", 40014, "invalid access_token")
        await api.send_text("LiSi", "three")
    assert [m["text"]["content"] for m in wecom_api.app_messages] == ["one", "two", "three"]
    assert wecom_api.token_calls == 3


async def robot_send_due(engine: Engine, wecom_api: FakeWeCom, now: datetime, busy_wait=0.2):
    async with aiohttp.ClientSession() as session:
        channel = RobotChannel(WeComAPI(wecom_api.base_url, session), busy_wait=busy_wait)
        return await Deliverer(engine, [channel], TZ).send_due(now)


ROBOTS = ["wecom:robotkey-aaaa-1111", "wecom:robotkey-bbbb-2222", "wecom:robotkey-cccc-3333"]


@pytest.fixture
def robots(loaded: Engine) -> Engine:
    subscribe_chats(loaded, *ROBOTS)
    return loaded


async def test_robot_reminders_arrive_once_each_in_markdown(
    robots: Engine, wecom_api: FakeWeCom
) -> None:
    now = datetime(2022, 6, 23, 9, tzinfo=TZ)
    first, second = await asyncio.gather(
        robot_send_due(robots, wecom_api, now), robot_send_due(robots, wecom_api, now)
    )
    assert len(first.sent) + len(second.sent) == 3
    keys = Counter(key for key, posts in wecom_api.robot_posts.items() for _ in posts)
    assert keys == Counter(chat.split(":")[1] for chat in ROBOTS)
    post_body = wecom_api.posts(ROBOTS[0].split(":")[1])[0]
    assert post_body["msgtype"] == "markdown"
    assert post_body["markdown"]["content"].startswith("**⏰ 支出节点提醒：6月底（2022-06-30）")
    again = await robot_send_due(robots, wecom_api, now)
    assert again.sent == [] and wecom_api.too_frequent == 0


async def test_a_busy_robot_45009_is_waited_for_and_other_errcodes_retried_later(
    robots: Engine, wecom_api: FakeWeCom, caplog: pytest.LogCaptureFixture
) -> None:
    wecom_api.plan("webhook/send", 45009, "api freq out of limit")
    now = datetime(2022, 6, 23, 9, tzinfo=TZ)
    outcome = await robot_send_due(robots, wecom_api, now)
    assert len(outcome.sent) == 3 and len(wecom_api.posts()) == 3
    wecom_api.plan("webhook/send", 93000, "invalid webhook url")
    later = await robot_send_due(robots, wecom_api, datetime(2022, 6, 29, 9, tzinfo=TZ))
    assert len(later.failed) == 1 and len(later.sent) == 2
    assert "errcode 93000" in caplog.text
    assert not any(chat.split(":")[1] in caplog.text for chat in ROBOTS)  # keys are masked
    retried = await robot_send_due(robots, wecom_api, datetime(2022, 6, 29, 9, 5, tzinfo=TZ))
    assert len(retried.sent) == 1 and len(wecom_api.posts()) == 6


async def test_robot_messages_keep_to_4096_bytes_and_20_a_minute(wecom_api: FakeWeCom) -> None:
    from jobs.reminder_text import ReminderMessage

    async with aiohttp.ClientSession() as session:
        channel = RobotChannel(WeComAPI(wecom_api.base_url, session), per_minute=600)
        lines = tuple(f"• 项目{n}：累计应支出 {n}.00 万元，占预算 {n}.0%" for n in range(200))
        await channel.send("robotkey-long-0001", ReminderMessage("⏰ 很长的提醒", lines))
        pieces = wecom_api.posts("robotkey-long-0001")
        assert len(pieces) >= 2 and wecom_api.too_long == 0
        assert all(len(p["markdown"]["content"].encode()) <= 4096 for p in pieces)
        paced = RobotChannel(WeComAPI(wecom_api.base_url, session))
        started = time.monotonic()
        for n in range(2):
            await paced.send("robotkey-paced-01", ReminderMessage(f"第{n}条", ()))
        assert time.monotonic() - started >= 2.9  # 20 a minute: one every 3 seconds
        assert wecom_api.too_frequent == 0
