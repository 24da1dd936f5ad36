"""A SQLite store that cannot be written (read-only file system, or no write permission on the
file and its folder): commands that only read work, writes fail with a clear message."""

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
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow
TARGETBOT = str(Path(sys.executable).parent / "targetbot")
MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


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


def read_only(folder: Path, *argv: str) -> subprocess.CompletedProcess:
    """targetbot with `folder` unwritable: a read-only bind mount in a mount namespace of its
    own as root (root ignores permissions), file and folder permissions otherwise."""
    command = [TARGETBOT, *argv]
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("root without unshare: cannot make a folder unwritable")
        command = ["unshare", "-m", "sh", "-c", MOUNT_READ_ONLY, "sh", str(folder), *command]
    else:
        os.chmod(folder / "store.db", 0o444)
        os.chmod(folder, 0o555)
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_a_store_that_cannot_be_written_answers_questions(store_folder: Path) -> None:
    db = f"sqlite:///{store_folder / 'store.db'}"
    done = read_only(store_folder, "ask", "--db", db, "人才住房预算多少")
    if "Operation not permitted" in done.stderr or "permission denied" in done.stderr.lower():
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "14424.00" in done.stdout
    listed = read_only(store_folder, "projects", "--db", db)
    assert listed.returncode == 0 and "人才住房购置及后期管理" in listed.stdout


def test_writing_to_a_store_that_cannot_be_written_says_so(store_folder: Path) -> None:
    db = f"sqlite:///{store_folder / 'store.db'}"
    done = read_only(store_folder, "subscribe", "--db", db, "telegram:5")
    if "Operation not permitted" in done.stderr:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 1
    assert "is read-only" in done.stderr and "Traceback" not in done.stderr
