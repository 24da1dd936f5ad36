"""Reminders carry the actuals; a project turning yellow or red is warned once per change; one
reminder before the monitoring deadline lists the projects without actuals."""

import asyncio
import re
import signal
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from jobs import warning_claims
from jobs.delivery import Deliverer
from jobs.leases import Lease
from jobs.light_warnings import light_changes
from store.actual_models import LightWarning
from store.actuals import SpendingEntry, record_spending
from store.db import unit_of_work
from store.monitoring_status import StatusRules
from store.queries import project_by_code
from tests.jobs.test_reminder_delivery import TZ, RecordingChannel, at, subscribe_chats

FUND = "37020022P88002810055U"  # budget 1221.1, 6月底 610, 10月底 1010
HOUSING = "37020022P46000910003U"  # budget 14424, 6月底 14172


def spend(engine: Engine, code: str, amount: float, day: date) -> None:
    with unit_of_work(engine) as session:
        project = project_by_code(session, code)
        assert project is not None
        entry = SpendingEntry(project, amount, day, "form", "t", force=True)
        record_spending(session, entry, at("2022-01-01T00:00"))


def send(engine: Engine, channel: RecordingChannel, now: str, due: str | None = None):
    deliverer = Deliverer(engine, [channel], TZ, rules=StatusRules(), monitoring_due=due)
    return asyncio.run(deliverer.send_due(at(now)))


def warnings(channel: RecordingChannel) -> list[tuple[str, str]]:
    return [(chat, m.title) for chat, m in channel.sent if m.title.startswith("⚠️")]


