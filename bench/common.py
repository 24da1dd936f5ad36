"""What the benchmarks share: percentiles, peak memory, a store loaded with the sample."""

import resource
import sys
from pathlib import Path

from sqlalchemy import Engine

from store.db import open_database
from store.documents import parse_file
from store.importer import import_document

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "qingdao-2022.txt"


def p99(values: list[float]) -> float:
    """The 99th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """Peak resident set size so far, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def sample_store(folder: str, name: str) -> Engine:
    """A new SQLite file in `folder` with the bundled sample imported."""
    engine = open_database(f"sqlite:///{folder}/{name}.db")
    import_document(engine, parse_file(SAMPLE))
    return engine
