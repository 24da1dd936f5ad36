"""Charts reach WeCom: group robots get base64 + md5 images, app users a media/upload image."""

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator
from io import BytesIO

import aiohttp
import pytest
from PIL import Image
from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.settings import Settings
from bot.wecom.api import WeComAPI
from bot.wecom.images import robot_image_payload, send_robot_image
from tests.bot.test_wecom import app_callback, incoming, post
from tests.fakes.wecom_api import FakeWeCom


def chart_png(engine: Engine) -> bytes:
    png, _ = Assistant(engine, Settings(_env_file=None)).chart("人才住房")
    assert png is not None
    return png


async def test_a_robot_gets_the_chart_as_base64_with_its_md5(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    png = chart_png(sample_engine)
    async with aiohttp.ClientSession() as session:
        await send_robot_image(WeComAPI(wecom_api.base_url, session), "robot-key", png)
    (post_body,) = wecom_api.posts("robot-key")
    assert post_body["msgtype"] == "image"
    data = base64.b64decode(post_body["image"]["base64"])
    assert data == png and post_body["image"]["md5"] == hashlib.md5(png).hexdigest()
    assert Image.open(BytesIO(data)).size == (1000, 600)


async def test_a_wrong_md5_or_an_image_over_2_mb_is_refused(wecom_api: FakeWeCom) -> None:
    payload = robot_image_payload(b"\x89PNG fake")
    payload["image"]["md5"] = "0" * 32
    async with aiohttp.ClientSession() as session:
        api = WeComAPI(wecom_api.base_url, session)
        assert (await api.robot("robot-key", payload))["errcode"] == 40009
    with pytest.raises(ValueError, match="2 MB"):
        robot_image_payload(b"x" * (2 * 1024 * 1024 + 1))


@pytest.fixture
async def callback_url(wecom_api: FakeWeCom, sample_engine: Engine) -> AsyncIterator[str]:
    async for url in app_callback(wecom_api, sample_engine):
        yield url


async def test_an_app_user_gets_the_chart_uploaded_then_sent(
    callback_url: str, wecom_api: FakeWeCom
) -> None:
    status, body = await post(callback_url, *incoming("/chart 人才住房"))
    assert (status, body) == (200, "")
    (message,) = await asyncio.to_thread(wecom_api.wait_for_app_messages, 1)
    assert message["msgtype"] == "image" and message["touser"] == "LiSi"
    upload = wecom_api.uploads[message["image"]["media_id"]]
    assert upload["filename"] == "chart.png"
    assert Image.open(BytesIO(upload["data"])).size == (1000, 600)


async def test_an_unknown_project_gets_a_text_instead(
    callback_url: str, wecom_api: FakeWeCom
) -> None:
    await post(callback_url, *incoming("/chart 不存在的项目", msg_id="2002"))
    (message,) = await asyncio.to_thread(wecom_api.wait_for_app_messages, 1)
    assert message["msgtype"] == "text" and "没有找到项目" in message["text"]["content"]
    assert wecom_api.uploads == {}