def test_checkpoint_reminder_shows_the_latest_actual_and_what_is_left(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", leads="7")
    spend(loaded, HOUSING, 12000, date(2022, 6, 15))
    send(loaded, channel := RecordingChannel(), "2022-06-23T09:00")
    (reminder,) = [m for _, m in channel.sent if m.title.startswith("⏰")]
    lines = "\n".join(reminder.lines)
    assert "人才住房购置及后期管理：截至 2022-06-15 累计支出 12000.00 万元" in lines
    assert "距6月底计划还差 2172.00 万元，剩余 7 天每天约需 310.29 万元" in lines
    assert "住房公积金业务运行专项业务经费：还没有记录执行数" in lines


def test_a_project_turning_red_is_warned_once_per_change(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", "telegram:2", leads="7")
    channel = RecordingChannel()
    spend(loaded, FUND, 700, date(2022, 6, 30))  # 57.33% vs 50%, ahead of 610: green
    send(loaded, channel, "2022-07-01T09:00")
    assert warnings(channel) == []
    spend(loaded, FUND, 710, date(2022, 7, 31))  # 58.15% vs 58.33%: yellow
    send(loaded, channel, "2022-08-01T09:00")
    assert sorted(warnings(channel)) == [
        ("1", "⚠️ 预警：住房公积金业务运行专项业务经费 由🟢 绿灯变为🟡 黄灯。"),
        ("2", "⚠️ 预警：住房公积金业务运行专项业务经费 由🟢 绿灯变为🟡 黄灯。"),
    ]
    send(loaded, channel, "2022-08-01T09:05")
    assert len(warnings(channel)) == 2
    spend(loaded, FUND, 715, date(2022, 8, 31))  # 58.55% vs 66.67%: still yellow, no new warning
    send(loaded, channel, "2022-09-01T09:00")
    assert len(warnings(channel)) == 2
    spend(loaded, FUND, 720, date(2022, 9, 30))  # 58.96% vs 75%: red
    send(loaded, channel, "2022-10-01T09:00")
    assert len(warnings(channel)) == 4 and "变为🔴 红灯" in warnings(channel)[-1][1]
    warned = [m for chat, m in channel.sent if chat == "1" and m.title.startswith("⚠️")][-1]
    assert any("序时进度 75.00%" in line for line in warned.lines)


def test_only_subscribed_projects_are_warned(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", codes=[HOUSING], leads="7")
    spend(loaded, FUND, 100, date(2022, 7, 31))
    send(loaded, channel := RecordingChannel(), "2022-08-01T09:00")
    assert warnings(channel) == []


def test_monitoring_deadline_reminder_lists_projects_without_actuals(loaded: Engine) -> None:
    subscribe_chats(loaded, "telegram:1", leads="7")
    spend(loaded, HOUSING, 13000, date(2022, 7, 31))
    channel = RecordingChannel()
    send(loaded, channel, "2022-08-03T09:00", due="08-10")
    (message,) = [m for _, m in channel.sent if m.title.startswith("📋")]
    assert "2022-08-10 截止（还有 7 天）" in message.title
    assert "住房公积金业务运行专项业务经费、市住房公积金管理中心政务信息化项目" in message.title
    assert "人才住房" not in message.title
    send(loaded, channel, "2022-08-03T10:00", due="08-10")
    assert len([m for _, m in channel.sent if m.title.startswith("📋")]) == 1


def test_two_processes_send_each_warning_exactly_once(loaded: Engine, db_url: str) -> None:
    from collections import Counter

    from tests.fakes.telegram_api import FakeBotAPI
    from tests.jobs.test_reminder_faults import number
    from tests.jobs.test_reminder_processes import sender, wait_until

    chats = 10
    subscribe_chats(loaded, *[f"telegram:{n}" for n in range(1, chats + 1)], leads="7")
    spend(loaded, FUND, 300, date(2022, 7, 31))  # red
    fake = FakeBotAPI().start()
    # The process that claims the warnings first has its sends held after 3; the other claims
    # while that pass is under way and ends before the first is let go: the passes overlap.
    fake.hold_after = 3
    try:
        now = "2022-08-01T09:00:00+08:00"
        runs = [sender(db_url, fake, now), sender(db_url, fake, now)]
        assert wait_until(lambda: any(run.poll() is not None for run in runs))
        ended = [run for run in runs if run.poll() is not None]
        assert len(ended) == 1, [run.communicate(timeout=5) for run in ended]  # one is held
        fake.released.set()
        outputs = [run.communicate(timeout=120) for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        warned = Counter(
            m["chat_id"] for m in fake.recorded("sendMessage") if "预警" in m.get("text", "")
        )
        assert len(warned) == chats and set(warned.values()) == {1}
        assert sorted(number(out, "warnings") for out, _ in outputs) == [0, chats]
    finally:
        fake.released.set()
        fake.stop()


def test_chats_subscribed_in_english_are_warned_in_english(loaded: Engine) -> None:
    from store.reminder_timing import ReminderTiming
    from store.subscriptions import subscribe

    with unit_of_work(loaded) as session:
        timing = ReminderTiming.read("7", "09:00")
        subscribe(session, "telegram:1", [], timing, at("2022-01-01T00:00"), "en")
        subscribe(session, "telegram:2", [], timing, at("2022-01-01T00:00"))
    spend(loaded, FUND, 300, date(2022, 7, 31))  # 24.57% vs 58.33%: red
    send(loaded, channel := RecordingChannel(), "2022-08-01T09:00")
    warned = {chat: m for chat, m in channel.sent if m.title.startswith("⚠️")}
    assert (
        warned["1"].title
        == "⚠️ Warning: 住房公积金业务运行专项业务经费 turned from no light to 🔴 red."
    )
    assert any("time progress 58.33%" in line for line in warned["1"].lines)
    assert not any(re.search(r"[累计序时]", line) for line in warned["1"].lines)
    assert warned["2"].title.startswith("⚠️ 预警：")


def _claims(engine: Engine) -> list[LightWarning]:
    with Session(engine) as session:
        return list(session.exec(select(LightWarning).order_by(col(LightWarning.id))))


def _red_for(engine: Engine, chats: int) -> list:
    subscribe_chats(engine, *[f"telegram:{n}" for n in range(1, chats + 1)], leads="7")
    spend(engine, FUND, 300, date(2022, 7, 31))
    with Session(engine) as session:
        return light_changes(session, at("2022-08-01T09:00"), StatusRules())


def test_a_warning_claim_under_a_running_lease_is_left_and_an_expired_one_taken_over(
    loaded: Engine,
) -> None:
    changes = _red_for(loaded, 2)
    now = at("2022-08-01T09:00")
    first = Lease("first", timedelta(seconds=300))
    assert len(warning_claims.claim(loaded, changes, now, first)) == 2
    # long past any fixed timeout the lease still holds: only its expiry frees a claim
    later = at("2022-08-01T10:00")
    assert (
        warning_claims.claim(loaded, changes, later, Lease("second", timedelta(seconds=30))) == {}
    )
    assert {row.sender for row in _claims(loaded)} == {"first"}
    expired = Lease("first", timedelta(seconds=-1))  # `first` stops renewing: its lease runs out
    assert len(warning_claims.renew(loaded, expired)) == 2
    taken = warning_claims.claim(loaded, changes, now, Lease("second", timedelta(seconds=30)))
    assert len(taken) == 2
    assert {(row.sender, row.attempts) for row in _claims(loaded)} == {("second", 2)}


class HeldChannel(RecordingChannel):
    """Holds the first send until released; tells when a send started."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()
        self.go_on = asyncio.Event()

    async def send(self, chat_id: str, message) -> None:
        self.started.set()
        await self.go_on.wait()
        await super().send(chat_id, message)


def test_a_stop_mid_pass_releases_the_unsent_warnings_for_the_next_sender_at_once(
    loaded: Engine,
) -> None:
    _red_for(loaded, 3)

    async def stopped_pass() -> object:
        channel, stop = HeldChannel(), asyncio.Event()
        deliverer = Deliverer(loaded, [channel], TZ, rules=StatusRules())
        running = asyncio.create_task(deliverer.send_due(at("2022-08-01T09:00"), stop))
        await channel.started.wait()
        stop.set()
        channel.go_on.set()
        return await running

    outcome = asyncio.run(stopped_pass())
    assert (len(outcome.warned), outcome.released) == (1, 2)
    assert sorted(row.status for row in _claims(loaded)) == ["released", "released", "sent"]
    assert {row.sender for row in _claims(loaded)} == {None}
    send(loaded, channel := RecordingChannel(), "2022-08-01T09:01")
    assert len(warnings(channel)) == 2


def test_the_lease_is_renewed_while_a_warning_pass_is_slow(loaded: Engine) -> None:
    changes = _red_for(loaded, 2)

    async def slow_pass() -> None:
        channel = HeldChannel()
        lease = timedelta(seconds=0.6)
        deliverer = Deliverer(loaded, [channel], TZ, lease=lease, rules=StatusRules())
        running = asyncio.create_task(deliverer.send_due(at("2022-08-01T09:00")))
        await channel.started.wait()
        first = max(row.lease_until for row in _claims(loaded) if row.lease_until)
        renewed = asyncio.Event()
        while not renewed.is_set():  # wait for the keeper's renewal, not for a time
            await asyncio.sleep(0.05)
            if max(r.lease_until for r in _claims(loaded) if r.lease_until) > first:
                renewed.set()
        other = Lease("other", timedelta(seconds=30))
        assert warning_claims.claim(loaded, changes, at("2022-08-01T09:00"), other) == {}
        channel.go_on.set()
        await running

    asyncio.run(asyncio.wait_for(slow_pass(), 30))
    assert sorted(row.status for row in _claims(loaded)) == ["sent", "sent"]


@pytest.mark.slow
@pytest.mark.database("postgresql")  # the reminders' SIGTERM tests cover SQLite as well
def test_sigterm_mid_warnings_releases_the_unsent_for_the_next_run_at_once(
    loaded: Engine, db_url: str
) -> None:
    from collections import Counter

    from tests.fakes.telegram_api import FakeBotAPI
    from tests.jobs.test_reminder_faults import number, send_due, send_due_here, wait_until

    chats = [f"telegram:{n}" for n in range(1, 11)]
    subscribe_chats(loaded, *chats, leads="7")
    spend(loaded, FUND, 300, date(2022, 7, 31))  # red: one warning per chat
    fake = FakeBotAPI().start()

    def warned() -> Counter:
        return Counter(
            f"telegram:{m['chat_id']}"
            for m in fake.recorded("sendMessage")
            if "预警" in m.get("text", "")
        )

    try:
        # warnings go one at a time: the 4th is held unanswered when the signal lands, then
        # answered after half a second (as each later one would be), time enough to see it
        fake.hold_after = 3
        process = send_due(db_url, fake, REMINDER_LEASE_SECONDS="600")
        wait_until(lambda: fake.held == 1)
        process.send_signal(signal.SIGTERM)
        fake.send_delay = 0.5
        fake.released.set()
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and "Traceback" not in err, err
        first = sum(warned().values())
        assert first >= 4  # the warning in flight was sent, not cut short
        assert number(out, "released unsent") == len(chats) - first > 0
        fake.send_delay = 0.0
        code, out, err = send_due_here(db_url, fake, REMINDER_LEASE_SECONDS="600")  # no lease
        assert code == 0, err
        assert warned() == Counter(chats)
    finally:
        fake.released.set()
        fake.stop()
