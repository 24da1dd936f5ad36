"""Send what is due, exactly once: claim under a lease, send, record before going on."""

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from jobs import claims, leases
from jobs.claims import Claims, Result
from jobs.leases import Lease
from jobs.monitoring_reminders import (
    MONITORING,
    checkpoint_facts,
    monitoring_message,
    monitoring_reminders,
)
from jobs.plan_inputs import plan
from jobs.planning import CHECKPOINT, Reminder, due
from jobs.reminder_channel import Channel, Failed, Rejected
from jobs.reminder_text import ReminderMessage, compose
from jobs.warning_delivery import send_warnings
from store.chats import masked_chat, split_chat
from store.monitoring_status import StatusRules
from store.offloop import Retrying, StoreUnavailable

log = logging.getLogger(__name__)

# Warning claims are not renewed: a claim this old is taken as left by a dead sender.


@dataclass
class Outcome:
    """What one pass of send_due did."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: int = 0
    no_channel: int = 0
    unreachable: list[str] = field(default_factory=list)  # chats with no channel configured
    held_elsewhere: int = 0  # claimed by another live sender
    done_elsewhere: int = 0  # already sent (or skipped, rejected) by an earlier pass
    stranded: int = 0  # left by a dead sender (lease ran out): taken over and sent here
    released: int = 0  # claimed but not sent (shutdown, or the database gave out): given back
    lost: int = 0  # taken over by another sender while this one could not renew its lease
    unrecorded: int = 0  # sent, but the database never came back to record it
    stopped: bool = False  # a shutdown cut the pass short
    gave_up: str | None = None  # why the pass stopped on database errors
    warned: list[str] = field(default_factory=list)  # chats sent a light-change warning

    def summary(self) -> str:
        return (
            f"sent {len(self.sent)}, failed {len(self.failed)}, rejected {len(self.rejected)}, "
            f"skipped {self.skipped}, held by a live sender {self.held_elsewhere}, "
            f"already done {self.done_elsewhere}, taken over from a dead sender "
            f"{self.stranded}, released unsent {self.released}, not recorded "
            f"{self.unrecorded}, no channel {self.no_channel}, warnings {len(self.warned)}"
        )

    def busy(self) -> bool:
        return bool(
            self.sent
            or self.failed
            or self.rejected
            or self.released
            or self.gave_up
            or self.warned
        )


class Deliverer:
    """One pass over due reminders; safe to run in many processes at once."""

    def __init__(
        self,
        engine: Engine,
        channels: list[Channel],
        zone: ZoneInfo,
        lease: timedelta = timedelta(seconds=30),
        concurrency: int = 64,
        shutdown_grace: float = 20.0,
        retrying: Retrying | None = None,
        rules: StatusRules | None = None,
        monitoring_due: str | None = None,
    ) -> None:
        self.rules = rules or StatusRules()
        self.monitoring_due = monitoring_due
        self.messages: dict[tuple, ReminderMessage] = {}
        self.engine = engine
        self.channels = {channel.prefix: channel for channel in channels}
        self.zone = zone
        self.lease = Lease(leases.sender_id(), lease)
        self.concurrency = concurrency
        self.shutdown_grace = shutdown_grace
        self.retrying = retrying or Retrying()

    def channel_for(self, chat: str) -> Channel | None:
        return self.channels.get(split_chat(chat)[0])

    def _plan(self, now: datetime) -> list[Reminder]:
        with Session(self.engine) as session:
            reminders = plan(session, self.zone)
            year = now.astimezone(self.zone).year
            return reminders + monitoring_reminders(session, self.zone, self.monitoring_due, year)

    def _messages(self, reminders: list[Reminder], now: datetime) -> dict[tuple, ReminderMessage]:
        with Session(self.engine) as session:
            return {r.key: self._message(session, r, now) for r in reminders}

    def _message(self, session: Session, reminder: Reminder, now: datetime) -> ReminderMessage:
        """The text of a reminder, with the latest actuals of a checkpoint's projects."""
        if reminder.kind == MONITORING:
            return monitoring_message(session, reminder, now)
        message = compose(reminder, now)
        if reminder.kind != CHECKPOINT:
            return message
        facts = checkpoint_facts(session, reminder, now, self.rules)
        return ReminderMessage(message.title, message.lines + facts)

    async def send_due(self, now: datetime, stop: asyncio.Event | None = None) -> Outcome:
        """Send every reminder due at `now` that no one has sent; skip the ones too late.
        Setting `stop` ends the pass early: in-flight sends finish (up to the grace period) and
        are recorded, unsent claims are released."""
        stop = stop or asyncio.Event()
        outcome = Outcome()
        db = self.retrying
        try:
            to_send, too_late = due(await db.call(self._plan, now), now)
            outcome.skipped = await db.call(claims.skip, self.engine, too_late, now)
            reachable = [r for r in to_send if self.channel_for(r.chat)]
            outcome.no_channel = len(to_send) - len(reachable)
            outcome.unreachable = sorted({r.chat for r in to_send if not self.channel_for(r.chat)})
            if stop.is_set():
                outcome.stopped = True
                return outcome
            if reachable:
                await self._send_reminders(reachable, now, outcome, stop)
        except StoreUnavailable as error:
            outcome.gave_up = str(error)
            return outcome
        await self._warn(now, outcome, stop)
        return outcome

    async def _send_reminders(
        self, reachable: list[Reminder], now: datetime, outcome: Outcome, stop: asyncio.Event
    ) -> None:
        """Claim the reminders, compose the won ones (with monitoring facts), fan them out."""
        found = await self.retrying.call(claims.claim, self.engine, reachable, now, self.lease)
        won = [r for r in reachable if r.key in found.won]
        self.messages = await self.retrying.call(self._messages, won, now)
        _count_claims(outcome, found)
        queue = deque((r, found.won[r.key]) for r in won)
        await FanOut(self, queue, now, outcome, stop).run()

    async def _warn(self, now: datetime, outcome: Outcome, stop: asyncio.Event) -> None:
        """The light-change warnings, once the reminders are done; not after a stop."""
        if stop.is_set() or outcome.gave_up:
            return
        try:
            warnings = await send_warnings(
                self.engine,
                self.channel_for,
                self.rules,
                now,
                self.lease,
                self.retrying,
                stop,
            )
        except StoreUnavailable as error:
            outcome.gave_up = str(error)
            return
        outcome.warned = warnings.warned
        outcome.released += warnings.released
        outcome.lost += warnings.lost
        outcome.failed += warnings.failed

    async def attempt(self, reminder: Reminder, token: str, now: datetime) -> Result:
        """Send one reminder through its channel; what happened, to be recorded."""
        channel = self.channel_for(reminder.chat)
        assert channel is not None
        chat_id = split_chat(reminder.chat)[1]
        try:
            message = self.messages.get(reminder.key) or compose(reminder, now)
            await channel.send(chat_id, message)
        except Rejected as error:
            log.warning(
                "%s rejected the reminder (%s); subscription deactivated",
                masked_chat(reminder.chat),
                error,
            )
            return Result(reminder, token, claims.REJECTED, str(error))
        except Failed as error:
            log.warning("reminder to %s failed, will retry: %s", masked_chat(reminder.chat), error)
            return Result(reminder, token, leases.FAILED, str(error))
        except Exception as error:  # one chat's trouble must not stop the fan-out
            log.exception("reminder to %s failed unexpectedly", masked_chat(reminder.chat))
            return Result(reminder, token, leases.FAILED, repr(error))
        return Result(reminder, token, claims.SENT)


