"""Delivery: claimed once, sent once, caught up after downtime, retried, rejected, scheduled."""

import asyncio
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.assistant import Assistant
from bot.cli import main
from bot.settings import Settings
from jobs import claims, leases
from jobs.delivery import Deliverer
from jobs.reminder_channel import Failed, Rejected
from jobs.reminder_text import ReminderMessage
from jobs.scheduler import ReminderScheduler
from store.db import unit_of_work
from store.models import Delivery, Subscription
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe

TZ = ZoneInfo("Asia/Shanghai")
TALENT = "37020022P46000910003U"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


class RecordingChannel:
    """A channel that keeps what it was given; some chats reject, some fail for a while."""

    prefix = "telegram"

    def __init__(self) -> None:
        self.sent: list[tuple[str, ReminderMessage]] = []
        self.rejecting: set[str] = set()
        self.failures: dict[str, int] = {}

    async def send(self, chat_id: str, message: ReminderMessage) -> None:
        await asyncio.sleep(0)
        if chat_id in self.rejecting:
            raise Rejected("Forbidden: bot was blocked by the user")
        if self.failures.get(chat_id, 0) > 0:
            self.failures[chat_id] -= 1
            raise Failed("NetworkError: 502 Bad Gateway")
        self.sent.append((chat_id, message))


def subscribe_chats(engine: Engine, *chats: str, codes=(), leads="7,1") -> None:
    with unit_of_work(engine) as session:
        for chat in chats:
            subscribe(
                session,
                chat,
                list(codes),
                ReminderTiming.read(leads, "09:00"),
                at("2022-01-01T00:00"),
            )


def deliverer(engine: Engine, channel: RecordingChannel, lease=timedelta(seconds=30)):
    return Deliverer(engine, [channel], TZ, lease=lease)


