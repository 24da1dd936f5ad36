"""The python-telegram-bot Application: built from settings, handlers registered, commands set."""

from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.assistant import Assistant
from bot.settings import Settings
from bot.tg import buttons, callbacks, inline
from bot.tg.access import make_gate
from bot.tg.limits import steady_limiter
from bot.tg.monitoring_callbacks import register_monitoring
from bot.tg.once import once_per_update
from bot.tg.uploads import on_document
from bot.tls import httpx_options
from store.messages import Language, say

COMMANDS = (
    "start",
    "help",
    "projects",
    "plan",
    "next",
    "ask",
    "subscribe",
    "unsubscribe",
    "reminders",
    "actual",
    "progress",
    "chart",
    "monitor",
    "grant",
)


def command_menu(language: Language) -> list[BotCommand]:
    """The commands with their descriptions from the message catalogue."""
    return [BotCommand(name, say(language, f"command_{name}")) for name in COMMANDS]


async def set_commands(application: Application) -> None:
    """post_init: the command menu, Chinese by default and English for English-language users."""
    bot = application.bot
    await bot.set_my_commands(command_menu("zh"))
    await bot.set_my_commands(command_menu("en"), language_code="en")


def build_application(settings: Settings, assistant: Assistant) -> Application:
    """An Application for the configured token and Bot API server, with every handler."""
    assert settings.telegram_bot_token is not None
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .defaults(Defaults(tzinfo=ZoneInfo(settings.targetbot_tz), parse_mode=ParseMode.HTML))
        .rate_limiter(
            steady_limiter(
                settings.retry_base_wait,
                settings.telegram_messages_per_second,
                60 / settings.telegram_group_messages_per_minute,
                resend_after_timeout=False,
            )
        )
        .request(
            HTTPXRequest(
                connection_pool_size=256,  # ApplicationBuilder's own sizes
                read_timeout=settings.telegram_read_timeout,
                httpx_kwargs=httpx_options(),
            )
        )
        .get_updates_request(HTTPXRequest(connection_pool_size=1, httpx_kwargs=httpx_options()))
        .post_init(set_commands)
        .concurrent_updates(32)  # one chat waiting for the store does not hold the others
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    application = builder.build()
    application.bot_data["assistant"] = assistant
    register_handlers(application, set(settings.allowed_chat_ids))
    return application


def register_handlers(application: Application, allowed: set[int]) -> None:
    """Every callback: an update already taken stops first (group -2), then the access gate."""
    application.add_handler(TypeHandler(Update, once_per_update), group=-2)
    application.add_handler(TypeHandler(Update, make_gate(allowed)), group=-1)
    register_monitoring(application)
    application.add_handler(CommandHandler("start", callbacks.on_start))
    application.add_handler(CommandHandler("projects", callbacks.on_projects))
    application.add_handler(CommandHandler(["help", "plan", "next", "ask"], callbacks.on_command))
    application.add_handler(
        CommandHandler(["subscribe", "unsubscribe", "reminders"], callbacks.on_subscription)
    )
    application.add_handler(CallbackQueryHandler(buttons.on_button))
    application.add_handler(InlineQueryHandler(inline.on_inline_query))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, callbacks.on_text))
    application.add_handler(MessageHandler(filters.COMMAND, callbacks.on_command))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    other = filters.ALL & ~filters.TEXT & ~filters.StatusUpdate.ALL
    application.add_handler(MessageHandler(other, callbacks.on_other_message))
    application.add_error_handler(callbacks.on_error)


async def start_polling(application: Application, timeout: int = 10) -> None:
    """Start an initialized Application in the running loop: post_init, handlers, polling.

    (run_polling would own the event loop; the other channels share it.)"""
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=timeout)


async def stop_updates(application: Application) -> None:
    """Stop receiving updates (polling or webhook) and the handlers; shutdown follows when the
    `async with` block ends."""
    assert application.updater is not None
    if application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()


async def start_webhook(application: Application, settings: Settings) -> None:
    """Like start_polling, but Telegram posts updates to TELEGRAM_WEBHOOK_URL."""
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    secret = settings.telegram_webhook_secret
    await application.updater.start_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path="telegram",
        webhook_url=settings.telegram_webhook_url,
        secret_token=secret.get_secret_value() if secret else None,
    )
