"""Exactly once under the faults a deployment meets: the database unavailable mid fan-out, a
SIGTERM mid fan-out, two senders with a lease shorter than the pass. Counted at the fake Bot
API as received; the faults hit real processes, with short backoffs from the settings. The
pass that comes after one (the next run, a second sender) runs `targetbot reminders
--send-due` in this process, through the console script's own entry point.

The tests wait on what the processes do, not on the clock: the fake Bot API holds sends
unanswered (`hold_after`), so that a fault lands while a known number of sends is in flight and
a known number is still unsent; the processes' log lines, the delivery rows and the calls at the
fake tell when a step is done. The only timed wait left is a lease running out."""

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select

from bot.cli import main
from jobs import claims
from jobs.leases import CLAIMED, Lease, claimable
from store.db import open_database, unit_of_work
from store.documents import parse_file
from store.importer import import_document
from store.models import Checkpoint, Delivery
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe
from tests.conftest import SAMPLE, empty_postgres_at_newest_schema
from tests.fakes.db_proxy import DatabaseProxy
from tests.fakes.telegram_api import TOKEN, FakeBotAPI, message

pytestmark = pytest.mark.slow
TARGETBOT = str(Path(sys.executable).parent / "targetbot")
TZ = ZoneInfo("Asia/Shanghai")
COUNT = 24
CHATS = [f"telegram:{n}" for n in range(1, COUNT + 1)]
# A fault lands after SENT_FIRST sends, while IN_FLIGHT more are held unanswered at the fake
# (REMINDER_CONCURRENCY) and COUNT - SENT_FIRST - IN_FLIGHT are not started yet.
SENT_FIRST, IN_FLIGHT = 6, 4
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
PAUSED = "sending paused"
RETRYING = "database unavailable ("  # a failed database attempt, retried after the backoff


@pytest.fixture
def fake() -> Iterator[FakeBotAPI]:
    server = FakeBotAPI().start()
    yield server
    server.released.set()  # a held send never outlives its test
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
    empty_postgres_at_newest_schema(url)
    engine = open_database(url)
    import_document(engine, parse_file(SAMPLE))
    proxy = DatabaseProxy(url).start()
    yield due_today(engine), proxy
    proxy.open()
    proxy.stop()
    engine.dispose()


class Process:
    """A targetbot process whose standard error is read line by line as it comes, so that a
    test can wait for a log line; `communicate` as subprocess.Popen's."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        pipe = subprocess.PIPE
        self.popen = subprocess.Popen(
            [TARGETBOT, *command], env=env, stdout=pipe, stderr=pipe, text=True
        )
        self.lines: list[str] = []
        self.out: list[str] = []
        self.changed = threading.Condition()
        self.readers = [
            threading.Thread(target=self._read_stderr, daemon=True),
            threading.Thread(target=self._read_stdout, daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read_stderr(self) -> None:
        assert self.popen.stderr is not None
        for line in self.popen.stderr:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def _read_stdout(self) -> None:
        assert self.popen.stdout is not None
        self.out.append(self.popen.stdout.read())

    @property
    def returncode(self) -> int | None:
        return self.popen.returncode

    def send_signal(self, sig: int) -> None:
        self.popen.send_signal(sig)

    def wait_for_line(self, text: str, count: int = 1, after: int = 0, timeout: float = 60) -> int:
        """Wait until `count` lines containing `text` came after the first `after` lines (or
        the process ended: AssertionError); the number of lines read by then."""

        def seen() -> bool:
            return sum(text in line for line in self.lines[after:]) >= count

        with self.changed:
            deadline = time.monotonic() + timeout
            while not seen():
                assert self.popen.poll() is None or self.readers[0].is_alive(), (
                    f"exited without {count} x {text!r}:\n{''.join(self.lines)}"
                )
                left = deadline - time.monotonic()
                assert left > 0, f"no {count} x {text!r} in:\n{''.join(self.lines)}"
                self.changed.wait(min(left, 0.5))
            return len(self.lines)

    def communicate(self, timeout: float = 60) -> tuple[str, str]:
        """Wait for the end of the process: its standard output and standard error."""
        try:
            self.popen.wait(timeout)
        finally:
            if self.popen.poll() is None:
                self.popen.kill()
                self.popen.wait()
            for reader in self.readers:
                reader.join(10)
        with self.changed:
            return "".join(self.out), "".join(self.lines)


def environment(db_url: str, fake: FakeBotAPI, **env: str) -> dict[str, str]:
    """The settings of a sender: FAST and `env`, the fake Bot API, the database."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WECOM_"))}
    clean |= FAST | env | {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url}
    clean["DATABASE_URL"] = db_url
    return clean


def start(command: list[str], db_url: str, fake: FakeBotAPI, **env: str) -> Process:
    return Process(command, environment(db_url, fake, **env))


def send_due(db_url: str, fake: FakeBotAPI, **env: str) -> Process:
    return start(["reminders", "--send-due"], db_url, fake, **env)


