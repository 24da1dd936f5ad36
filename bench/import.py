"""Import throughput: a generated corpus of 1,000 projects into SQLite, timed per document.

Usage: python bench/import.py [--projects 1000] [--per-document 10] [--rounds 3] [--db URL]
       python bench/import.py --city [--folder DIR] [--rounds 1] [--db URL]
Prints a table of median and p99 per document and the throughput in projects per second.
--city imports ../shared/bench/gen_city.py's corpus (400 documents of 20 projects) instead; a
PostgreSQL --db is emptied before each round.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import p99, peak_rss_mb

from store.db import open_database
from store.documents import parse_bytes
from store.importer import import_document

LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
]
VALUES = ["≥{n}件", "≤{n}%", "{n}%", "≥{n}万元", "持续提升", "2024年{m}月"]


def rows_text(rows: list[list[str]]) -> str:
    """Rows in the Word text export: each cell a tab-led line, each row ended by a blank line."""
    return "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)


def project_text(rng: random.Random, number: int) -> str:
    budget = rng.randint(50, 20000)
    plan = [*sorted(rng.sample(range(1, budget), 3)), budget]
    rows = [
        ["100200示范单位本级", "单位：万元"],
        ["项目编码", f"BENCH{number:06d}", "项目名称", f"示范项目{number}号"],
        [
            "预算规模及资金用途",
            "预算数",
            f"{budget}.00",
            "其中：财政资金",
            f"{budget}.00",
            "其他资金",
            "",
        ],
        ["", "用于示范项目的各项支出。"],
        ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"],
        ["", *[f"{amount}.00" for amount in plan]],
        ["绩效目标", "完成示范项目的年度任务。"],
    ]
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    indicators = []
    for index in range(rng.randint(8, 16)):
        level1, level2 = LEVELS[min(index // 3, len(LEVELS) - 1)]
        value = rng.choice(VALUES).format(n=rng.randint(1, 999), m=rng.randint(1, 12))
        indicators.append(
            [level1, level2, f"指标{number}-{index}", f"反映指标{index}", value, "计划标准"]
        )
    return (
        f"{number}.示范项目{number}号绩效目标表\n"
        + rows_text(rows)
        + " \n"
        + rows_text([header, *indicators])
    )


def corpus(projects: int, per_document: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    documents = []
    for start in range(0, projects, per_document):
        body = "".join(
            project_text(rng, n) for n in range(start, min(start + per_document, projects))
        )
        documents.append(("示范市财政局\n2024年部门预算项目绩效目标\n\n" + body).encode())
    return documents


CPU_SECONDS: list[float] = []  # this process's CPU time per round (the database's not counted)


def run_round(documents: list[bytes], url: str) -> tuple[list[float], list[float], float]:
    engine = open_database(url)
    parse_times, save_times = [], []
    started, cpu = time.perf_counter(), time.process_time()
    for number, data in enumerate(documents):
        t0 = time.perf_counter()
        parsed = parse_bytes(data, f"bench-{number}.txt")
        t1 = time.perf_counter()
        import_document(engine, parsed)
        save_times.append(time.perf_counter() - t1)
        parse_times.append(t1 - t0)
    engine.dispose()
    CPU_SECONDS.append(time.process_time() - cpu)
    return parse_times, save_times, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--per-document", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="database URL (default: a new SQLite file per round)")
    parser.add_argument("--city", action="store_true", help="the generated city corpus")
    parser.add_argument("--folder", help="where the city corpus is (made there if missing)")
    args = parser.parse_args()
    parse_all, save_all, rates = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        if args.city:
            from city import generate

            corpus_folder = Path(args.folder or folder) / "city"
            corpus_folder.mkdir(parents=True, exist_ok=True)
            documents = [path.read_bytes() for path in generate(corpus_folder, 400, 20)]
            args.projects, args.per_document = 8000, 20
        else:
            documents = corpus(args.projects, args.per_document)
        for number in range(args.rounds):
            url = args.db or f"sqlite:///{folder}/bench-{number}.db"
            if url.startswith("postgresql"):
                from city import empty_postgres

                empty_postgres(url)
            parse_times, save_times, total = run_round(documents, url)
            parse_all += parse_times
            save_all += save_times
            rates.append(args.projects / total)
    per = args.per_document
    print(
        f"import of {args.projects} projects ({len(documents)} documents of {per}), "
        f"{args.rounds} rounds, {args.db or 'SQLite file'}"
    )
    print(f"| {'measure':<34} | {'median':>10} | {'p99':>10} |")
    print(f"|{'-' * 36}|{'-' * 12}|{'-' * 12}|")
    for label, values in [
        ("parse, ms per document", parse_all),
        ("save, ms per document", save_all),
        ("import, ms per document", [a + b for a, b in zip(parse_all, save_all, strict=True)]),
    ]:
        median_ms, p99_ms = statistics.median(values) * 1000, p99(values) * 1000
        print(f"| {label:<34} | {median_ms:>10.1f} | {p99_ms:>10.1f} |")
    print(
        f"| {'throughput, projects per second':<34} | {statistics.median(rates):>10.0f} | "
        f"{min(rates):>10.0f} |"
    )
    per_cpu = [args.projects / seconds for seconds in CPU_SECONDS]
    label = "projects per CPU-second (ours)"
    print(f"| {label:<34} | {statistics.median(per_cpu):>10.0f} | {min(per_cpu):>10.0f} |")

    print(f"peak resident memory: {peak_rss_mb():.0f} MiB")
    print("load average 1/5/15 min: " + " / ".join(f"{n:.1f}" for n in os.getloadavg()))


if __name__ == "__main__":
    main()
