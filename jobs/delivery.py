"""Send what is due, exactly once: claim, send through the chat's channel, record."""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from jobs import claims
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
from store.db import unit_of_work
from store.monitoring_status import StatusRules
from store.subscriptions import deactivate

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What one pass of send_due did."""

    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: int = 0
    taken_elsewhere: int = 0
    no_channel: int = 0
    warned: list[str] = field(default_factory=list)


class Deliverer:
    """One pass over due reminders; safe to run in many processes at once."""

    def __init__(
        self,
        engine: Engine,
        channels: list[Channel],
        zone: ZoneInfo,
        claim_timeout: timedelta = timedelta(minutes=10),
        concurrency: int = 64,
        rules: StatusRules | None = None,
        monitoring_due: str | None = None,
    ) -> None:
        self.rules = rules or StatusRules()
        self.monitoring_due = monitoring_due
        self.engine = engine
        self.channels = {channel.prefix: channel for channel in channels}
        self.zone = zone
        self.claim_timeout = claim_timeout
        self.concurrency = concurrency

    def channel_for(self, chat: str) -> Channel | None:
        return self.channels.get(split_chat(chat)[0])

    async def send_due(self, now: datetime) -> Outcome:
        """Send every reminder due at `now` that no one has sent; skip the ones too late."""
        with Session(self.engine) as session:
            reminders = plan(session, self.zone)
            reminders += monitoring_reminders(session, self.zone, self.monitoring_due, now.year)
        to_send, too_late = due(reminders, now)
        outcome = Outcome(skipped=claims.skip(self.engine, too_late, now))
        reachable = [r for r in to_send if self.channel_for(r.chat)]
        outcome.no_channel = len(to_send) - len(reachable)
        won = claims.claim(self.engine, reachable, now, self.claim_timeout)
        outcome.taken_elsewhere = len(reachable) - len(won)
        gate = asyncio.Semaphore(self.concurrency)
        with Session(self.engine) as session:
            texts = {r.key: self._message(session, r, now) for r in reachable if r.key in won}

        async def deliver(reminder: Reminder) -> None:
            async with gate:
                await self._deliver(reminder, won[reminder.key], texts[reminder.key], now, outcome)

        await asyncio.gather(*(deliver(r) for r in reachable if r.key in won))
        warnings = await send_warnings(
            self.engine, self.channel_for, self.rules, now, self.claim_timeout
        )
        outcome.warned, outcome.failed = warnings.warned, outcome.failed + warnings.failed
        return outcome

    def _message(self, session: Session, reminder: Reminder, now: datetime) -> ReminderMessage:
        """The text of a reminder, with the latest actuals of a checkpoint's projects."""
        if reminder.kind == MONITORING:
            return monitoring_message(session, reminder, now)
        message = compose(reminder, now)
        if reminder.kind != CHECKPOINT:
            return message
        facts = checkpoint_facts(session, reminder, now, self.rules)
        return ReminderMessage(message.title, message.lines + facts)

    async def _deliver(
        self,
        reminder: Reminder,
        token: str,
        message: ReminderMessage,
        now: datetime,
        outcome: Outcome,
    ) -> None:
        channel = self.channel_for(reminder.chat)
        assert channel is not None
        chat_id = split_chat(reminder.chat)[1]
        try:
            await channel.send(chat_id, message)
        except Rejected as error:
            log.warning(
                "%s rejected the reminder (%s); subscription deactivated",
                masked_chat(reminder.chat),
                error,
            )
            claims.mark(self.engine, reminder, token, claims.REJECTED, now, str(error))
            with unit_of_work(self.engine) as session:
                deactivate(session, reminder.chat, str(error), now)
            outcome.rejected.append(reminder.chat)
        except Failed as error:
            log.warning("reminder to %s failed, will retry: %s", masked_chat(reminder.chat), error)
            claims.mark(self.engine, reminder, token, claims.FAILED, now, str(error))
            outcome.failed.append(reminder.chat)
        except Exception as error:  # one chat's trouble must not stop the fan-out
            log.exception("reminder to %s failed unexpectedly", masked_chat(reminder.chat))
            claims.mark(self.engine, reminder, token, claims.FAILED, now, repr(error))
            outcome.failed.append(reminder.chat)
        else:
            claims.mark(self.engine, reminder, token, claims.SENT, now)
            outcome.sent.append(reminder.chat)
