"""Each Telegram update answered once: its update_id is taken in the store (replicas share it)."""

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from store.offloop import StoreUnavailable
from store.seen_messages import first_sight

log = logging.getLogger(__name__)


async def once_per_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handler group -2: an update another process (or this one) already took goes no further.
    With the store out of reach the update is answered (twice at worst, never not at all)."""
    assistant = context.application.bot_data["assistant"]
    key = f"telegram:{context.bot.id}:{update.update_id}"
    try:
        first = await assistant.off_loop(first_sight, assistant.engine, key)
    except StoreUnavailable as error:
        log.warning("could not record Telegram update %s as seen: %s", update.update_id, error)
        return
    if not first:
        log.info("Telegram update %s was already taken; not answered again", update.update_id)
        raise ApplicationHandlerStop