def targetbot_here(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """`targetbot ARGS` run in this process as the console script runs it (bot.cli.main), with
    exactly the settings `env`: its exit code, standard output and standard error. For a pass
    after the process under test: one more sender, without the cost of starting a process."""
    out, err = io.StringIO(), io.StringIO()
    engines: list[Engine] = []

    def kept(*args: Any, **kwargs: Any) -> Engine:
        engines.append(open_database(*args, **kwargs))
        return engines[-1]

    with (
        mock.patch.dict(os.environ, env, clear=True),
        mock.patch("store.db.open_database", kept),  # disposed after: no connection left open
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(args)
        finally:
            for engine in engines:
                engine.dispose()
    return code, out.getvalue(), err.getvalue()


def send_due_here(db_url: str, fake: FakeBotAPI, **env: str) -> tuple[int, str, str]:
    """`targetbot reminders --send-due` in this process: exit code, stdout, stderr."""
    return targetbot_here(["reminders", "--send-due"], environment(db_url, fake, **env))


def run_bot(db_url: str, fake: FakeBotAPI, **env: str) -> Process:
    return start(["run"], db_url, fake, **env)


def received(fake: FakeBotAPI) -> Counter:
    return Counter(f"telegram:{c['chat_id']}" for c in fake.recorded("sendMessage"))


def sends(fake: FakeBotAPI) -> int:
    """How many reminders the fake Bot API has received so far."""
    return sum(received(fake).values())


def wait_until(condition: Callable[[], object], timeout: float = 60.0) -> None:
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


def hold_mid_fan_out(fake: FakeBotAPI) -> None:
    """The fake answers SENT_FIRST sends, then holds the next ones unanswered."""
    fake.hold_after = SENT_FIRST


def in_flight_held(fake: FakeBotAPI) -> int:
    """Wait until the sender (REMINDER_CONCURRENCY=IN_FLIGHT) has IN_FLIGHT sends held at the
    fake: SENT_FIRST delivered (and recorded before the held ones started), the rest of COUNT
    not started. The sends delivered."""
    wait_until(lambda: fake.held == IN_FLIGHT)
    assert sends(fake) == SENT_FIRST
    return SENT_FIRST


def claims_free(engine: Engine) -> tuple[int, int]:
    """The claims still marked claimed, and how many of them any other sender may take (their
    lease ran out)."""
    anyone = Lease("probe", timedelta(seconds=1))
    with Session(engine) as session:
        claimed = select(func.count()).select_from(Delivery).where(Delivery.status == CLAIMED)
        free = claimed.where(claimable(Delivery, anyone))
        return session.exec(claimed).one(), session.exec(free).one()


def leases_run_out(engine: Engine) -> bool:
    """Some claims are left, and every one of them is free for any sender."""
    claimed, free = claims_free(engine)
    return claimed == free > 0


def test_send_due_waits_out_a_database_outage_mid_fan_out_and_serves_every_chat_once(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    hold_mid_fan_out(fake)
    process = send_due(proxy.proxied_url, fake, REMINDER_CONCURRENCY=str(IN_FLIGHT))
    before = in_flight_held(fake)
    proxy.down()
    fake.released.set()  # the sends in flight are answered; their results cannot be recorded
    seen = process.wait_for_line(PAUSED)
    # the sends in flight finished; no new one starts while results cannot be recorded, over
    # retries 0.1 + 0.2 + 0.4 s apart (a new send would be answered at once)
    seen = process.wait_for_line(RETRYING, count=2, after=seen)
    assert sends(fake) == before + IN_FLIGHT
    process.wait_for_line(RETRYING, after=seen)
    assert sends(fake) == before + IN_FLIGHT
    proxy.open()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert received(fake) == Counter(CHATS)
    assert f"sent {COUNT}," in out and PAUSED in err
    assert sent_rows(engine) == {"sent": COUNT}


def recorded_chats(engine: Engine) -> set[str]:
    return {d.chat for d in claims.deliveries(engine) if d.status == "sent"}


def test_send_due_gives_up_with_counts_and_the_next_run_serves_the_rest(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    hold_mid_fan_out(fake)
    process = send_due(
        proxy.proxied_url,
        fake,
        REMINDER_DB_RETRY_SECONDS="1",
        REMINDER_CONCURRENCY=str(IN_FLIGHT),
    )
    in_flight_held(fake)
    proxy.down()
    fake.released.set()  # answered while the database is away: sent, not recorded
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, (out, err)
    assert "gave up" in err
    first = received(fake)
    unrecorded = number(out, "not recorded")
    # a send cut short by the give-up may have arrived: its outcome is unknown, not counted
    assert number(out, "sent") + unrecorded <= sum(first.values())
    assert unrecorded > 0 and sum(first.values()) < COUNT
    proxy.open()
    # a commit whose answer the outage cut off counts as not recorded, yet it is in the table
    recorded = recorded_chats(engine)
    assert number(out, "sent") <= len(recorded) <= number(out, "sent") + unrecorded
    wait_until(lambda: leases_run_out(engine))  # the claims of the sender that gave up are free
    code, out2, err2 = send_due_here(proxy.proxied_url, fake)  # the next run
    assert code == 0, err2
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
    lease = 3.0  # renewed every second: ample on a loaded machine
    hold_mid_fan_out(fake)  # the first sender's later sends hang, for leases on end
    slow = {"REMINDER_LEASE_SECONDS": f"{lease:g}", "REMINDER_CONCURRENCY": str(IN_FLIGHT)}
    first = send_due(db_url, fake, **slow)
    done = in_flight_held(fake)
    claims_older_than_a_lease = time.monotonic() + lease  # claimed before the first hung send
    wait_until(lambda: time.monotonic() > claims_older_than_a_lease)
    assert claims_free(due_now) == (COUNT - done, 0)  # only the renewals keep them
    code, out2, err2 = send_due_here(db_url, fake, **slow)  # a second sender, mid pass
    assert code == 0, err2
    fake.released.set()
    out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert received(fake) == Counter(CHATS)
    assert number(out1, "sent") == COUNT and number(out2, "sent") == 0
    assert number(out2, "held by a live sender") == COUNT - done
    assert number(out2, "already done") == done
    assert number(out2, "taken over from a dead sender") == 0


def stopped_mid_fan_out(
    command, db_url: str, fake: FakeBotAPI, stopping: str
) -> tuple[int, str, str]:
    """`command` (send_due or run_bot) sent SIGTERM while IN_FLIGHT sends are held at the fake
    and the rest are not started: the sends delivered before the signal, and its stdout and
    stderr once it exited with 0. The held sends are answered after the process logged
    `stopping` (`run`: it saw the signal); `--send-due` logs nothing then, so they take half a
    second to answer (as each later send would), time enough to see the signal."""
    hold_mid_fan_out(fake)
    concurrency = {"REMINDER_CONCURRENCY": str(IN_FLIGHT)}
    process = command(db_url, fake, REMINDER_LEASE_SECONDS="600", **concurrency)
    before = in_flight_held(fake)
    process.send_signal(signal.SIGTERM)
    if stopping:
        process.wait_for_line(stopping)
    fake.send_delay = 0.5
    fake.released.set()
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return before, out, err


@pytest.mark.database("sqlite")  # the release of unsent claims is the same SQL on both
def test_sigterm_to_send_due_mid_fan_out_finishes_in_flight_sends_and_releases_the_rest(
    due_now: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    before, out, err = stopped_mid_fan_out(send_due, db_url, fake, stopping="")
    assert "stopped by a signal" in out and "Traceback" not in err
    first = sends(fake)
    assert first >= before + IN_FLIGHT  # the sends in flight finished, not cut short
    assert number(out, "sent") == first and number(out, "released unsent") == COUNT - first > 0
    serve_the_rest(db_url, fake, first)


def serve_the_rest(db_url: str, fake: FakeBotAPI, first: int) -> None:
    """A pass right after a stopped one sends what it left unsent, and only that."""
    fake.send_delay = 0.0
    code, out, err = send_due_here(db_url, fake, REMINDER_LEASE_SECONDS="600")  # no lease
    assert code == 0, err
    assert number(out, "sent") == COUNT - first
    assert received(fake) == Counter(CHATS)


@pytest.mark.database("postgresql")  # and send-due's SIGTERM test runs on SQLite
def test_sigterm_to_run_mid_fan_out_finishes_in_flight_sends_and_releases_the_rest(
    due_now: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    stopping = f"stopping: letting {IN_FLIGHT} sends in flight finish"
    before, _, err = stopped_mid_fan_out(run_bot, db_url, fake, stopping)
    assert "Traceback" not in err and "CancelledError" not in err
    assert "reminders stopped mid pass" in err
    first = sends(fake)
    assert first == before + IN_FLIGHT  # the sends in flight finished; no new one started
    assert sent_rows(due_now)["sent"] == first < COUNT
    serve_the_rest(db_url, fake, first)


def test_run_waits_out_a_database_outage_mid_fan_out_and_serves_every_chat_once(
    postgres: tuple[Engine, DatabaseProxy], fake: FakeBotAPI
) -> None:
    engine, proxy = postgres
    hold_mid_fan_out(fake)
    bot = run_bot(proxy.proxied_url, fake, REMINDER_CONCURRENCY=str(IN_FLIGHT))
    try:
        before = in_flight_held(fake)
        proxy.down()
        fake.released.set()  # answered while the database is away
        bot.wait_for_line(PAUSED)
        # the outage lasts until the leases ran out (read past the proxy)
        wait_until(lambda: leases_run_out(engine))
        assert sends(fake) == before + IN_FLIGHT  # nothing new sent during the outage
        proxy.open()
        bot.wait_for_line("reminders: sent ")  # the pass is over
    finally:
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=60)
    assert bot.returncode == 0, err
    assert received(fake) == Counter(CHATS)
    assert sent_rows(engine) == {"sent": COUNT}
    assert f"reminders: sent {COUNT}," in err
    assert PAUSED in err and "Traceback" not in err


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
        bot.wait_for_line("reminders: sent ")  # the catch-up pass is done
        assert sent_rows(engine) == {"sent": COUNT}
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
