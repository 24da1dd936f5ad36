"""ALLOWED_CHAT_IDS: serve only those chats; every other chat gets one polite refusal."""

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from store.messages import say

log = logging.getLogger(__name__)
REFUSAL = f"{say('zh', 'not_served')} {say('en', 'not_served')}"


def make_gate(allowed: set[int]):
    """A callback for handler group -1 that stops updates from chats not allowed."""

    async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not allowed:
            return
        chat = update.effective_chat
        user = update.effective_user
        if (chat and chat.id in allowed) or (chat is None and user and user.id in allowed):
            return
        refused: set[int] = context.application.bot_data.setdefault("refused_chats", set())
        if chat and chat.id not in refused and update.effective_message:
            refused.add(chat.id)
            log.info("refusing chat %s (not in ALLOWED_CHAT_IDS)", chat.id)
            await update.effective_message.reply_text(REFUSAL, parse_mode=None)
        if update.callback_query:
            await update.callback_query.answer()
        raise ApplicationHandlerStop

    return gate
