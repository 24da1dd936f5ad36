"""The reminder channels configured in the settings (Telegram, WeCom group robots)."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.settings import Settings
from jobs.channels import Channel


@asynccontextmanager
async def open_channels(settings: Settings) -> AsyncIterator[list[Channel]]:
    """Every configured channel, initialised for the block and closed after it."""
    channels: list[Channel] = []
    async with AsyncExitStack() as stack:
        if settings.telegram_bot_token:
            from bot.tg.channel import TelegramChannel, reminder_bot

            bot = reminder_bot(
                settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
            )
            await stack.enter_async_context(bot)
            channels.append(TelegramChannel(bot))
        yield channels
