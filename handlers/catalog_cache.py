"""The built catalog kept in a file per store version, so a new process loads it, not rebuilds it.

The file sits next to a SQLite store (`.targetbot-cache/` beside it) or, for PostgreSQL and a
store whose folder cannot be written, under `$XDG_CACHE_HOME/targetbot` (`~/.cache/targetbot`).
It holds a small header (the store version and a fingerprint of the engine's code and word
lists) and then the pickled catalog; a file whose header does not match is ignored and
replaced. `TARGETBOT_CATALOG_CACHE=off` turns the file off. The file is only ever read by this
program from a folder of the store's owner: it is trusted as the store itself is.
"""

import gc
import hashlib
import os
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

FORMAT = 1
SOURCES = Path(__file__).parent  # the engine's code and data: a change makes a new catalog


@cache
def code_fingerprint() -> str:
    """A digest of every file the catalog is derived with (handlers/ and the store's vocab)."""
    digest = hashlib.sha256()
    files = sorted([*SOURCES.glob("*.py"), *SOURCES.glob("data/*.json")])
    store = SOURCES.parent / "store"
    files += [store / "vocab.json", store / "checkpoints.py", store / "money.py"]
    files += [store / "messages.py", store / "data" / "messages.json"]  # the answers' lines
    for path in files:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_file(engine: Engine) -> Path | None:
    """Where the catalog of this store is kept; None for in-memory SQLite or when turned off."""
    if os.environ.get("TARGETBOT_CATALOG_CACHE", "").lower() in ("off", "0", "no"):
        return None
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:") or url.database.startswith("file:"):
            return None
        store = Path(url.database).resolve()
        folder = store.parent / ".targetbot-cache"
        if os.access(store.parent, os.W_OK):
            return folder / f"{store.name}.catalog"
    key = url.render_as_string(hide_password=True)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "targetbot"
    return base / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.catalog"


def _header(version: tuple[object, ...]) -> tuple[object, ...]:
    return (FORMAT, code_fingerprint(), repr(version))


def load(path: Path, version: tuple[object, ...]) -> Any | None:
    """The catalog stored for this store version, or None (no file, another version, damaged)."""
    try:
        with path.open("rb") as file:
            if pickle.load(file) != _header(version):
                return None
            gc.disable()  # a catalog is a million small objects: no collections while loading
            try:
                return pickle.load(file)
            finally:
                gc.enable()
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None


def save(path: Path, version: tuple[object, ...], catalog: object) -> None:
    """Write the catalog for this store version (atomically; a failure only costs a rebuild)."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with part.open("wb") as file:
            pickle.dump(_header(version), file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(catalog, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except (OSError, pickle.PicklingError, RecursionError):
        part.unlink(missing_ok=True)


def load_or_build(engine: Engine, version: tuple[object, ...], build: Callable[[], Any]) -> Any:
    """The catalog of this store version: from its file, else built and written there."""
    path = cache_file(engine)
    if path is not None and (found := load(path, version)) is not None:
        return found
    catalog = build()
    if path is not None:
        save(path, version, catalog)
    return catalog
