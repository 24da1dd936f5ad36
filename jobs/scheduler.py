"""APScheduler in the bot's event loop: a job at each reminder time, a sweep, catch-up at start."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlmodel import Session

from jobs.delivery import Deliverer, Outcome
from jobs.plan_inputs import plan
from jobs.planning import upcoming
from store.queries import store_version, subscriptions_version

log = logging.getLogger(__name__)
MISFIRE_GRACE = int(timedelta(hours=12).total_seconds())


def plan_version(engine: Engine) -> tuple:
    """Changes when documents or subscriptions change."""
    with Session(engine) as session:
        return (*store_version(session), *subscriptions_version(session))


class ReminderScheduler:
    """Keeps one date job per upcoming reminder time; every job sends whatever is due."""

    def __init__(
        self,
        deliverer: Deliverer,
        engine: Engine,
        zone: ZoneInfo,
        clock: Callable[[], datetime],
        sweep_seconds: int = 60,
    ) -> None:
        self.deliverer, self.engine, self.zone, self.clock = deliverer, engine, zone, clock
        self.sweep_seconds = sweep_seconds
        self.scheduler: AsyncIOScheduler | None = None
        self.version: tuple | None = None
        self.lock = asyncio.Lock()

    def start(self, paused: bool = False) -> None:
        """Start in the running loop; the first sweep (catch-up) runs at once.

        `paused` plans the jobs without running them (tests drive fire/sweep by hand)."""
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=self.zone)
        self.scheduler.start(paused=paused)
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=self.sweep_seconds),
            id="sweep",
            next_run_time=self.clock(),
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE,
            max_instances=1,
        )
        self.rebuild()

    async def stop(self) -> None:
        """Stop planning; a pass already sending is let finish."""
        if self.scheduler and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        async with self.lock:
            pass

    def rebuild(self) -> None:
        """One date job per distinct upcoming fire time, from the database as it is now."""
        assert self.scheduler is not None
        self.version = plan_version(self.engine)
        for job in self.scheduler.get_jobs():
            if job.id.startswith("fire-"):
                job.remove()
        with Session(self.engine) as session:
            times = sorted({r.fire_at for r in upcoming(plan(session, self.zone), self.clock())})
        for moment in times[:500]:
            self.scheduler.add_job(
                self.fire,
                DateTrigger(run_date=moment),
                id=f"fire-{moment.isoformat()}",
                misfire_grace_time=MISFIRE_GRACE,
                coalesce=True,
                replace_existing=True,
            )
        log.info("reminder schedule rebuilt: %d upcoming reminder times", len(times))

    def fire_times(self) -> list[datetime]:
        assert self.scheduler is not None
        return sorted(
            job.next_run_time for job in self.scheduler.get_jobs() if job.id.startswith("fire-")
        )

    async def fire(self) -> Outcome:
        """Send what is due now (one pass at a time in this process)."""
        async with self.lock:
            outcome = await self.deliverer.send_due(self.clock())
        if outcome.sent or outcome.failed or outcome.rejected:
            log.info(
                "reminders: %d sent, %d failed, %d rejected, %d skipped",
                len(outcome.sent),
                len(outcome.failed),
                len(outcome.rejected),
                outcome.skipped,
            )
        return outcome

    async def sweep(self) -> Outcome:
        """Rebuild when documents or subscriptions changed, then send whatever is due."""
        if plan_version(self.engine) != self.version:
            self.rebuild()
        return await self.fire()
