"""Exactly once across processes: two senders at once, and a sender killed mid fan-out,
for Telegram chats and for WeCom group robots.

The fake server holds sends unanswered after the first HOLD, so that the two passes surely
overlap and the kill surely lands with sends in flight; the next sender after the kill runs in
this process (`targetbot reminders --send-due` through bot.cli.main)."""

import os
import signal
import subprocess
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from jobs.claims import SENT
from store.models import Delivery
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.fakes.wecom_api import FakeWeCom
from tests.jobs.test_reminder_delivery import subscribe_chats
from tests.jobs.test_reminder_faults import TARGETBOT, leases_run_out, number, targetbot_here
from tests.jobs.test_reminder_faults import wait_until as wait

pytestmark = pytest.mark.slow
COUNT = 20
HOLD = 6  # sends the fake answers before it holds the next ones unanswered
NOW = "2022-06-23T09:00:00+08:00"


def chats(kind: str) -> list[str]:
    if kind == "telegram":
        return [f"telegram:{n}" for n in range(1, COUNT + 1)]
    return [f"wecom:robot-{n:04d}-key" for n in range(1, COUNT + 1)]


@pytest.fixture(params=["telegram", "wecom"])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def fake(kind: str):
    server = FakeBotAPI().start() if kind == "telegram" else FakeWeCom().start()
    yield server
    server.released.set()  # a held send never outlives its test
    server.stop()


@pytest.fixture
def due(loaded: Engine, kind: str) -> Engine:
    """COUNT chats, each with exactly one reminder due at 2022-06-23 09:00 (6月底, 7 days)."""
    subscribe_chats(loaded, *chats(kind), leads="7")
    return loaded


def sender_env(fake, lease: int = 30) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WECOM_"))}
    env |= {"REMINDER_LEASE_SECONDS": str(lease), "RETRY_BASE_WAIT": "0.01"}
    env |= {"TELEGRAM_MESSAGES_PER_SECOND": "200"}  # the fake takes more than Telegram
    if isinstance(fake, FakeBotAPI):
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url}
    else:
        env |= {"WECOM_API_BASE_URL": fake.base_url}
    return env


def sender(db_url: str, fake, now: str, lease: int = 30) -> subprocess.Popen:
    return subprocess.Popen(
        [TARGETBOT, "reminders", "--send-due", "--db", db_url, "--now", now],
        env=sender_env(fake, lease),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    try:
        wait(condition, timeout)
    except AssertionError:
        return False
    return True


def recorded_sent(engine: Engine) -> int:
    """Deliveries the database records as sent."""
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(Delivery).where(Delivery.status == SENT)
        ).one()


def delivered(fake) -> Counter:
    if isinstance(fake, FakeBotAPI):
        return Counter(f"telegram:{c['chat_id']}" for c in fake.recorded("sendMessage"))
    with fake.lock:
        posts = {key: list(posts) for key, posts in fake.robot_posts.items()}
    return Counter(f"wecom:{key}" for key, sent in posts.items() for _ in sent)


def test_two_senders_at_once_deliver_every_reminder_exactly_once(
    due: Engine, db_url: str, fake, kind: str
) -> None:
    # The sender that claims first has its sends held after HOLD; the other claims while that
    # pass is under way, finds every reminder claimed by a live sender or done, and ends
    # before the first is let go: the passes surely overlap.
    fake.hold_after = HOLD
    senders = [sender(db_url, fake, NOW), sender(db_url, fake, NOW)]
    assert wait_until(lambda: any(s.poll() is not None for s in senders))
    ended = [s for s in senders if s.poll() is not None]
    assert len(ended) == 1, [s.communicate(timeout=5) for s in ended]  # the other is held
    (loser,) = ended
    out_loser, err_loser = loser.communicate(timeout=30)
    fake.released.set()
    (winner,) = [s for s in senders if s is not loser]
    out_winner, err_winner = winner.communicate(timeout=120)
    assert loser.returncode == 0 and winner.returncode == 0, (err_loser, err_winner)
    assert delivered(fake) == Counter(chats(kind))
    assert number(out_winner, "sent") == COUNT and number(out_loser, "sent") == 0
    held, done = number(out_loser, "held by a live sender"), number(out_loser, "already done")
    assert held > 0 and held + done == COUNT and done <= HOLD


# the takeover after a kill is the claims' work, the same for every channel: Telegram's alone
# (the WeCom robots are counted exactly once in the two-sender test above)
@pytest.mark.parametrize("kind", ["telegram"], indirect=True)
def test_a_sender_killed_mid_fan_out_is_completed_by_the_next_exactly_once(
    due: Engine, db_url: str, fake, kind: str
) -> None:
    fake.hold_after = HOLD
    killed = sender(db_url, fake, NOW, lease=2)
    assert wait_until(lambda: fake.held > 0), killed.communicate(timeout=5)
    # Killed while requests are in flight (held unanswered at the server), once what the server
    # had already confirmed is recorded. The crash window between a confirmation and its record
    # (a millisecond) is not exercised: no chat API offers idempotency keys to close it.
    assert wait_until(lambda: recorded_sent(due) == HOLD), killed.communicate(timeout=5)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    fake.released.set()
    assert wait_until(lambda: fake.settled == fake.held)
    assert sum(delivered(fake).values()) == HOLD
    assert wait_until(lambda: leases_run_out(due))  # the dead sender's claims are free now
    code, out, err = targetbot_here(
        ["reminders", "--send-due", "--db", db_url, "--now", "2022-06-23T09:01:00+08:00"],
        sender_env(fake, lease=2),
    )
    assert code == 0, err
    assert f"sent {COUNT - HOLD}," in out
    assert f"taken over from a dead sender {COUNT - HOLD}," in out
    assert delivered(fake) == Counter(chats(kind))
