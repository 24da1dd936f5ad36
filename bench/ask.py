"""Answer latency: every question of the test phrasings against the sample, timed one by one.

Usage: python bench/ask.py [--rounds 5]
       python bench/ask.py --city [--folder DIR] [--departments 400] [--per-department 20]
Prints a table of median and p99 milliseconds per question, by kind of question. With --city:
the same on ../shared/bench/gen_city.py's corpus plus the sample (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set, which it empties first), with `targetbot ask` start-up, peak memory
and a naive matcher (one rapidfuzz WRatio over every indicator name) for comparison, and the
top-answer accuracy of the test phrasings there against the sample-only store (accuracy.py).
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import p99, peak_rss_mb, sample_store  # noqa: E402
from sqlmodel import Session  # noqa: E402

from handlers.routing import answer_question  # noqa: E402


def phrasings() -> list[str]:
    lines = (ROOT / "tests" / "fixtures" / "phrasings.jsonl").read_text(encoding="utf-8")
    return [json.loads(line)["q"] for line in lines.splitlines()]


def print_kinds(by_intent: dict[str, list[float]]) -> None:
    every = [t for times in by_intent.values() for t in times]
    print(f"| {'kind of question':<18} | {'count':>6} | {'median ms':>10} | {'p99 ms':>10} |")
    print(f"|{'-' * 20}|{'-' * 8}|{'-' * 12}|{'-' * 12}|")
    for intent, times in [*sorted(by_intent.items()), ("all", every)]:
        print(
            f"| {intent:<18} | {len(times):>6} | {statistics.median(times) * 1000:>10.2f} | "
            f"{p99(times) * 1000:>10.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--city", action="store_true", help="a city-sized store, vs naive")
    parser.add_argument("--folder", help="where the city corpus is (made there if missing)")
    parser.add_argument("--departments", type=int, default=400)
    parser.add_argument("--per-department", type=int, default=20)
    args = parser.parse_args()
    if args.city:
        from ask_city import run_city

        run_city(args.folder, args.departments, args.per_department)
        return
    questions = phrasings()
    now = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    by_intent: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = sample_store(folder, "ask")
        with Session(engine) as session:
            started = time.perf_counter()
            answer_question("预热", session, now)
            first = time.perf_counter() - started
            for _ in range(args.rounds):
                for question in questions:
                    t0 = time.perf_counter()
                    reply = answer_question(question, session, now)
                    by_intent.setdefault(reply.intent, []).append(time.perf_counter() - t0)
    print(
        f"{len(questions)} questions x {args.rounds} rounds; first question (catalog build) "
        f"{first * 1000:.1f} ms"
    )
    print_kinds(by_intent)
    print(f"peak resident memory: {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
