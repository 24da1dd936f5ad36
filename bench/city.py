"""A city-sized store for the benchmarks: ../shared/bench/gen_city.py's corpus plus the sample."""

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, text

from store.db import make_engine, open_database
from store.documents import parse_file
from store.importer import import_document

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_city.py"
SAMPLE = ROOT / "data" / "qingdao-2022.txt"


def generate(folder: Path, departments: int, per_department: int) -> list[Path]:
    """The generated documents (one per department), made once per folder."""
    files = sorted(folder.glob("dept-*.txt"))
    if len(files) != departments:
        generator = os.environ.get("GEN_CITY", str(GENERATOR))
        command = [sys.executable, generator, str(folder), str(departments), str(per_department)]
        subprocess.run(command, check=True)
        files = sorted(folder.glob("dept-*.txt"))
    return files


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, which the benchmark empties first (as the tests do)."""
    return os.environ.get("TEST_DATABASE_URL")


def empty_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def load(url: str, files: list[Path]) -> tuple[Engine, list[float], float]:
    """Import the files and the sample into `url`: (engine, seconds per file, total seconds)."""
    if url.startswith("postgresql"):
        empty_postgres(url)
    engine = open_database(url)
    per_file = []
    started = time.perf_counter()
    for path in [*files, SAMPLE]:
        t0 = time.perf_counter()
        import_document(engine, parse_file(path))
        per_file.append(time.perf_counter() - t0)
    return engine, per_file, time.perf_counter() - started
