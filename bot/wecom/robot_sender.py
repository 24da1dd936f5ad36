"""Reminders to WeCom group robots: markdown, ≤4,096 bytes a message, ≤20 a minute a robot."""

import logging
from typing import Any

import aiohttp
from aiolimiter import AsyncLimiter
from tenacity import wait_fixed

from bot.message_split import split_text, utf8_size
from bot.retrying import retrying
from bot.wecom.api import TOO_FREQUENT, WeComAPI, WeComError
from jobs.reminder_channel import Failed
from jobs.reminder_text import ReminderMessage
from store.chats import mask_secret

log = logging.getLogger(__name__)
MAX_BYTES = 4096


def reminder_markdown(message: ReminderMessage) -> str:
    return "\n".join([f"**{message.title}**", *(f"> {line}" for line in message.lines)])


class RobotBusy(Exception):
    """errcode 45009: the robot's 20 messages a minute are used up."""


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

    async def _post(self, key: str, payload: dict[str, Any]) -> None:
        """Post once; a busy robot (45009) is waited for `busy_wait` and tried again."""
        attempts = retrying(
            f"robot {mask_secret(key)}",
            self.busy_retries + 1,
            wait_fixed(self.busy_wait),
            lambda error: isinstance(error, RobotBusy),
        )
        try:
            await attempts(self._post_once, key, payload)
        except RobotBusy as busy:
            log.warning("robot %s answered errcode %s: %s", mask_secret(key), TOO_FREQUENT, busy)
            raise Failed(f"robot {mask_secret(key)}: errcode {TOO_FREQUENT}") from None

    async def _post_once(self, key: str, payload: dict[str, Any]) -> None:
        async with self._limiter(key):
            try:
                answer = await self.api.robot(key, payload)
            except (aiohttp.ClientError, TimeoutError, WeComError) as error:
                raise Failed(f"robot {mask_secret(key)}: {error}") from None
        code = answer.get("errcode", -1)
        if code == TOO_FREQUENT:
            raise RobotBusy(answer.get("errmsg", ""))
        if code != 0:
            log.warning(
                "robot %s answered errcode %s: %s", mask_secret(key), code, answer.get("errmsg")
            )
            raise Failed(f"robot {mask_secret(key)}: errcode {code}")
