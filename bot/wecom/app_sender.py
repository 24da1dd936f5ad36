"""Reminders to users of the self-built app (`wecomapp:<user id>`), through message/send."""

import aiohttp

from bot.message_split import split_text, utf8_size
from bot.wecom.api import WeComAPI, WeComError
from jobs.reminder_channel import Failed, Rejected
from jobs.reminder_text import ReminderMessage

TEXT_LIMIT = 2048
GONE = {60111, 81013, 60020}  # user not found / not in the app's range


class AppChannel:
    """Sends a reminder as text messages of at most 2,048 bytes."""

    prefix = "wecomapp"

    def __init__(self, api: WeComAPI) -> None:
        self.api = api

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        try:
            for piece in split_text(message.plain(), TEXT_LIMIT, utf8_size):
                await self.api.send_text(chat_id, piece)
        except WeComError as error:
            if error.errcode in GONE:
                raise Rejected(str(error)) from None
            raise Failed(str(error)) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Failed(f"{type(error).__name__}: {error}") from None
