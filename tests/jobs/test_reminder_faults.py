"""Exactly once under the faults a deployment meets: the database unavailable mid fan-out, a
SIGTERM mid fan-out, two senders with a lease shorter than the pass. Counted at the fake Bot
API as received; real processes, short leases and backoffs from the settings."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col

from jobs import claims
from store.db import open_database, unit_of_work
from store.documents import parse_file
from store.importer import import_document
from store.models import Checkpoint
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe
from tests.conftest import SAMPLE, reset_postgres
from tests.fakes.db_proxy import DatabaseProxy
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message

pytestmark = pytest.mark.slow
TARGETBOT = str(Path(sys.executable).parent / "targetbot")
TZ = ZoneInfo("Asia/Shanghai")
COUNT = 100
CHATS = [f"telegram:{n}" for n in range(1, COUNT + 1)]
FAST = {
    "REMINDER_LEASE_SECONDS": "2",
    "REMINDER_SHUTDOWN_GRACE": "5",
    "REMINDER_DB_BACKOFF": "0.1",
    "REMINDER_DB_RETRY_SECONDS": "30",
    "DATABASE_CONNECT_TIMEOUT": "2",
    "DATABASE_STATEMENT_TIMEOUT": "5",
    "RETRY_BASE_WAIT": "0.01",
    "TELEGRAM_MESSAGES_PER_SECOND": "200",
}


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI().start()
    yield server
    server.stop()


def due_today(engine: Engine) -> Engine:
    """COUNT chats, each with one reminder due now on the real clock: the sample's 6月底
    checkpoint moved to three days from today, reminded seven days before."""
    today = datetime.now(TZ).date()
    with unit_of_work(engine) as session:
        session.execute(
            update(Checkpoint)
            .where(col(Checkpoint.month) == 6)
            .values(date=today + timedelta(days=3))
        )
        for chat in CHATS:
            subscribe(session, chat, [], ReminderTiming.read("7", "09:00"), datetime.now(TZ))
    return engine


@pytest.fixture
def due_now(loaded: Engine) -> Engine:
    return due_today(loaded)


@pytest.fixture
def postgres(request: pytest.FixtureRequest) -> Iterator[tuple[Engine, DatabaseProxy]]:
    """The test PostgreSQL with reminders due now, and a proxy in front of it."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    url: str = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    engine = open_database(url)
    import_document(engine, parse_file(SAMPLE))
    proxy = DatabaseProxy(url).start()
    yield due_today(engine), proxy
    proxy.open()
    proxy.stop()
    engine.dispose()


