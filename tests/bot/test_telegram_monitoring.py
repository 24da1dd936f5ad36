"""Admins record actuals in Telegram (with undo and confirm), others are refused politely."""

from collections.abc import AsyncIterator
from io import BytesIO

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import Session

from bot.assistant import Assistant
from bot.tg.app import build_application, start_polling, stop_updates
from store.actuals import spending_history
from tests.bot.test_telegram import settings_for
from tests.fakes.telegram_api import USER, FakeBotAPI, callback, message

HOUSING = "37020022P46000910003U"


def stored(engine: Engine) -> list[tuple[str, float, str]]:
    with Session(engine) as session:
        return [
            (r.as_of.isoformat(), r.amount, r.recorded_by)
            for r in spending_history(session, HOUSING)
        ]


async def running_bot(bot_api: FakeBotAPI, engine: Engine, admins: list[int]):
    settings = settings_for(bot_api, admin_user_ids=admins)
    application = build_application(settings, Assistant(engine, settings))
    await application.initialize()
    await start_polling(application, timeout=1)
    return application


@pytest.fixture
async def admin_bot(bot_api: FakeBotAPI, sample_engine: Engine) -> AsyncIterator[FakeBotAPI]:
    application = await running_bot(bot_api, sample_engine, [USER["id"]])
    yield bot_api
    await stop_updates(application)
    await application.shutdown()


async def said(bot_api: FakeBotAPI, update: dict) -> dict:
    already = len(bot_api.recorded("sendMessage"))
    bot_api.push(update)
    return (await bot_api.await_for("sendMessage", already + 1))[already]


