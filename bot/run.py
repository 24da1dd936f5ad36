"""`targetbot run`: every configured channel (and, later, the scheduler) in one event loop."""

import asyncio
import contextlib
import logging
import signal
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.assistant import Assistant
from bot.console import run_console
from bot.settings import Settings
from handlers.language import DATA_DIR
from jobs.delivery import Deliverer
from jobs.scheduler import ReminderScheduler
from store.importer import import_document
from store.models import Project
from store.reading import parse_file

log = logging.getLogger(__name__)
SAMPLE = DATA_DIR / "qingdao-2022.txt"


def configure_logging() -> None:
    """Plain logs on stderr; httpx's request lines would print the bot token, so they stay quiet."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "httpcore", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def load_sample_if_empty(engine: Engine, sample: Path = SAMPLE) -> bool:
    """Import the bundled sample into an empty store; True when it did."""
    with Session(engine) as session:
        if session.exec(select(Project.id).limit(1)).first() is not None:
            return False
    import_document(engine, parse_file(sample))
    return True


async def serve_telegram(settings: Settings, assistant: Assistant, stop: asyncio.Event) -> None:
    """Run the Telegram bot (polling, or webhook when TELEGRAM_WEBHOOK_URL is set) and the
    reminder scheduler in this loop, until stop."""
    from bot.tg.app import build_application, start_polling, start_webhook, stop_polling
    from bot.tg.channel import TelegramChannel

    application = build_application(settings, assistant)
    async with application:
        if settings.telegram_webhook_url:
            await start_webhook(application, settings)
        else:
            await start_polling(application)
        log.info("Telegram channel running as @%s", application.bot.username)
        scheduler = start_scheduler(settings, assistant, [TelegramChannel(application.bot)])
        await stop.wait()
        await scheduler.stop()
        await stop_polling(application)


def start_scheduler(settings: Settings, assistant: Assistant, channels: list) -> ReminderScheduler:
    """Reminders through the given channels; rebuilt whenever a chat changes its subscription."""
    deliverer = Deliverer(
        assistant.engine,
        channels,
        assistant.zone,
        timedelta(seconds=settings.reminder_claim_timeout),
    )
    scheduler = ReminderScheduler(deliverer, assistant.engine, assistant.zone, assistant.now)
    scheduler.start()
    assistant.on_change.append(scheduler.rebuild)
    return scheduler


async def serve(settings: Settings, engine: Engine) -> None:
    """Start the configured channels; the console when none is configured."""
    assistant = Assistant(engine, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if settings.telegram_bot_token:
        await serve_telegram(settings, assistant, stop)
        return
    if load_sample_if_empty(engine):
        print(
            f"数据库为空，已载入示例文件 {SAMPLE.name}。The store was empty: loaded the bundled "
            f"sample {SAMPLE.name}.",
            flush=True,
        )
    await run_console(assistant)


def run(settings: Settings, engine: Engine) -> int:
    """Entry point of `targetbot run`."""
    configure_logging()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings, engine))
    sys.stdout.flush()
    return 0
