"""Telegram updates of different chats handled at once; those of one chat in the order sent."""

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatOrder(BaseUpdateProcessor):
    """A slow question holds up only its own chat: each chat has a lock, taken per update."""

    def __init__(self, max_concurrent_updates: int = 16) -> None:
        super().__init__(max_concurrent_updates)
        self.locks: dict[int, asyncio.Lock] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        async with self.locks.setdefault(chat.id, asyncio.Lock()):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