def start(command: list[str], db_url: str, fake: FakeBotAPI, **env: str) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WECOM_"))}
    clean |= FAST | env | {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url}
    clean["DATABASE_URL"] = db_url
    return subprocess.Popen(
        [TARGETBOT, *command], env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def send_due(db_url: str, fake: FakeBotAPI, **env: str) -> subprocess.Popen:
    return start(["reminders", "--send-due"], db_url, fake, **env)


def received(fake: FakeBotAPI) -> Counter:
    return Counter(f"telegram:{c['chat_id']}" for c in fake.recorded("sendMessage"))


def sends(fake: FakeBotAPI) -> int:
    """How many reminders the fake Bot API has received so far."""
    return sum(received(fake).values())


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def sent_rows(engine: Engine) -> Counter:
    return Counter(d.status for d in claims.deliveries(engine) if d.status != "skipped")


def number(text: str, label: str) -> int:
    """A count of the summary line (`sent 83, failed 0, ...`)."""
    found = re.search(rf"(?:^|, ){label} (\d+)", text, re.MULTILINE)
    assert found, (label, text)
    return int(found.group(1))


def test_send_due_waits_out_a_database_outage_mid_fan_out_and_serves_every_chat_once(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    process = send_due(proxy.proxied_url, fake, REMINDER_CONCURRENCY="8")
    wait_until(lambda: sends(fake) >= 30)
    proxy.down()
    before = sends(fake)
    time.sleep(2)
    during = sends(fake)
    time.sleep(1)
    # the sends in flight finish; no new one starts while results cannot be recorded
    assert during - before <= 8 and sends(fake) == during
    proxy.open()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert received(fake) == Counter(CHATS)
    assert f"sent {COUNT}," in out and "sending paused" in err
    assert sent_rows(engine) == {"sent": COUNT}


def recorded_chats(engine: Engine) -> set[str]:
    return {d.chat for d in claims.deliveries(engine) if d.status == "sent"}


def test_send_due_gives_up_with_counts_and_the_next_run_serves_the_rest(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    process = send_due(proxy.proxied_url, fake, REMINDER_DB_RETRY_SECONDS="2")
    wait_until(lambda: sends(fake) >= 30)
    proxy.down()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    assert "gave up" in err
    first = received(fake)
    unrecorded = number(out, "not recorded")
    # a send cut short by the give-up may have arrived: its outcome is unknown, not counted
    assert number(out, "sent") + unrecorded <= sum(first.values())
    proxy.open()
    # a commit whose answer the outage cut off counts as not recorded, yet it is in the table
    recorded = recorded_chats(engine)
    assert number(out, "sent") <= len(recorded) <= number(out, "sent") + unrecorded
    time.sleep(2)  # one lease period: the claims of the sender that gave up are free
    rerun = send_due(proxy.proxied_url, fake)
    out2, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    assert number(out2, "taken over from a dead sender") == COUNT - len(recorded)
    assert number(out2, "held by a live sender") == 0
    served = received(fake)
    assert set(served) == set(CHATS)
    # only a sent reminder whose record never reached the database is sent twice
    assert {chat for chat, times in served.items() if times > 1} == set(first) - recorded
    assert sent_rows(engine) == {"sent": COUNT}


def test_two_senders_with_a_lease_shorter_than_the_pass_never_share_a_reminder(
    due_now: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    fake.hold_after = 20  # the first sender's sends hang from the 21st on, for leases on end
    lease = {"REMINDER_LEASE_SECONDS": "3"}
    first = send_due(db_url, fake, **lease)
    wait_until(lambda: fake.held > 0)
    time.sleep(3.5)  # the claims are older than a lease: only the renewals keep them
    second = send_due(db_url, fake, **lease)
    out2, err2 = second.communicate(timeout=60)
    fake.released.set()
    out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert received(fake) == Counter(CHATS)
    assert number(out1, "sent") == COUNT and number(out2, "sent") == 0
    assert number(out2, "held by a live sender") == COUNT - 20
    assert number(out2, "already done") == 20
    assert number(out2, "taken over from a dead sender") == 0


def stopped_mid_fan_out(command, db_url: str, fake: FakeBotAPI) -> tuple[str, str]:
    """`command` (send_due or run_bot) sending slowly, sent SIGTERM after 20 reminders: its
    stdout and stderr, once it exited with 0."""
    fake.send_delay = 0.5
    process = command(db_url, fake, REMINDER_LEASE_SECONDS="600")
    wait_until(lambda: sends(fake) >= 20)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out, err


def test_sigterm_to_send_due_mid_fan_out_finishes_in_flight_sends_and_releases_the_rest(
    due_now: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    out, err = stopped_mid_fan_out(send_due, db_url, fake)
    assert "stopped by a signal" in out and "Traceback" not in err
    first = sends(fake)
    assert number(out, "sent") == first and number(out, "released unsent") == COUNT - first > 0
    serve_the_rest(db_url, fake, first)


def serve_the_rest(db_url: str, fake: FakeBotAPI, first: int) -> None:
    """A pass right after a stopped one sends what it left unsent, and only that."""
    fake.send_delay = 0.0
    rerun = send_due(db_url, fake, REMINDER_LEASE_SECONDS="600")  # no lease to wait out
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    assert number(out, "sent") == COUNT - first
    assert received(fake) == Counter(CHATS)


def run_bot(db_url: str, fake: FakeBotAPI, **env: str) -> subprocess.Popen:
    return start(["run"], db_url, fake, **env)


def test_sigterm_to_run_mid_fan_out_finishes_in_flight_sends_and_releases_the_rest(
    due_now: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    _, err = stopped_mid_fan_out(run_bot, db_url, fake)
    assert "Traceback" not in err and "CancelledError" not in err
    assert "reminders stopped mid pass" in err
    first = sends(fake)
    assert sent_rows(due_now)["sent"] == first < COUNT
    serve_the_rest(db_url, fake, first)


def test_run_waits_out_a_database_outage_mid_fan_out_and_serves_every_chat_once(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    bot = run_bot(proxy.proxied_url, fake)
    try:
        wait_until(lambda: sends(fake) >= 30)
        proxy.down()
        time.sleep(3)  # longer than the lease: it runs out while the database is away
        proxy.open()
        wait_until(lambda: sent_rows(engine)["sent"] == COUNT)
        time.sleep(1)  # the next sweep finds nothing more to send
    finally:
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=60)
    assert bot.returncode == 0, err
    assert received(fake) == Counter(CHATS)
    assert "sending paused" in err and "Traceback" not in err


def reply_to(fake: FakeBotAPI, question: str, chat_id: int) -> str:
    """The one reply the bot sends to a question from a new chat."""
    fake.push(message(question, chat_id=chat_id))

    def to_chat() -> list[dict]:
        return [c for c in fake.recorded("sendMessage") if c["chat_id"] == str(chat_id)]

    wait_until(lambda: bool(to_chat()))
    (reply,) = to_chat()
    return reply["text"]


def test_a_silent_database_network_never_freezes_the_bot(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    """The database's network goes silent (nothing answered, nothing refused) while the bot
    polls: polling goes on, a question is answered with 暂时无法查询 within the database
    timeouts, and once the network is back questions are answered again."""
    engine, proxy = postgres
    timeouts = {"DATABASE_CONNECT_TIMEOUT": "1", "DATABASE_STATEMENT_TIMEOUT": "2"}
    bot = run_bot(proxy.proxied_url, fake, **timeouts)
    try:
        wait_until(lambda: sent_rows(engine)["sent"] == COUNT)  # the catch-up pass is done
        proxy.silent()
        polls = len(fake.recorded("getUpdates#attempts"))
        assert "暂时无法查询，请稍后再试" in reply_to(fake, "人才住房预算多少", 4242)
        assert len(fake.recorded("getUpdates#attempts")) >= polls + 3  # polling went on
        proxy.open()
        assert "14424.00" in reply_to(fake, "人才住房预算多少", 4343)
    finally:
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=60)
    assert bot.returncode == 0, err
    assert "Traceback" not in err and "store unavailable" in err
    assert received(fake) == Counter(CHATS) + Counter(["telegram:4242", "telegram:4343"])
