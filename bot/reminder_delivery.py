"""The Deliverer as the settings configure it: lease, shutdown grace, database retries."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.settings import Settings
from jobs.delivery import Deliverer
from jobs.reminder_channel import Channel
from store.monitoring_status import StatusRules
from store.offloop import Retrying


def database_retrying(settings: Settings, give_up_after: float | None) -> Retrying:
    """Backoff from REMINDER_DB_BACKOFF; each attempt bounded by the database timeouts."""
    return Retrying(
        backoff=settings.reminder_db_backoff,
        backoff_max=max(settings.reminder_db_backoff, 10.0),
        give_up_after=give_up_after,
        deadline=settings.database_connect_timeout + settings.database_statement_timeout,
    )


def make_deliverer(
    settings: Settings,
    engine: Engine,
    channels: list[Channel],
    give_up_after: float | None,
    rules: StatusRules | None = None,
    monitoring_due: str | None = None,
) -> Deliverer:
    """`give_up_after` None: retry the database for as long as it takes (the bot)."""
    return Deliverer(
        engine,
        channels,
        ZoneInfo(settings.targetbot_tz),
        lease=timedelta(seconds=settings.reminder_lease_seconds),
        concurrency=settings.reminder_concurrency,
        shutdown_grace=settings.reminder_shutdown_grace,
        retrying=database_retrying(settings, give_up_after),
        rules=rules,
        monitoring_due=monitoring_due,
    )
