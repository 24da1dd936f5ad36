"""Mutated copies of the sample either import or are refused cleanly: never a traceback."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from store.db import open_database
from store.documents import parse_bytes
from store.errors import DocumentError
from store.importer import import_document
from tests.conftest import SAMPLE

LINES = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
ENGINE: Engine | None = None


def engine() -> Engine:
    global ENGINE
    ENGINE = ENGINE or open_database("sqlite://")
    return ENGINE


@st.composite
def mutated(draw: st.DrawFn) -> list[str]:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "cut", "replace", "swap"]))
        line = lines[index]
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "cut":
            lines[index] = line[: draw(st.integers(0, len(line)))]
        elif action == "replace" and line:
            at = draw(st.integers(0, len(line) - 1))
            char = draw(st.sampled_from(["\t", "\n", " ", "x", "≥", "月", "", "指标", "\x00"]))
            lines[index] = line[:at] + char + line[at + 1 :]
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        if not lines:
            break
    return lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_sample_imports_or_is_refused_cleanly(lines: list[str]) -> None:
    data = "".join(lines).encode("utf-8")
    try:
        document = parse_bytes(data, "mutated.txt")
    except DocumentError as error:
        assert str(error).startswith("mutated.txt: ") and "\n" not in str(error)
        return
    import_document(engine(), document)
    assert document.projects or document.refused
    assert all(p.indicators for p in document.projects)
    assert all(r.reason and "\n" not in r.describe() for r in document.refused)
