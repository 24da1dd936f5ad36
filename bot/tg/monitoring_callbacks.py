"""Telegram callbacks of execution monitoring: /actual, /progress, spoken amounts, undo/confirm."""

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.settings import is_admin
from bot.tg.callbacks import assistant, question_text, send_reply
from handlers.monitoring_chat import SPOKEN_SPENDING, Button, ChatOutcome
from store.messages import say

STORED = "m"  # a button whose data is longer than Telegram's 64 bytes, kept in the store
BUTTON_DATA = rf"^(undo-s|undo-i|force|{STORED}):"
DATA_LIMIT = 64


async def keyboard(
    context: ContextTypes.DEFAULT_TYPE, buttons: list[Button]
) -> InlineKeyboardMarkup | None:
    """One row of buttons, or none; data over 64 bytes (a long project code in a confirm
    button) carried as a short key resolved through the store."""
    if not buttons:
        return None
    helper = assistant(context)
    long = [b.data for b in buttons if len(b.data.encode()) > DATA_LIMIT]
    payloads = [{"d": data} for data in long]
    keys = await helper.off_loop(helper.button_keys, STORED, payloads) if long else []
    short = {data: f"{STORED}:{key}" for data, key in zip(long, keys, strict=True)}
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=short.get(b.data, b.data)) for b in buttons]]
    )


async def _button_data(context: ContextTypes.DEFAULT_TYPE, data: str) -> str:
    """A button's own data: as sent, or looked up for a stored one ("" when unknown)."""
    kind, _, key = data.partition(":")
    if kind != STORED:
        return data
    helper = assistant(context)
    found = await helper.off_loop(helper.button_payload, STORED, key)
    return str(found["d"]) if found else ""


def _actor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, bool, str | None]:
    user, chat = update.effective_user, update.effective_chat
    settings = assistant(context).settings
    name = f"telegram:{user.id}" if user else "telegram:?"
    admin = bool(user and is_admin(settings, user.id))
    return name, admin, f"telegram:{chat.id}" if chat else None


async def _send(
    update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: ChatOutcome | None
) -> None:
    if outcome is not None and update.effective_message:
        markup = await keyboard(context, outcome.buttons)
        await send_reply(context, update.effective_message, outcome.reply, markup)


async def on_record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/actual and /progress, and 人才住房6月底支出12000万 written to the bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = (
        message.text
        if message.text.startswith("/")
        else question_text(message, context.bot.username)
    )
    if text is None:
        return
    user, admin, chat = _actor(update, context)
    helper = assistant(context)
    outcome = await helper.off_loop(helper.record, user, admin, text, chat)
    if outcome is None:
        outcome = ChatOutcome(await helper.off_loop(helper.ask, text))
    await _send(update, context, outcome)


async def on_record_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Undo or confirm buttons under a recorded amount."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    user, admin, chat = _actor(update, context)
    helper = assistant(context)
    data = await _button_data(context, query.data or "")
    if not data and isinstance(query.message, Message):  # a stored key this store does not know
        await query.message.reply_text(say("zh", "button_unknown"), parse_mode=None)
        return
    outcome = await helper.off_loop(helper.press, user, admin, data, chat)
    if outcome is not None and isinstance(query.message, Message):
        markup = await keyboard(context, outcome.buttons)
        await query.message.reply_text(outcome.reply.text, reply_markup=markup, parse_mode=None)


async def on_chart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chart [项目]: the chart as a photo (sendPhoto), or why there is none."""
    message = update.effective_message
    if message is None or not message.text:
        return
    args = message.text.split(maxsplit=1)[1] if " " in message.text.strip() else ""
    png, reply = await asyncio.to_thread(assistant(context).chart, args.strip())
    if png is None:
        await send_reply(context, message, reply)
        return
    await message.reply_photo(png, caption=reply.text, filename="chart.png", parse_mode=None)


async def on_monitor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/monitor [日期]: the monitoring workbook as a document (sendDocument)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    args = message.text.split(maxsplit=1)[1].strip() if " " in message.text.strip() else ""
    data, filename, caption = await asyncio.to_thread(assistant(context).monitor, args)
    await message.reply_document(data, filename=filename, caption=caption, parse_mode=None)


def register_monitoring(application: Application) -> None:
    """The monitoring handlers, ahead of the general ones."""
    application.add_handler(CommandHandler("monitor", on_monitor))
    application.add_handler(CommandHandler("chart", on_chart))
    application.add_handler(CommandHandler(["actual", "progress", "grant"], on_record))
    spoken = filters.TEXT & ~filters.COMMAND & filters.Regex(SPOKEN_SPENDING)
    application.add_handler(MessageHandler(spoken, on_record))
    application.add_handler(CallbackQueryHandler(on_record_button, pattern=BUTTON_DATA))