async def test_an_admin_records_in_words_and_undoes(
    admin_bot: FakeBotAPI, sample_engine: Engine
) -> None:
    sent = await said(admin_bot, message("人才住房6月底支出12000万"))
    assert "已记录" in sent["text"] and "12000" in sent["text"] and "执行率 83.19%" in sent["text"]
    assert stored(sample_engine) == [("2022-06-30", 12000.0, f"telegram:{USER['id']}")]
    (button,) = sent["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "撤销"
    undone = await said(admin_bot, callback(button["callback_data"], sent["_result"]))
    assert "已撤销" in undone["text"]
    assert stored(sample_engine) == []


async def test_actual_command_lower_amount_asks_to_confirm(
    admin_bot: FakeBotAPI, sample_engine: Engine
) -> None:
    await said(admin_bot, message("/actual 人才住房 12000 6月底"))
    sent = await said(admin_bot, message("/actual 人才住房 11000 7月底"))
    assert "低于 2022-06-30 已记录的 12000" in sent["text"]
    assert len(stored(sample_engine)) == 1
    (button,) = sent["reply_markup"]["inline_keyboard"][0]
    confirmed = await said(admin_bot, callback(button["callback_data"], sent["_result"]))
    assert "已记录" in confirmed["text"]
    assert [row[1] for row in stored(sample_engine)] == [12000.0, 11000.0]


async def test_a_confirm_button_of_a_63_character_code_fits_telegrams_64_bytes(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    from store.documents import parse_bytes
    from store.importer import import_document
    from tests.bigstore import LONG_CODE, project_text

    text = "\n".join(["青岛市某局2022年项目支出绩效目标表", project_text(1, LONG_CODE)])
    import_document(sample_engine, parse_bytes(text.encode(), "long.txt"))
    application = await running_bot(bot_api, sample_engine, [USER["id"]])
    try:
        await said(bot_api, message("/actual 校舍维修专项经费 50 6月底"))
        sent = await said(bot_api, message("/actual 校舍维修专项经费 40 7月底"))
        (button,) = sent["reply_markup"]["inline_keyboard"][0]
        assert len(button["callback_data"].encode()) <= 64  # the fake refuses more, as Telegram
        confirmed = await said(bot_api, callback(button["callback_data"], sent["_result"]))
        assert "已记录" in confirmed["text"]
        with Session(sample_engine) as session:
            assert [r.amount for r in spending_history(session, LONG_CODE)] == [50.0, 40.0]
    finally:
        await stop_updates(application)
        await application.shutdown()


async def test_progress_command_records_an_indicator_and_shows_status(
    admin_bot: FakeBotAPI,
) -> None:
    sent = await said(admin_bot, message("/progress 贷款笔数 12000笔 6月底"))
    assert "发放贷款笔数" in sent["text"] and "12000笔" in sent["text"]
    status = await said(admin_bot, message("/progress"))
    assert "还没有记录执行数" in status["text"]


async def test_a_non_admin_is_refused_and_nothing_is_stored(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    application = await running_bot(bot_api, sample_engine, [7])
    try:
        for text in ["人才住房6月底支出12000万", "/actual 人才住房 12000"]:
            sent = await said(bot_api, message(text))
            assert "只有管理员" in sent["text"]
        assert stored(sample_engine) == []
        asked = await said(bot_api, message("人才住房6月底计划支出多少"))
        assert "14172" in asked["text"]
    finally:
        await stop_updates(application)
        await application.shutdown()


async def test_chart_is_sent_as_a_photo(admin_bot: FakeBotAPI) -> None:
    await said(admin_bot, message("人才住房6月底支出12000万"))
    admin_bot.push(message("/chart 人才住房"))
    (photo,) = await admin_bot.await_for("sendPhoto")
    upload = photo["photo"]
    assert upload["content_type"] == "image/png" or upload["filename"].endswith(".png")
    assert upload["data"].startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(BytesIO(upload["data"])).size == (1000, 600)
    assert "人才住房购置及后期管理" in photo["caption"]
    admin_bot.push(message("/chart"))
    await admin_bot.await_for("sendPhoto", 2)
    refused = await said(admin_bot, message("/chart 不存在的项目"))
    assert "没有找到项目" in refused["text"]


async def test_monitor_is_sent_as_an_xlsx_document(admin_bot: FakeBotAPI) -> None:
    admin_bot.push(message("/monitor 2022-07-31"))
    (sent,) = await admin_bot.await_for("sendDocument")
    document = sent["document"]
    assert document["filename"] == "监控表-2022-07-31.xlsx"
    book = load_workbook(BytesIO(document["data"]))
    assert book.sheetnames[0] == "汇总" and len(book.sheetnames) == 4


async def test_a_granted_group_records_its_project_only(
    bot_api: FakeBotAPI, sample_engine: Engine
) -> None:
    application = await running_bot(bot_api, sample_engine, [7])
    admin = {"id": 7, "is_bot": False, "first_name": "Admin"}
    try:
        refused = await said(
            bot_api, message("/actual 人才住房 12000 6月底", chat_id=-5, chat_type="group")
        )
        assert "只有管理员" in refused["text"]
        granted = await said(
            bot_api, message("/grant 人才住房", chat_id=-5, chat_type="group", **{"from": admin})
        )
        assert "已允许本聊天记录 人才住房购置及后期管理" in granted["text"]
        done = await said(
            bot_api, message("/actual 人才住房 12000 6月底", chat_id=-5, chat_type="group")
        )
        assert "已记录" in done["text"]
        other = await said(
            bot_api, message("/actual 政务信息化 100 6月底", chat_id=-5, chat_type="group")
        )
        assert "没有获准记录" in other["text"]
        elsewhere = await said(
            bot_api, message("/actual 人才住房 13000 7月底", chat_id=-6, chat_type="group")
        )
        assert "只有管理员" in elsewhere["text"]
        assert stored(sample_engine) == [("2022-06-30", 12000.0, f"telegram:{USER['id']}")]
    finally:
        await stop_updates(application)
        await application.shutdown()


async def test_an_admin_gives_full_year_forecasts_in_chat(
    admin_bot: FakeBotAPI, sample_engine: Engine
) -> None:
    sent = await said(admin_bot, message("/actual 人才住房 12000 7月底 预计14000"))
    assert "已记录" in sent["text"] and "全年预计执行数 14000.00 万元" in sent["text"]
    with Session(sample_engine) as session:
        [row] = spending_history(session, HOUSING)
        assert (row.amount, row.forecast) == (12000.0, 14000.0)
    sent = await said(admin_bot, message("/progress 贷款笔数 12000笔 预计20000笔"))
    assert "12000笔" in sent["text"] and "全年预计完成：20000笔" in sent["text"]
    asked = await said(admin_bot, message("贷款笔数完成了多少"))
    assert "20000笔" in asked["text"]


async def test_a_stored_button_key_the_store_does_not_know_is_answered_politely(
    admin_bot: FakeBotAPI,
) -> None:
    sent = await said(admin_bot, message("/actual 人才住房 12000 6月底"))
    told = await said(admin_bot, callback("m:AAAAAAAAAAAAAAAA", sent["_result"]))
    assert "这个按钮已失效" in told["text"]
