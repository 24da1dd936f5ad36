"""`targetbot --help` and light commands start without the heavy libraries."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["telegram", "aiohttp", "pypinyin", "openpyxl", "docx", "matplotlib", "rapidfuzz"]
PROBE = """
import contextlib, io, json, sys
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def modules_loaded(*argv: str) -> set[str]:
    """The top-level modules a fresh process has loaded after running the command. A process of
    its own on purpose: this one has loaded every library already."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_loads_neither_the_chat_libraries_nor_the_database() -> None:
    loaded = modules_loaded("--help")
    assert not loaded & {*HEAVY, "sqlalchemy", "alembic", "rich", "pydantic"}


@pytest.mark.parametrize("command", ["projects", "export"])
def test_a_store_command_loads_no_chat_library_reader_or_engine(command: str, tmp_path) -> None:
    """On a store at the newest schema (a migration itself loads Alembic)."""
    from store.db import open_database

    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_database(url).dispose()
    args = [command, "--db", url]
    loaded = modules_loaded(*args, *(["--json"] if command == "export" else []))
    assert "sqlalchemy" in loaded
    assert not loaded & {*HEAVY, "alembic"}
