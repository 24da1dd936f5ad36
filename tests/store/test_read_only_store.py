"""A SQLite store that cannot be written (read-only file system, or no write permission on the
file and its folder): commands that only read work, writes fail with a clear message."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import open_database
from store.documents import parse_file
from store.importer import import_document
from tests.bot.cli_runner import Ran
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow
MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
# The commands run one after another in one process, each as `targetbot ARGS` would run it: its
# exit status and what it printed (a logger's warnings reach stderr through logging's last resort).
EACH_COMMAND = """
import contextlib, io, json, sys
from bot.cli import main

def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as done:
            code = done.code
    return code, out.getvalue(), err.getvalue()

print(json.dumps([run(argv) for argv in json.loads(sys.argv[1])]))
"""


@pytest.fixture
def store_folder() -> Iterator[Path]:
    """A folder with a store holding the sample (WAL mode, closed cleanly)."""
    folder = Path(tempfile.mkdtemp(prefix="targetbot-ro-"))
    engine = open_database(f"sqlite:///{folder / 'store.db'}")
    import_document(engine, parse_file(SAMPLE))
    engine.dispose()
    yield folder
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


def read_only(folder: Path, *commands: list[str]) -> list[Ran]:
    """The commands run with `folder` unwritable: a read-only bind mount in a mount namespace of
    its own as root (root ignores permissions), file and folder permissions otherwise.
    A process on purpose, as root: the mount namespace must not be this one's. One for all the
    commands: a targetbot process costs more to start than the commands cost to run."""
    command = [sys.executable, "-c", EACH_COMMAND, json.dumps(commands)]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("root without unshare: cannot make a folder unwritable")
        command = ["unshare", "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", str(folder), *command]
    else:
        os.chmod(folder / "store.db", 0o444)
        os.chmod(folder, 0o555)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if os.geteuid() == 0 and done.stderr.startswith(("unshare:", "mount:")):
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 0 and done.stderr == "", done.stderr  # no traceback out of main
    return [Ran(*ran) for ran in json.loads(done.stdout)]


def test_a_store_that_cannot_be_written_answers_questions_and_refuses_writes(
    store_folder: Path,
) -> None:
    db = f"sqlite:///{store_folder / 'store.db'}"
    asked, listed, subscribed = read_only(
        store_folder,
        ["ask", "--db", db, "人才住房预算多少"],
        ["projects", "--db", db],
        ["subscribe", "--db", db, "telegram:5"],
    )
    assert asked.code == 0, asked.err
    assert "14424.00" in asked.out
    assert listed.code == 0 and "人才住房购置及后期管理" in listed.out
    assert subscribed.code == 1
    assert "is read-only" in subscribed.err and "Traceback" not in subscribed.err
