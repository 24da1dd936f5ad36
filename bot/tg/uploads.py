"""Telegram document messages: an admin's file is downloaded (getFile) and imported."""

import asyncio
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.document_upload import import_upload, refusal_for
from bot.message_split import split_text
from bot.tg.callbacks import assistant
from store.messages import say

log = logging.getLogger(__name__)
TELEGRAM_TEXT_LIMIT = 4096


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Import a .docx/.xlsx/.xls/.pdf/.txt an admin sends; reply with the import report."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    document, user = message.document, update.effective_user
    helper = assistant(context)
    name = document.file_name or "document"
    user_id = user.id if user else None
    if refusal := refusal_for(helper.settings, user_id, name, document.file_size):
        await message.reply_text(refusal, parse_mode=None)
        return
    try:
        file = await context.bot.get_file(document.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        log.warning("could not download a sent document: %s", error)
        await message.reply_text(say("zh", "upload_download_failed", name=name), parse_mode=None)
        return
    text = await asyncio.to_thread(import_upload, helper.engine, name, data)
    for piece in split_text(text, TELEGRAM_TEXT_LIMIT):
        await message.reply_text(piece, parse_mode=None)
