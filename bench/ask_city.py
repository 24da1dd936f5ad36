"""bench/ask.py --city: the engine and a naive matcher on a city-sized store, in fresh processes,
and the test phrasings' top-answer accuracy there against the sample-only store (accuracy.py).

Each measured process is started anew (`targetbot ask` for start-up; a worker running this file
for the questions), so start-up, memory and latency are those a user of the store would see.
"""

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from city import generate, load, postgres_url  # noqa: E402
from common import p99, peak_rss_mb  # noqa: E402

FIRST_QUESTION = "贷款笔数要求多少"


def city_questions(url: str, count: int = 120, seed: int = 3) -> list[str]:
    """Questions of every kind about the generated projects, made from the store's own names."""
    from sqlalchemy import text

    from store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        names = [r[0] for r in connection.execute(text("SELECT name FROM indicator"))]
        projects = [r[0] for r in connection.execute(text("SELECT name FROM project"))]
    engine.dispose()
    rng = random.Random(seed)
    shapes = [
        "{indicator}目标是多少",
        "{indicator}",
        "{short}要求多少",
        "{project}6月底计划支出多少",
        "{project}预算多少",
        "{project}有哪些指标",
        "{project}满意度指标",
    ]
    questions = []
    for number in range(count):
        indicator = rng.choice(names)
        project = rng.choice(projects).split("（")[0]
        shape = shapes[number % len(shapes)]
        short = indicator[len(indicator) // 3 :]
        questions.append(shape.format(indicator=indicator, short=short, project=project))
    return questions


def startup_seconds(url: str, rounds: int = 3) -> tuple[float, float, float]:
    """Wall and CPU time of `targetbot ask` answering one question in a new process (medians of
    `rounds` starts that find the catalog's cache file), and the wall time of the first start
    after the import (which builds the catalog and writes that file)."""
    command = [sys.executable, "-m", "bot.cli", "ask", "--db", url, FIRST_QUESTION]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    cold = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(rounds):
        before = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
        cpu.append(_children_cpu() - before)
    return statistics.median(times), statistics.median(cpu), cold


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_worker(kind: str, url: str, questions: Path) -> dict:
    """Run this file as a worker in a new process; its JSON result."""
    command = [sys.executable, __file__, kind, url, str(questions), repr(time.time())]
    done = subprocess.run(command, check=True, capture_output=True, cwd=ROOT, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def engine_worker(url: str, questions: list[str], spawned: float) -> dict:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlmodel import Session

    from handlers.routing import answer_question
    from store.db import make_engine

    now = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    by_intent: dict[str, list[float]] = {}
    cpu_times: list[float] = []
    with Session(make_engine(url)) as session:
        answer_question(FIRST_QUESTION, session, now)
        first = time.time() - spawned
        for question in questions:
            started, cpu = time.perf_counter(), time.process_time()
            reply = answer_question(question, session, now)
            by_intent.setdefault(reply.intent, []).append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
    return {"first": first, "times": by_intent, "cpu": cpu_times}


def naive_worker(url: str, questions: list[str], spawned: float) -> dict:
    from rapidfuzz import fuzz, process
    from sqlalchemy import text

    from store.db import make_engine

    with make_engine(url).connect() as connection:
        query = text("SELECT p.code, i.name FROM indicator i JOIN project p ON p.id = i.project_id")
        rows = list(connection.execute(query))
    names = [name for _, name in rows]
    process.extractOne(FIRST_QUESTION, names, scorer=fuzz.WRatio)
    first = time.time() - spawned
    times, cpu_times = [], []
    for question in questions:
        started, cpu = time.perf_counter(), time.process_time()
        process.extractOne(question, names, scorer=fuzz.WRatio)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
    return {"first": first, "times": {"all": times}, "cpu": cpu_times}


def _row(label: str, first: float, times: list[float], cpu: list[float], rss: float) -> list:
    wall = [statistics.median(times) * 1000, p99(times) * 1000]
    return [label, first, *wall, statistics.median(cpu) * 1000, p99(cpu) * 1000, rss]


def measure(url: str, label: str, questions: Path) -> None:
    """Start-up, latency and memory of the engine and of the naive matcher on one store."""
    startup, startup_cpu, cold = startup_seconds(url)
    engine = run_worker("engine", url, questions)
    naive = run_worker("naive", url, questions)
    every = [t for times in engine["times"].values() for t in times]
    rows = [
        _row("targetbot", startup, every, engine["cpu"], engine["rss"]),
        _row("naive WRatio", naive["first"], naive["times"]["all"], naive["cpu"], naive["rss"]),
    ]
    ratio = ["ratio", *(a / b for a, b in zip(rows[0][1:6], rows[1][1:6], strict=True))]
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\n{label}: {len(every)} questions (load average 1/5/15 min: {load})")
    print(
        "| matcher | start-up + first answer s | median ms | p99 ms | median CPU ms "
        "| p99 CPU ms | peak RSS MiB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, first, *numbers, rss in rows:
        print(
            f"| {name} | {first:.2f} | "
            + " | ".join(f"{n:.2f}" for n in numbers)
            + f" | {rss:.0f} |"
        )
    print("| ratio | " + " | ".join(f"{r:.3f}x" for r in ratio[1:]) + " | |")
    print(
        f"(targetbot ask start-up CPU: {startup_cpu:.2f} s; first start after the import, "
        f"building the catalog and its cache file: {cold:.2f} s; the worker's own start-up + "
        f"first answer: {engine['first']:.2f} s; naive: its worker's)"
    )
    from ask import print_kinds

    print_kinds(engine["times"])
    accuracy = [sys.executable, str(ROOT / "bench" / "accuracy.py"), url]  # (keeps this one small)
    print(subprocess.run(accuracy, check=True, capture_output=True, text=True).stdout.strip())


def run_city(folder: str | None, departments: int, per_department: int) -> None:
    """Generate, import (SQLite; PostgreSQL when TEST_DATABASE_URL is set) and measure."""
    from ask import phrasings

    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(folder or scratch) / "city"
        corpus.mkdir(parents=True, exist_ok=True)
        files = generate(corpus, departments, per_department)
        stores = [("SQLite", f"sqlite:///{scratch}/city.db")]
        if url := postgres_url():
            stores.append(("PostgreSQL", url))
        for label, url in stores:
            engine, _, seconds = load(url, files)
            engine.dispose()
            print(f"{label}: imported {len(files) + 1} files in {seconds:.1f} s")
            questions = Path(scratch) / "questions.json"
            asked = phrasings() + city_questions(url)
            questions.write_text(json.dumps(asked, ensure_ascii=False), encoding="utf-8")
            size = f"{departments * per_department} projects + the sample"
            measure(url, f"{label}, {size}", questions)


def worker_main() -> None:
    kind, url, path, spawned = sys.argv[1:5]
    questions = json.loads(Path(path).read_text(encoding="utf-8"))
    work = engine_worker if kind == "engine" else naive_worker
    result = work(url, questions, float(spawned))
    result["rss"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    worker_main()
