"""Admins load documents by sending them to the bot: Telegram (getFile, file download) and the
WeCom app (file message, media/get), against the fake servers, with the command line's rules."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.settings import Settings
from bot.tg.app import build_application, start_polling, stop_updates
from store.db import open_database
from tests.bot.test_wecom import CRYPTO, app_callback, passive_text, post, signed
from tests.builders import build_docx
from tests.conftest import export
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message
from tests.fakes.wecom_api import CORP_ID, FakeWeCom


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    return open_database(f"sqlite:///{tmp_path / 'chat.db'}")


async def running_bot(fake: FakeBotAPI, store: Engine, admins: str) -> AsyncIterator[None]:
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.base_url,
        admin_user_ids=admins,
    )
    application = build_application(settings, Assistant(store, settings))
    async with application:
        await start_polling(application, timeout=1)
        yield
        await stop_updates(application)


async def replies_to(fake: FakeBotAPI, content: bytes, name: str) -> str:
    already = len(fake.recorded("sendMessage"))
    fake.push(message(document=fake.add_file(content, name)))
    sent = (await fake.await_for("sendMessage", already + 1))[already:]
    return "\n".join(m["text"] for m in sent)


async def test_an_admins_document_in_telegram_is_imported_with_the_report(
    bot_api: FakeBotAPI, store: Engine, truth: dict
) -> None:
    async for _ in running_bot(bot_api, store, admins="7,42"):
        text = await replies_to(bot_api, build_docx(truth), "青岛2022.docx")
        assert "青岛2022.docx: 3 projects (3 added, 0 replaced)" in text
        assert bot_api.downloads == ["documents/file-1.docx"]
        assert export(store) == truth
        again = await replies_to(bot_api, build_docx(truth), "青岛2022.docx")
        assert "already imported, nothing changed" in again


async def test_a_non_admins_document_in_telegram_is_politely_refused(
    bot_api: FakeBotAPI, store: Engine, truth: dict
) -> None:
    async for _ in running_bot(bot_api, store, admins="7"):
        text = await replies_to(bot_api, build_docx(truth), "sample.docx")
        assert "只有管理员" in text
        assert bot_api.recorded("getFile") == [] and bot_api.downloads == []
        assert export(store) == {"projects": []}


async def test_an_admins_bad_file_in_telegram_changes_nothing(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    before = export(sample_engine)
    async for _ in running_bot(bot_api, sample_engine, admins="42"):
        text = await replies_to(bot_api, b"not a zip at all", "broken.docx")
        assert "未导入" in text and "broken.docx" in text and "not a .docx file" in text
        text = await replies_to(bot_api, b"\x89PNG\r\n", "photo.png")
        assert "photo.png" in text and ".xlsx" in text
    assert export(sample_engine) == before


def file_message(media_id: str, msg_id: str) -> tuple[dict, str]:
    """A file message as WeCom posts it to the app callback (user LiSi)."""
    inner = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>"
        "<FromUserName><![CDATA[LiSi]]></FromUserName><CreateTime>1476422779</CreateTime>"
        f"<MsgType><![CDATA[file]]></MsgType><MediaId><![CDATA[{media_id}]]></MediaId>"
        f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )
    encrypted = CRYPTO.encrypt(inner)
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return signed(encrypted), body


async def app_text(fake: FakeWeCom, count: int) -> str:
    messages = await asyncio.to_thread(fake.wait_for_app_messages, count)
    return "\n".join(m["text"]["content"] for m in messages)


async def test_an_admins_file_in_the_wecom_app_is_fetched_and_imported(
    wecom_api: FakeWeCom, store: Engine, truth: dict
) -> None:
    async for url in app_callback(wecom_api, store, admins="LiSi"):
        media = wecom_api.add_media(build_docx(truth), "青岛2022.docx")
        status, body = await post(url, *file_message(media, "3001"))
        assert (status, body) == (200, "")
        text = await app_text(wecom_api, 1)
        assert "青岛2022.docx: 3 projects (3 added, 0 replaced)" in text
    assert export(store) == truth


async def test_a_non_admins_file_in_the_wecom_app_is_politely_refused(
    wecom_api: FakeWeCom, store: Engine, truth: dict
) -> None:
    async for url in app_callback(wecom_api, store, admins="ZhangSan"):
        media = wecom_api.add_media(build_docx(truth), "sample.docx")
        status, body = await post(url, *file_message(media, "3002"))
        assert status == 200 and "只有管理员" in passive_text(body)
    assert export(store) == {"projects": []} and wecom_api.app_messages == []


async def test_an_admins_bad_file_in_the_wecom_app_changes_nothing(
    wecom_api: FakeWeCom, sample_engine: Engine
) -> None:
    before = export(sample_engine)
    async for url in app_callback(wecom_api, sample_engine, admins="LiSi"):
        media = wecom_api.add_media("尊敬的领导：\n您好。\n".encode(), "letter.txt")
        await post(url, *file_message(media, "3003"))
        text = await app_text(wecom_api, 1)
        assert "未导入" in text and "letter.txt" in text and "no performance-target" in text
    assert export(sample_engine) == before