async def test_a_due_reminder_is_sent_once(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", "telegram:2")
    channel = RecordingChannel()
    first = await deliverer(loaded, channel).send_due(at("2022-06-23T09:00"))
    again = await deliverer(loaded, channel).send_due(at("2022-06-23T09:05"))
    assert sorted(first.sent) == ["telegram:1", "telegram:2"] and again.sent == []
    assert sorted(chat for chat, _ in channel.sent) == ["1", "2"]
    message = channel.sent[0][1]
    assert message.title == "⏰ 支出节点提醒：6月底（2022-06-30），还有 7 天"
    assert any("人才住房购置及后期管理：累计应支出 14172.00 万元" in line for line in message.lines)
    assert {d.status for d in claims.deliveries(loaded) if d.target_date.month == 6} == {"sent"}


async def test_two_senders_at_once_send_each_reminder_once(loaded: Engine) -> None:
    chats = [f"telegram:{n}" for n in range(1, 41)]
    subscribe_chats(loaded, *chats)
    channel = RecordingChannel()
    now = at("2022-06-23T09:00")
    one, two = await asyncio.gather(
        deliverer(loaded, channel).send_due(now), deliverer(loaded, channel).send_due(now)
    )
    assert len(channel.sent) == 40 and len({c for c, _ in channel.sent}) == 40
    assert len(one.sent) + len(two.sent) == 40
    elsewhere = [o.held_elsewhere + o.done_elsewhere for o in (one, two)]
    assert sum(elsewhere) == 40 and one.stranded + two.stranded == 0


async def test_catch_up_sends_the_latest_due_and_skips_what_is_too_late(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1")
    channel = RecordingChannel()
    outcome = await deliverer(loaded, channel).send_due(at("2022-06-29T15:00"))
    assert outcome.sent == ["telegram:1"] and "还有 1 天" in channel.sent[0][1].title
    rows = {(d.target_date.month, d.lead_days, d.kind): d.status for d in claims.deliveries(loaded)}
    assert rows[(6, 1, "checkpoint")] == "sent" and rows[(6, 7, "checkpoint")] == "skipped"
    assert rows[(3, 7, "checkpoint")] == "skipped"
    later = await deliverer(loaded, channel).send_due(at("2022-07-02T09:00"))
    assert later.sent == [] and len(channel.sent) == 1


async def test_a_chat_that_blocked_the_bot_is_unsubscribed_and_the_others_still_get_theirs(
    loaded: Engine,
) -> None:
    subscribe_chats(loaded, "telegram:1", "telegram:2", "telegram:3")
    channel = RecordingChannel()
    channel.rejecting.add("2")
    outcome = await deliverer(loaded, channel).send_due(at("2022-06-23T09:00"))
    assert outcome.rejected == ["telegram:2"] and sorted(outcome.sent) == [
        "telegram:1",
        "telegram:3",
    ]
    with Session(loaded) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:2")).one()
    assert not row.active and "blocked" in row.note
    channel.rejecting.clear()
    outcome = await deliverer(loaded, channel).send_due(at("2022-06-29T09:00"))
    assert sorted(outcome.sent) == ["telegram:1", "telegram:3"]


async def test_a_failed_send_is_retried_on_the_next_pass(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1")
    channel = RecordingChannel()
    channel.failures["1"] = 1
    failed = await deliverer(loaded, channel).send_due(at("2022-06-23T09:00"))
    assert failed.failed == ["telegram:1"] and channel.sent == []
    retried = await deliverer(loaded, channel).send_due(at("2022-06-23T09:01"))
    assert retried.sent == ["telegram:1"] and len(channel.sent) == 1


def leave_claim(engine: Engine, lease_until: datetime) -> None:
    """A claim on telegram:1's 6月底 reminder held by another sender until `lease_until`."""
    with unit_of_work(engine) as session:
        session.add(
            Delivery(
                chat="telegram:1",
                kind="checkpoint",
                target_date=at("2022-06-30").date(),
                lead_days=7,
                fire_at=at("2022-06-23T09:00"),
                status="claimed",
                claim_token="theirs",
                claimed_at=at("2022-06-23T09:00"),
                sender="host:4242:dead",
                lease_until=lease_until,
                attempts=1,
            )
        )


async def test_a_claim_under_a_running_lease_is_left_to_its_sender(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", leads="7")
    leave_claim(loaded, leases.wall_clock() + timedelta(seconds=20))
    channel = RecordingChannel()
    # hours later on the reminders' clock: only the lease counts, not the claim's age
    outcome = await deliverer(loaded, channel).send_due(at("2022-06-23T15:00"))
    assert outcome.sent == [] and outcome.held_elsewhere == 1 and outcome.stranded == 0
    assert channel.sent == []


async def test_a_claim_whose_lease_ran_out_is_taken_over_at_once(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", leads="7")
    leave_claim(loaded, leases.wall_clock() - timedelta(seconds=1))
    channel = RecordingChannel()
    outcome = await deliverer(loaded, channel).send_due(at("2022-06-23T09:01"))
    assert outcome.sent == ["telegram:1"] and outcome.stranded == 1
    (row,) = [d for d in claims.deliveries(loaded) if d.target_date.month == 6]
    assert (row.status, row.attempts, row.lease_until) == ("sent", 2, None)


async def test_a_stopped_pass_releases_its_unsent_claims_for_the_next(loaded: Engine) -> None:
    chats = [f"telegram:{n}" for n in range(1, 21)]
    subscribe_chats(loaded, *chats, leads="7")
    channel = RecordingChannel()
    stop = asyncio.Event()
    original = channel.send

    async def send_then_stop(chat_id: str, message: ReminderMessage) -> None:
        await original(chat_id, message)
        if len(channel.sent) == 5:
            stop.set()

    channel.send = send_then_stop  # type: ignore[method-assign]
    slow = Deliverer(loaded, [channel], TZ, concurrency=1)
    first = await slow.send_due(at("2022-06-23T09:00"), stop)
    assert first.stopped and len(first.sent) == 5 and first.released == 15
    second = await deliverer(loaded, RecordingChannel()).send_due(at("2022-06-23T09:00"))
    assert len(second.sent) == 15 and second.stranded == 0
    assert {d.status for d in claims.deliveries(loaded) if d.target_date.month == 6} == {"sent"}


def test_subscribe_and_unsubscribe_from_the_shell(loaded: Engine, db_url: str, capsys) -> None:
    assert (
        main(
            [
                "subscribe",
                "--db",
                db_url,
                "telegram:77",
                "--project",
                TALENT,
                "--lead-days",
                "3",
                "--at",
                "10:30",
            ]
        )
        == 0
    )
    main(["reminders", "--json", "--db", db_url, "--now", "2022-06-01T00:00"])
    plan = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert plan[0] == {
        "chat": "telegram:77",
        "fire_at": "2022-06-27T10:30:00+08:00",
        "checkpoint": "6月底",
        "checkpoint_date": "2022-06-30",
        "lead_days": 3,
        "project_codes": [TALENT],
        "kind": "checkpoint",
        "indicators": [],
    }
    assert main(["unsubscribe", "--db", db_url, "telegram:77"]) == 0
    main(["reminders", "--json", "--db", db_url, "--now", "2022-06-01T00:00"])
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["telegram:abc"],
        ["telegram:1", "--project", "NOPE"],
        ["telegram:1", "--at", "9h"],
        ["telegram:1", "--lead-days", "-2"],
    ],
)
def test_bad_subscriptions_are_refused(
    loaded: Engine, db_url: str, argv: list[str], capsys
) -> None:
    assert main(["subscribe", "--db", db_url, *argv]) == 2
    assert capsys.readouterr().err.startswith("targetbot: ")


def test_subscribe_in_chat_by_loose_project_name(loaded: Engine) -> None:
    assistant = Assistant(loaded, Settings(_env_file=None))
    changes: list[int] = []
    assistant.on_change.append(lambda: changes.append(1))
    reply = assistant.command("telegram:5", "/subscribe 人才住房")
    assert "已订阅提醒：人才住房购置及后期管理" in reply.text and changes == [1]
    with Session(loaded) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:5")).one()
    assert row.project_codes == TALENT and row.lead_days == "7,1"
    listing = assistant.command("telegram:5", "/reminders")
    assert "已订阅：人才住房购置及后期管理" in listing.text
    assert "没有找到项目" in assistant.command("telegram:5", "/subscribe 火星基地").text
    assert "已取消订阅" in assistant.command("telegram:5", "/unsubscribe").text
    assert "没有订阅" in assistant.command("telegram:5", "/reminders").text


async def test_a_chat_subscribed_in_english_gets_english_replies_and_reminders(
    loaded: Engine,
) -> None:
    assistant = Assistant(loaded, Settings(_env_file=None))
    reply = assistant.command("telegram:8", "/subscribe talent housing", "en")
    assert reply.text.startswith("Subscribed to reminders: 人才住房购置及后期管理; 7,1 days before")
    assert "Next reminders:" in reply.text
    with Session(loaded) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:8")).one()
    assert row.language == "en" and row.project_codes == TALENT
    assert (
        "Subscribed: 人才住房购置及后期管理" in assistant.command("telegram:8", "/reminders").text
    )
    channel = RecordingChannel()
    await deliverer(loaded, channel).send_due(at("2022-06-23T09:00"))
    ((_, message),) = channel.sent
    assert message.title == "⏰ Spending checkpoint reminder: 6月底 (2022-06-30), 7 days to go"
    assert message.lines == (
        "• 人才住房购置及后期管理: 14172.00 万元 should be spent by then (98.25% of the budget), "
        "14172.00 万元 more than at 3月底",
        "  人才住房购置及后期管理: no spending recorded yet.",
    )
    assert (
        assistant.command("telegram:8", "/unsubscribe", "en").text
        == "Unsubscribed: no more reminders."
    )


def test_subscribe_reads_project_names_through_the_glossary_file(loaded: Engine, tmp_path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"phrases": {"staff flats": "人才住房"}}), encoding="utf-8")
    settings = Settings(_env_file=None, glossary_file=str(extra), reminder_lead_days="3")
    reply = Assistant(loaded, settings).command("telegram:9", "/subscribe staff flats")
    assert reply.intent == "subscribe" and "人才住房购置及后期管理; 3 days" in reply.text
    with Session(loaded) as session:
        row = session.exec(select(Subscription).where(Subscription.chat == "telegram:9")).one()
    assert (row.project_codes, row.lead_days, row.language) == (TALENT, "3", "en")


def test_subscription_commands_where_reminders_cannot_go_say_so(loaded: Engine) -> None:
    reply = Assistant(loaded, Settings(_env_file=None)).ask("/subscribe")
    assert reply.intent == "subscribe" and "收不到提醒" in reply.text
    with Session(loaded) as session:
        assert session.exec(select(Subscription)).first() is None


async def test_the_scheduler_plans_jobs_catches_up_and_rebuilds(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1")
    channel = RecordingChannel()
    clock = {"now": at("2022-06-29T15:00")}
    scheduler = ReminderScheduler(deliverer(loaded, channel), loaded, TZ, lambda: clock["now"])
    await scheduler.start(paused=True)
    try:
        assert [t.isoformat() for t in scheduler.fire_times()[:2]] == [
            "2022-10-24T09:00:00+08:00",
            "2022-10-30T09:00:00+08:00",
        ]
        await scheduler.sweep()  # what start runs at once: the catch-up
        assert [c for c, _ in channel.sent] == ["1"] and "还有 1 天" in channel.sent[0][1].title
        subscribe_chats(loaded, "telegram:2", leads="2")
        await scheduler.sweep()  # a new subscriber still gets the reminder it just missed
        assert [c for c, _ in channel.sent] == ["1", "2"]
        assert at("2022-10-29T09:00") in scheduler.fire_times()
        clock["now"] = at("2022-10-24T09:00")
        await scheduler.fire()
        assert [c for c, _ in channel.sent] == ["1", "2", "1"]
        assert "10月底" in channel.sent[-1][1].title
    finally:
        await scheduler.stop()
