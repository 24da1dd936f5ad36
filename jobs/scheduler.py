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
from store.offloop import in_thread, transient
from store.queries import store_version, subscriptions_version

log = logging.getLogger(__name__)
MISFIRE_GRACE = int(timedelta(hours=12).total_seconds())
QUERY_DEADLINE = 30.0


def plan_version(engine: Engine) -> tuple:
    """Changes when documents or subscriptions change."""
    with Session(engine) as session:
        return (*store_version(session), *subscriptions_version(session))


class ReminderScheduler:
    """Keeps one date job per upcoming reminder time; every job sends whatever is due.
    Database work runs in threads, so a slow or silent database never holds the event loop."""

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
        self.stopping = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last: Outcome | None = None  # the latest pass, for the summary at shutdown
        self.rebuilds: set[asyncio.Task] = set()

    async def start(self, paused: bool = False) -> None:
        """Plan, then start in the running loop; the first sweep (catch-up) runs at once.

        `paused` plans the jobs without running them (tests drive fire/sweep by hand)."""
        self.loop = asyncio.get_running_loop()
        self.scheduler = AsyncIOScheduler(event_loop=self.loop, timezone=self.zone)
        self.scheduler.start(paused=paused)
        await self.rebuild()
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=self.sweep_seconds),
            id="sweep",
            next_run_time=self.clock(),
            coalesce=True,
            misfire_grace_time=MISFIRE_GRACE,
            max_instances=1,
        )

    async def stop(self) -> Outcome | None:
        """Stop planning and end a pass in progress gracefully: its in-flight sends finish and
        are recorded, its unsent claims are released. The scheduler is shut down only then
        (APScheduler's shutdown cancels running jobs)."""
        self.stopping.set()
        if self.scheduler and self.scheduler.running:
            self.scheduler.pause()
        async with self.lock:  # held by a sweep or a pass in progress until it has ended
            outcome = self.last if self.last and self.last.stopped else None
        await asyncio.gather(*self.rebuilds, return_exceptions=True)
        if self.scheduler and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        return outcome

    def request_rebuild(self) -> None:
        """Plan again soon (subscriptions or documents changed); safe from any thread."""
        if self.loop and not self.stopping.is_set():
            self.loop.call_soon_threadsafe(self._rebuild_soon)

    def _rebuild_soon(self) -> None:
        task = asyncio.ensure_future(self.rebuild())
        self.rebuilds.add(task)
        task.add_done_callback(self.rebuilds.discard)

    async def rebuild(self) -> None:
        """One date job per distinct upcoming fire time, from the database as it is now."""
        try:
            version, times = await in_thread(QUERY_DEADLINE, self._read_plan)
        except Exception as error:
            if not transient(error):
                raise
            log.warning("reminder schedule not rebuilt, database unavailable: %s", error)
            return
        self._place_jobs(version, times)

    def _read_plan(self) -> tuple[tuple, list[datetime]]:
        version = plan_version(self.engine)
        with Session(self.engine) as session:
            times = sorted({r.fire_at for r in upcoming(plan(session, self.zone), self.clock())})
        return version, times

    def _place_jobs(self, version: tuple, times: list[datetime]) -> None:
        if self.scheduler is None or self.stopping.is_set():
            return
        self.version = version
        for job in self.scheduler.get_jobs():
            if job.id.startswith("fire-"):
                job.remove()
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
            return await self._pass()

    async def sweep(self) -> Outcome:
        """Rebuild when documents or subscriptions changed, then send whatever is due."""
        async with self.lock:
            if self.stopping.is_set():
                return Outcome(stopped=True)
            try:
                version = await in_thread(QUERY_DEADLINE, plan_version, self.engine)
            except Exception as error:
                if not transient(error):
                    raise
                log.warning("reminder sweep skipped, database unavailable: %s", error)
                return Outcome()
            if version != self.version:
                await self.rebuild()
            return await self._pass()

    async def _pass(self) -> Outcome:
        if self.stopping.is_set():
            return Outcome(stopped=True)
        outcome = await self.deliverer.send_due(self.clock(), self.stopping)
        self.last = outcome
        if outcome.busy() or outcome.stranded:
            log.info("reminders: %s", outcome.summary())
        if outcome.gave_up:
            log.error("reminder pass stopped: %s", outcome.gave_up)
        return outcome
