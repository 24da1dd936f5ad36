"""Top-answer accuracy of the test phrasings on a city-sized store against the sample-only store.

Usage: python bench/accuracy.py CITY_URL   (a store holding the sample among other projects)
Every phrasing of tests/fixtures/phrasings.jsonl is about the sample. "top" accuracy counts the
phrasings of mode "top" whose first answer is an expected one (the issue's measure: the city
store must stay within 5 points of the sample-only store); "all modes" applies the public
scorer's rule to every phrasing (top; all: every expected answer and at least half of the
answers expected; none: no answer), where a city's many projects are expected to lower "all".
"""

import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

PHRASINGS = ROOT / "tests" / "fixtures" / "phrasings.jsonl"
NOW = datetime(2022, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
GOAL_POINTS = 5.0


def _key(answer: dict) -> tuple:
    detail = {"indicator": "name", "milestone": "checkpoint"}.get(answer["kind"])
    return (answer["kind"], answer.get("project_code"), answer.get(detail) if detail else None)


def passes(mode: str, expected: set[tuple], answers: list[dict]) -> bool:
    """The public scorer's rule for one question."""
    keys = [_key(a) for a in answers]
    if mode == "none":
        return not keys
    if mode == "top":
        return bool(keys) and keys[0] in expected
    return expected <= set(keys) and 2 * sum(k in expected for k in keys) >= len(keys)


def score(url: str, missed: list[str] | None = None) -> dict[str, float]:
    """Per cent of phrasings passed on the store at `url`: "top" and "all modes"; the "top"
    phrasings that fail are added to `missed`."""
    from sqlmodel import Session

    from handlers.routing import answer_question
    from store.db import make_engine

    rows = [json.loads(line) for line in PHRASINGS.read_text(encoding="utf-8").splitlines()]
    top = every = top_count = 0
    with Session(make_engine(url)) as session:
        for row in rows:
            reply = answer_question(row["q"], session, NOW).to_json()
            expected = {tuple(e) if e[0] != "budget" else (e[0], e[1], None) for e in row["expect"]}
            ok = passes(row["mode"], expected, reply["answers"])
            every += ok
            if row["mode"] == "top":
                top_count += 1
                top += ok
                if not ok and missed is not None:
                    missed.append(row["q"])
    return {"top": 100 * top / top_count, "all modes": 100 * every / len(rows)}


def compare(city_url: str, missed: list[str] | None = None) -> str:
    """The two stores' accuracies side by side, and whether the city is within the goal."""
    from common import sample_store

    with tempfile.TemporaryDirectory() as folder:
        sample_store(folder, "accuracy").dispose()
        sample = score(f"sqlite:///{folder}/accuracy.db")
    city = score(city_url, missed)
    drop = sample["top"] - city["top"]
    verdict = "within" if drop <= GOAL_POINTS else "NOT within"
    return (
        f"top-answer accuracy of the test phrasings: sample-only {sample['top']:.1f}%, city "
        f"{city['top']:.1f}% ({drop:.1f} points lower, {verdict} the {GOAL_POINTS:.0f}-point "
        f"goal); every mode by the public scorer's rule: sample-only "
        f"{sample['all modes']:.1f}%, city {city['all modes']:.1f}%"
    )


if __name__ == "__main__":
    failing: list[str] = []
    print(compare(sys.argv[1], failing))
    print("top phrasings the city store misses: " + " / ".join(failing))
