"""Reminders through Telegram: the jobs/ channel protocol on python-telegram-bot's ExtBot."""

import html

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.html_split import split_html
from bot.tg.formatting import LIMIT
from bot.tg.limits import steady_limiter
from bot.tls import httpx_options
from jobs.reminder_channel import Failed, Rejected
from jobs.reminder_text import ReminderMessage

BOT_API_URL = "https://api.telegram.org/bot"  # python-telegram-bot's default

GONE = (
    "chat not found",
    "bot was kicked",
    "bot was blocked",
    "user is deactivated",
    "have no rights to send",
    "not enough rights",
)


def reminder_html(message: ReminderMessage) -> str:
    return "\n".join(
        [f"<b>{html.escape(message.title)}</b>", *(html.escape(line) for line in message.lines)]
    )


class TelegramChannel:
    """Sends reminders with the bot; flood limits through the rate limiter."""

    prefix = "telegram"

    def __init__(self, bot: ExtBot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        try:
            for piece in split_html(reminder_html(message), LIMIT):
                await self.bot.send_message(chat_id=int(chat_id), text=piece, parse_mode="HTML")
        except Forbidden as error:
            raise Rejected(str(error)) from None
        except BadRequest as error:
            if any(words in str(error).lower() for words in GONE):
                raise Rejected(str(error)) from None
            raise Failed(str(error)) from None
        except (RetryAfter, NetworkError, TelegramError) as error:
            raise Failed(f"{type(error).__name__}: {error}") from None


def reminder_bot(
    token: str,
    base_url: str | None,
    read_timeout: float = 10.0,
    retry_base_wait: float = 0.5,
    per_second: float = 28.0,
    group_interval: float = 3.05,
) -> ExtBot:
    """A bot for sending reminders outside the Application (targetbot reminders --send-due),
    with a connection pool for many sends in flight; failed sends retried after
    `retry_base_wait`, 2×, 4×… seconds. It never calls getUpdates: its one request object
    (one connection pool, on the process's TLS context) fills both of the bot's slots."""
    request = HTTPXRequest(
        connection_pool_size=64,
        pool_timeout=60.0,
        read_timeout=read_timeout,
        httpx_kwargs=httpx_options(),
    )
    return ExtBot(
        token=token,
        base_url=base_url.rstrip("/") if base_url else BOT_API_URL,
        rate_limiter=steady_limiter(retry_base_wait, per_second, group_interval),
        request=request,
        get_updates_request=request,
    )
