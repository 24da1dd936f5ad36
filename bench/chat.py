"""Chat latency: a question pushed to the fake Bot API until the bot's sendMessage arrives.

Usage: python bench/chat.py [--messages 200]
Runs the real python-telegram-bot stack in-process against bench/bot_api_stub.py (127.0.0.1)
and prints median and p99 of the round trip, beside the engine's own time for the same questions.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot_api_stub import TOKEN, BotAPIStub  # noqa: E402
from common import p99, peak_rss_mb, sample_store  # noqa: E402

from bot.assistant import Assistant  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.tg.app import build_application, start_polling, stop_updates  # noqa: E402


async def measure(count: int, folder: str) -> tuple[list[float], list[float]]:
    engine = sample_store(folder, "bench")
    lines = (ROOT / "tests" / "fixtures" / "phrasings.jsonl").read_text(encoding="utf-8")
    questions = [json.loads(line)["q"] for line in lines.splitlines()]
    fake = BotAPIStub().start()
    settings = Settings(
        _env_file=None, telegram_bot_token=TOKEN, telegram_api_base_url=fake.base_url
    )
    assistant = Assistant(engine, settings)
    application = build_application(settings, assistant)
    chat, engine_times = [], []
    async with application:
        await start_polling(application, timeout=1)
        for number in range(count):
            question = questions[number % len(questions)]
            t0 = time.perf_counter()
            assistant.ask(question)
            engine_times.append(time.perf_counter() - t0)
            before = len(fake.sent)
            t0 = time.perf_counter()
            fake.push_text(question)
            await asyncio.to_thread(fake.wait_sent, before + 1)
            chat.append(time.perf_counter() - t0)
        await stop_updates(application)
    fake.stop()
    return chat, engine_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        chat, engine_times = asyncio.run(measure(args.messages, folder))
    print(
        f"{args.messages} private-chat questions through python-telegram-bot and the fake Bot API"
    )
    print(f"| {'measure':<40} | {'median ms':>10} | {'p99 ms':>10} |")
    print(f"|{'-' * 42}|{'-' * 12}|{'-' * 12}|")
    for label, values in [
        ("engine alone (Assistant.ask)", engine_times),
        ("update pushed -> sendMessage received", chat),
    ]:
        print(
            f"| {label:<40} | {statistics.median(values) * 1000:>10.2f} | "
            f"{p99(values) * 1000:>10.2f} |"
        )

    print(f"peak resident memory: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
