"""Reminders to WeCom group robots: markdown, ≤4,096 bytes a message, ≤20 a minute a robot."""

import asyncio
import logging

import aiohttp
from aiolimiter import AsyncLimiter

from bot.message_split import split_text, utf8_size
from bot.wecom.api import TOO_FREQUENT, WeComAPI, WeComError
from jobs.reminder_channel import Failed
from jobs.reminder_text import ReminderMessage
from store.chats import mask_secret

log = logging.getLogger(__name__)
MAX_BYTES = 4096


def reminder_markdown(message: ReminderMessage) -> str:
    return "\n".join([f"**{message.title}**", *(f"> {line}" for line in message.lines)])


class RobotChannel:
    """`wecom:<robot key>` chats: a queue per robot paced at 20 messages a minute."""

    prefix = "wecom"

    def __init__(
        self, api: WeComAPI, per_minute: int = 20, busy_wait: float = 60.0, busy_retries: int = 3
    ) -> None:
        self.api = api
        self.per_minute, self.busy_wait, self.busy_retries = per_minute, busy_wait, busy_retries
        self.limiters: dict[str, AsyncLimiter] = {}

    def _limiter(self, key: str) -> AsyncLimiter:
        if key not in self.limiters:
            self.limiters[key] = AsyncLimiter(1, 60 / self.per_minute)
        return self.limiters[key]

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        for piece in split_text(reminder_markdown(message), MAX_BYTES, utf8_size):
            await self._post(chat_id, {"msgtype": "markdown", "markdown": {"content": piece}})

    async def _post(self, key: str, payload: dict) -> None:
        for attempt in range(self.busy_retries + 1):
            async with self._limiter(key):
                try:
                    answer = await self.api.robot(key, payload)
                except (aiohttp.ClientError, TimeoutError, WeComError) as error:
                    raise Failed(f"robot {mask_secret(key)}: {error}") from None
            code = answer.get("errcode", -1)
            if code == 0:
                return
            if code == TOO_FREQUENT and attempt < self.busy_retries:
                log.info(
                    "robot %s is busy (45009); waiting %.0fs", mask_secret(key), self.busy_wait
                )
                await asyncio.sleep(self.busy_wait)
                continue
            log.warning(
                "robot %s answered errcode %s: %s", mask_secret(key), code, answer.get("errmsg")
            )
            raise Failed(f"robot {mask_secret(key)}: errcode {code}")