def _count_claims(outcome: Outcome, found: Claims) -> None:
    outcome.held_elsewhere = found.held_elsewhere
    outcome.done_elsewhere = found.done_elsewhere
    outcome.stranded = found.stranded
    if found.stranded:
        log.warning("took over %d reminders stranded by a sender that died", found.stranded)


class FanOut:
    """The sends of one pass. Results are recorded before more sends start: while the database
    cannot take them they wait in memory (sending paused), written with backoff when it is back;
    the lease is renewed meanwhile, and claims lost during an outage are not sent."""

    def __init__(self, deliverer: Deliverer, queue: deque, now: datetime, outcome, stop) -> None:
        self.deliverer, self.queue, self.now, self.outcome, self.stop = (
            deliverer,
            queue,
            now,
            outcome,
            stop,
        )
        self.engine, self.db, self.lease = deliverer.engine, deliverer.retrying, deliverer.lease
        self.pending: list[Result] = []
        self.paused = False
        self.gate = asyncio.Lock()
        self.renewed = asyncio.get_running_loop().time()
        self.in_flight: dict[asyncio.Task, tuple[Reminder, str]] = {}

    async def run(self) -> None:
        keeper = asyncio.create_task(self._keep_lease())
        workers = [
            asyncio.create_task(self._work())
            for _ in range(min(self.deliverer.concurrency, len(self.queue)))
        ]
        try:
            await self._wait(workers)
        except StoreUnavailable as error:
            self.outcome.gave_up = str(error)
        finally:
            keeper.cancel()
            for worker in workers:
                worker.cancel()
            await asyncio.gather(keeper, *workers, return_exceptions=True)
        await self._wind_up()

    async def _wait(self, workers: list[asyncio.Task]) -> None:
        stopping = asyncio.create_task(self.stop.wait())
        everything = asyncio.gather(*workers)
        try:
            await asyncio.wait({stopping, everything}, return_when=asyncio.FIRST_COMPLETED)
            if not everything.done():
                self.outcome.stopped = True
                log.info("stopping: letting %d sends in flight finish", len(self.in_flight))
                await asyncio.wait(workers, timeout=self.deliverer.shutdown_grace)
            if everything.done():
                everything.result()
        finally:
            stopping.cancel()

    async def _work(self) -> None:
        while self.queue and not self.stop.is_set():
            await self._ready()
            if not self.queue or self.stop.is_set():
                return
            reminder, token = self.queue.popleft()
            task = asyncio.current_task()
            assert task is not None
            self.in_flight[task] = (reminder, token)  # kept if the send is cut short
            result = await self.deliverer.attempt(reminder, token, self.now)
            del self.in_flight[task]
            self.pending.append(result)
            await self._ready()

    async def _ready(self) -> None:
        """Wait until every result so far is recorded and the lease is fresh."""
        async with self.gate:
            if self.pending:
                await self._flush()
            loop = asyncio.get_running_loop()
            if loop.time() - self.renewed > self.lease.period.total_seconds() / 2:
                await self._renew()

    def _paused(self, error: BaseException) -> None:
        if not self.paused:
            self.paused = True
            log.warning(
                "database unavailable: sending paused, %d results kept in memory",
                len(self.pending),
            )

    async def _flush(self, give_up_after: float | None = None) -> None:
        while self.pending:
            batch = list(self.pending)
            written = await self.db.call(
                claims.record,
                self.engine,
                batch,
                self.now,
                on_error=self._paused,
                give_up_after=give_up_after,
            )
            del self.pending[: len(batch)]
            self._count(batch, written)
            if self.paused:
                self.paused = False
                log.warning("database back: results recorded, sending resumed")

    def _count(self, batch: list[Result], written) -> None:
        lists = {
            claims.SENT: self.outcome.sent,
            leases.FAILED: self.outcome.failed,
            claims.REJECTED: self.outcome.rejected,
        }
        for result in batch:
            lists[result.status].append(result.reminder.chat)
        if sum(written.values()) < len(batch):
            log.warning(
                "%d results were recorded after another sender took the claims over",
                len(batch) - sum(written.values()),
            )

    async def _renew(self) -> None:
        held = await self.db.call(claims.renew, self.engine, self.lease, on_error=self._paused)
        self.renewed = asyncio.get_running_loop().time()
        mine = [(r, t) for r, t in self.queue if r.key in held]
        if len(mine) < len(self.queue):
            self.outcome.lost += len(self.queue) - len(mine)
            log.warning(
                "%d claims were taken over while the database was unreachable; not sending them",
                len(self.queue) - len(mine),
            )
            self.queue.clear()
            self.queue.extend(mine)

    async def _keep_lease(self) -> None:
        period = self.lease.period.total_seconds()
        while True:
            await asyncio.sleep(period / 3)
            async with self.gate:
                await self._renew()

    async def _wind_up(self) -> None:
        """Record what was sent, release what was not; bounded when giving up or stopping."""
        cut = list(self.in_flight.values())
        unsent = list(self.queue) + cut
        bound = self.deliverer.shutdown_grace if not self.outcome.gave_up else 0.0
        try:
            await self._flush(give_up_after=bound)
            if unsent:
                reason = "shutdown" if self.outcome.stopped else "database unavailable"
                await self.db.call(claims.release, self.engine, unsent, reason, give_up_after=bound)
                self.outcome.released = len(unsent)
        except StoreUnavailable as error:
            self.outcome.gave_up = self.outcome.gave_up or str(error)
            self.outcome.unrecorded = sum(r.status == claims.SENT for r in self.pending)
            log.error(
                "database unavailable: %d sent reminders could not be recorded; they will be "
                "sent again when their lease runs out",
                self.outcome.unrecorded,
            )
        if cut:
            log.warning("%d sends cut short by the shutdown; released for the next pass", len(cut))
