"""The reminder channels configured in the settings: Telegram, WeCom group robots, the WeCom app."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from jobs.reminder_channel import Channel
from jobs.reminder_text import ReminderMessage

if TYPE_CHECKING:
    import aiohttp

    from bot.wecom.api import WeComAPI
    from bot.wecom.robot_sender import RobotChannel


class ChannelUnavailable(Exception):
    """A configured channel cannot be opened (its service unreachable, its token refused)."""


def wecom_app_configured(settings: Settings) -> bool:
    """All five settings of a self-built app are there."""
    return all(
        [
            settings.wecom_corp_id,
            settings.wecom_agent_id,
            settings.wecom_secret,
            settings.wecom_token,
            settings.wecom_aes_key,
        ]
    )


def wecom_api(settings: Settings, session: "aiohttp.ClientSession") -> "WeComAPI":
    from bot.wecom.api import WeComAPI

    secret = settings.wecom_secret.get_secret_value() if settings.wecom_secret else None
    return WeComAPI(
        settings.wecom_api_base_url,
        session,
        settings.wecom_corp_id,
        secret,
        settings.wecom_agent_id,
    )


def missing_settings(chat: str) -> str:
    """The settings a process needs to send to `chat` (its service)."""
    service = chat.partition(":")[0]
    if service == "telegram":
        return "TELEGRAM_BOT_TOKEN"
    if service == "wecomapp":
        return "WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_AES_KEY"
    return "a channel for this kind of chat"


class GroupRobots:
    """The group robots' channel (bot.wecom.robot_sender), made at its first send with the
    WeCom API: a process with no robot to remind never loads aiohttp."""

    prefix = "wecom"

    def __init__(self, open_api: Callable[[], Awaitable["WeComAPI"]]) -> None:
        self.open_api = open_api
        self.channel: RobotChannel | None = None
        self.opening = asyncio.Lock()

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        if self.channel is None:
            async with self.opening:
                if self.channel is None:
                    from bot.wecom.robot_sender import RobotChannel

                    self.channel = RobotChannel(await self.open_api())
        await self.channel.send(chat_id, message)


@asynccontextmanager
async def open_channels(settings: Settings, telegram_bot=None) -> AsyncIterator[list[Channel]]:
    """Every reminder channel, open for the block: group robots always (their keys are the chat
    ids), the app when configured, Telegram with `telegram_bot` or a bot of its own. The WeCom
    API's HTTP session opens with the app channel, or at the first robot send."""
    async with AsyncExitStack() as stack:
        apis: list[WeComAPI] = []

        async def api() -> "WeComAPI":
            if not apis:
                import aiohttp

                session = await stack.enter_async_context(aiohttp.ClientSession())
                apis.append(wecom_api(settings, session))
            return apis[0]

        channels: list[Channel] = [GroupRobots(api)]
        if wecom_app_configured(settings):
            from bot.wecom.app_sender import AppChannel

            channels.append(AppChannel(await api()))
        if telegram_bot is None and settings.telegram_bot_token:
            from bot.tg.reminder_sender import reminder_bot

            telegram_bot = reminder_bot(
                settings.telegram_bot_token.get_secret_value(),
                settings.telegram_api_base_url,
                retry_base_wait=settings.retry_base_wait,
                per_second=settings.telegram_messages_per_second,
                group_interval=60 / settings.telegram_group_messages_per_minute,
            )
            await _open_telegram(stack, telegram_bot)
        if telegram_bot is not None:
            from bot.tg.reminder_sender import TelegramChannel

            channels.append(TelegramChannel(telegram_bot))
        yield channels


async def _open_telegram(stack: AsyncExitStack, telegram_bot: Any) -> None:
    """Initialise the reminder bot (getMe, after the retries); ChannelUnavailable when the Bot
    API cannot be reached or refuses the token."""
    from telegram.error import TelegramError

    try:
        await stack.enter_async_context(telegram_bot)
    except TelegramError as error:
        raise ChannelUnavailable(
            f"the Telegram Bot API cannot be used ({type(error).__name__}: {error})"
        ) from error
