"""`targetbot run`: every configured channel and the reminder scheduler, in one event loop."""

import asyncio
import contextlib
import logging
import signal
import sys
from contextlib import AsyncExitStack
from importlib.resources import files
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.assistant import Assistant
from bot.console import run_console
from bot.reminder_channels import open_channels, wecom_api, wecom_app_configured
from bot.reminder_delivery import make_deliverer
from bot.settings import Settings
from jobs.scheduler import ReminderScheduler
from store.messages import say
from store.models import Project

log = logging.getLogger(__name__)
SAMPLE = Path(str(files("bot").joinpath("sample", "qingdao-2022.txt")))


def configure_logging(quiet: bool) -> None:
    """Plain logs on stderr (only warnings under the console chat); httpx's request lines would
    print the bot token, so they stay quiet."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "apscheduler.executors.default", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def load_sample_if_empty(engine: Engine, sample: Path = SAMPLE) -> bool:
    """Import the bundled sample into an empty store; True when it did."""
    with Session(engine) as session:
        if session.exec(select(Project.id).limit(1)).first() is not None:
            return False
    # the readers (docx, openpyxl, pdfplumber) load only here and for an uploaded document
    from store.documents import parse_file
    from store.importer import import_document

    import_document(engine, parse_file(sample))
    return True


class TokenRefused(Exception):
    """The Bot API answered 401: TELEGRAM_BOT_TOKEN is not a bot's token."""


class Stopped(Exception):
    """A signal asked the process to stop before the channels were up."""


async def initialize_telegram(application, base_wait: float, stop: asyncio.Event) -> None:
    """getMe until the Bot API answers: an unreachable one is tried again with backoff (one log
    line per attempt, forever, until a signal); a refused token raises TokenRefused at once."""
    from telegram.error import InvalidToken, NetworkError

    wait = max(base_wait, 0.01)
    while True:
        try:
            await application.initialize()
            return
        except InvalidToken:
            raise TokenRefused from None
        except NetworkError as error:
            log.warning("the Bot API is unreachable (%s); trying again in %.1fs", error, wait)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
        if stop.is_set():
            raise Stopped
        wait = min(wait * 2, 60.0)


async def start_telegram(
    settings: Settings, assistant: Assistant, stack: AsyncExitStack, stop: asyncio.Event
):
    """The Telegram bot (polling, or webhook when TELEGRAM_WEBHOOK_URL is set); its bot."""
    from bot.tg.app import build_application, start_polling, start_webhook, stop_updates

    application = build_application(settings, assistant)
    await initialize_telegram(application, settings.retry_base_wait, stop)
    stack.push_async_callback(application.shutdown)
    if settings.telegram_webhook_url:
        await start_webhook(application, settings)
    else:
        await start_polling(application)
    stack.push_async_callback(stop_updates, application)
    log.info("Telegram channel running as @%s", application.bot.username)
    return application.bot


async def start_wecom_app(settings: Settings, assistant: Assistant, stack: AsyncExitStack) -> None:
    """The self-built app's callback on WECOM_CALLBACK_HOST:WECOM_CALLBACK_PORT."""
    import aiohttp

    from bot.wecom.callback import Callback, start_callback
    from bot.wecom.crypto import WeComCrypto

    assert settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id
    session = await stack.enter_async_context(aiohttp.ClientSession())
    crypto = WeComCrypto(
        settings.wecom_token.get_secret_value(),
        settings.wecom_aes_key.get_secret_value(),
        settings.wecom_corp_id,
    )
    runner = await start_callback(
        Callback(crypto, assistant, wecom_api(settings, session)),
        settings.wecom_callback_host,
        settings.wecom_callback_port,
    )
    stack.push_async_callback(runner.cleanup)


async def start_scheduler(
    settings: Settings, assistant: Assistant, stack: AsyncExitStack, telegram_bot=None
) -> ReminderScheduler:
    """Reminders through every channel; rebuilt whenever a chat changes its subscription.
    Stopped first at shutdown: the pass in progress ends gracefully while channels are open."""
    channels = await stack.enter_async_context(open_channels(settings, telegram_bot))
    deliverer = make_deliverer(
        settings,
        assistant.engine,
        channels,
        give_up_after=None,
        rules=assistant.rules(),
        monitoring_due=settings.monitoring_due,
    )
    scheduler = ReminderScheduler(deliverer, assistant.engine, assistant.zone, assistant.now)
    await scheduler.start()
    stack.push_async_callback(stop_scheduler, scheduler)
    assistant.on_change.append(scheduler.request_rebuild)
    return scheduler


async def stop_scheduler(scheduler: ReminderScheduler) -> None:
    """Stop reminders gracefully; log what the interrupted pass did."""
    outcome = await scheduler.stop()
    if outcome is not None:
        log.info("reminders stopped mid pass: %s", outcome.summary())


async def serve(settings: Settings, engine: Engine) -> None:
    """Start the configured channels and the scheduler; the console when no channel is set up."""
    assistant = Assistant(engine, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with AsyncExitStack() as stack:
        bot = None
        if settings.telegram_bot_token:
            bot = await start_telegram(settings, assistant, stack, stop)
        if wecom_app_configured(settings):
            await start_wecom_app(settings, assistant, stack)
        chat_channel = bot is not None or wecom_app_configured(settings)
        if not chat_channel and load_sample_if_empty(engine):
            loaded = [say(language, "sample_loaded", name=SAMPLE.name) for language in ("zh", "en")]
            print(" ".join(loaded), flush=True)
        await start_scheduler(settings, assistant, stack, bot)
        if chat_channel:
            await stop.wait()
        else:
            await run_console(assistant)


def run(settings: Settings, engine: Engine) -> int:
    """Entry point of `targetbot run`."""
    configure_logging(quiet=not (settings.telegram_bot_token or wecom_app_configured(settings)))
    try:
        with contextlib.suppress(KeyboardInterrupt, Stopped):
            asyncio.run(serve(settings, engine))
    except TokenRefused:
        print(
            "targetbot: the Bot API refused TELEGRAM_BOT_TOKEN (401 Unauthorized): "
            "copy the bot's token from @BotFather",
            file=sys.stderr,
        )
        return 2
    sys.stdout.flush()
    return 0
