"""Exactly once across processes: two senders at once, and a sender killed mid fan-out."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from handlers.subscriptions import subscribe
from store.db import unit_of_work
from tests.fake_telegram import TOKEN, FakeBotAPI

TARGETBOT = str(Path(sys.executable).parent / "targetbot")
TZ = ZoneInfo("Asia/Shanghai")
CHATS = list(range(1, 201))


@pytest.fixture
def fake() -> FakeBotAPI:
    server = FakeBotAPI().start()
    yield server
    server.stop()


@pytest.fixture
def due_200(loaded: Engine) -> Engine:
    """200 chats, each with exactly one reminder due at 2022-06-23 09:00 (6月底, 7 days)."""
    with unit_of_work(loaded) as session:
        for chat in CHATS:
            subscribe(
                session, f"telegram:{chat}", [], "7", "09:00", datetime(2022, 1, 1, tzinfo=TZ)
            )
    return loaded


def sender(db_url: str, fake: FakeBotAPI, now: str, claim_timeout: int = 600) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WECOM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "REMINDER_CLAIM_TIMEOUT": str(claim_timeout),
    }
    return subprocess.Popen(
        [TARGETBOT, "reminders", "--send-due", "--db", db_url, "--now", now],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def delivered(fake: FakeBotAPI) -> Counter:
    return Counter(int(call["chat_id"]) for call in fake.recorded("sendMessage"))


def test_two_senders_at_once_deliver_200_reminders_exactly_once(
    due_200: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    now = "2022-06-23T09:00:00+08:00"
    first, second = sender(db_url, fake, now), sender(db_url, fake, now)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert delivered(fake) == Counter(CHATS)
    sent = [int(out.split("sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == 200


def test_a_sender_killed_mid_fan_out_is_completed_by_the_next_exactly_once(
    due_200: Engine, db_url: str, fake: FakeBotAPI
) -> None:
    fake.hold_after = 80
    killed = sender(db_url, fake, "2022-06-23T09:00:00+08:00", claim_timeout=120)
    deadline = time.monotonic() + 60
    while fake.held == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake.held > 0, killed.communicate(timeout=5)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    fake.released.set()
    assert sum(delivered(fake).values()) == 80
    too_soon = sender(db_url, fake, "2022-06-23T09:01:00+08:00", claim_timeout=120)
    out, _ = too_soon.communicate(timeout=60)
    assert "sent 0," in out and sum(delivered(fake).values()) == 80
    restarted = sender(db_url, fake, "2022-06-23T09:03:00+08:00", claim_timeout=120)
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err
    assert "sent 120," in out
    assert delivered(fake) == Counter(CHATS)
