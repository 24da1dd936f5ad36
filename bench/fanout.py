"""Reminder fan-out: 10,000 subscribed chats through the fake Bot API, which answers 429 past
Telegram's limits (30 messages a second, 20 a minute per group).

Usage: python bench/fanout.py [--chats 10000] [--groups 100]
Prints messages per second, duplicates and 429s, and a table of per-10-second throughput.
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot_api_stub import TOKEN, BotAPIStub  # noqa: E402
from common import peak_rss_mb  # noqa: E402

from bot.tg.reminder_sender import TelegramChannel, reminder_bot  # noqa: E402
from jobs.delivery import Deliverer  # noqa: E402
from store.db import open_database, unit_of_work  # noqa: E402
from store.documents import parse_file  # noqa: E402
from store.importer import import_document  # noqa: E402
from store.reminder_timing import ReminderTiming  # noqa: E402
from store.subscriptions import subscribe  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 6, 23, 9, 0, tzinfo=TZ)


def chat_ids(chats: int, groups: int) -> list[int]:
    """Private chats, and some groups (negative ids) that the per-group limit applies to."""
    return [-1000 - n for n in range(groups)] + list(range(1, chats - groups + 1))


async def fan_out(url: str, chats: list[int], fake: BotAPIStub) -> float:
    engine = open_database(url)
    import_document(engine, parse_file(ROOT / "data" / "qingdao-2022.txt"))
    with unit_of_work(engine) as session:
        for chat in chats:
            subscribe(session, f"telegram:{chat}", [], ReminderTiming.read("7", "09:00"), NOW)
    bot = reminder_bot(TOKEN, fake.base_url)
    async with bot:
        started = time.perf_counter()
        outcome = await Deliverer(engine, [TelegramChannel(bot)], TZ).send_due(NOW)
        elapsed = time.perf_counter() - started
    print(f"sent {len(outcome.sent)}, failed {len(outcome.failed)}, in {elapsed:.1f} s")
    return elapsed


def windows(times: list[float], size: float = 10.0) -> list[float]:
    """Messages per second in each full window of `size` seconds."""
    start, end = min(times), max(times)
    counts = Counter(int((t - start) // size) for t in times)
    full = int((end - start) // size)
    return [counts[n] / size for n in range(full)] or [len(times) / max(end - start, 1e-9)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=100)
    args = parser.parse_args()
    fake = BotAPIStub(enforce_limits=True).start()
    chats = chat_ids(args.chats, args.groups)
    with tempfile.TemporaryDirectory() as folder:
        elapsed = asyncio.run(fan_out(f"sqlite:///{folder}/fanout.db", chats, fake))
    fake.stop()
    received = Counter(chat for _, chat in fake.sent)
    duplicates = sum(count - 1 for count in received.values() if count > 1)
    missing = len(set(chats) - set(received))
    rate = sum(received.values()) / elapsed
    per_window = windows([t for t, _ in fake.sent]) if fake.sent else [0.0]
    ordered = sorted(per_window)
    low = ordered[max(0, round(0.01 * (len(ordered) - 1)))]
    print(
        f"{args.chats} chats ({args.groups} groups): {sum(received.values())} messages, "
        f"{rate:.1f} messages/s, {duplicates} duplicates, {missing} missing, "
        f"{fake.too_many} 429s"
    )
    print(f"| {'measure':<36} | {'median':>8} | {'p99':>8} |")
    print(f"|{'-' * 38}|{'-' * 10}|{'-' * 10}|")
    print(
        f"| {'messages per second (10-s windows)':<36} | {statistics.median(per_window):>8.1f} | "
        f"{low:>8.1f} |"
    )
    print("(p99: the slowest 1% of windows)")
    print(f"peak resident memory: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
