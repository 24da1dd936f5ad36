"""Shared fixtures: databases (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) and samples."""

import functools
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlmodel import Session, SQLModel

from store.db import current_revision, head_revision, make_engine, open_database
from store.documents import parse_file
from store.export import export_all
from store.importer import import_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "qingdao-2022.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRUTH = FIXTURES / "qingdao-2022.expected.json"


def database_kinds() -> list[str]:
    """SQLite always; PostgreSQL too when CI hands us one."""
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `db_url` runs on every kind of database; one marked
    `@pytest.mark.database(kind)` on that kind alone (on SQLite where PostgreSQL is missing)."""
    if "db_url" in metafunc.fixturenames:
        kinds = database_kinds()
        if marker := metafunc.definition.get_closest_marker("database"):
            kinds = [kind for kind in kinds if kind in marker.args] or ["sqlite"]
        metafunc.parametrize("db_url", kinds, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow (whole processes, seconds each) first: under pytest-xdist they start
    at once beside the quick ones instead of stretching the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def worker_database_url(purpose: str = "") -> str:
    """TEST_DATABASE_URL, or under pytest-xdist a database of this worker's own beside it
    (`<name>_gw0`, ...), created when missing, so workers never reset each other's schema;
    with a purpose, another one of its own (`<name>_gw0_shared`)."""
    url = make_url(os.environ["TEST_DATABASE_URL"])
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker and not purpose:
        return url.render_as_string(hide_password=False)
    name = "_".join(part for part in (url.database, worker, purpose) if part)
    own = url.set(database=name)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(autouse=True, scope="session")
def _catalog_files_in_a_temporary_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """Catalog files of PostgreSQL stores (handlers/catalog_cache.py) go under the session's
    temporary folder, not the user's ~/.cache."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """This run's PostgreSQL database. A worker's own one is kept for the next run (emptied by
    every test that uses it); .ci/run drops its run's worker databases with its own."""
    return worker_database_url()


@pytest.fixture(scope="session")
def shared_postgres_url() -> str:
    """A second PostgreSQL database of this worker's, for a store a module builds once and its
    tests only read (the tests' own database is emptied by each test that uses it)."""
    return worker_database_url("shared")


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@functools.cache
def cleaning_engine(url: str) -> Engine:
    """The engine that empties a test database, kept for the session."""
    return make_engine(url)


def empty_postgres_at_newest_schema(url: str) -> None:
    """Empty every table of a test database already at the newest schema, or reset and migrate
    it when an earlier test left it elsewhere: the same state as a fresh migration, at a
    fraction of its cost. DELETE in foreign-key order, not TRUNCATE: on tables of a few rows it
    is ten times cheaper (no new files); the sequences start again at 1 as after a migration.
    One engine per database for the whole session: no new server connection per test."""
    engine = cleaning_engine(url)
    ordered = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        present = set(
            connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
    unknown = present - {"alembic_version"} - set(ordered)
    if current_revision(engine) != head_revision() or unknown:
        reset_postgres(url)
        open_database(url).dispose()
        return
    with engine.begin() as connection:
        deletes = "; ".join(f'DELETE FROM "{name}"' for name in ordered if name in present)
        connection.execute(text(deletes))
        connection.execute(
            text(
                "SELECT setval(oid, 1, false) FROM pg_class"
                " WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
            )
        )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once per worker, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "newest.db"
    open_database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database of the parametrized kind: without tables for a test that takes
    only the URL, already at the newest schema for one that also takes `engine`."""
    at_newest_schema = "engine" in request.fixturenames
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        if at_newest_schema:
            empty_postgres_at_newest_schema(url)
        else:
            reset_postgres(url)
        return url
    path = tmp_path / "test.db"
    if at_newest_schema:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on an empty database at the newest schema."""
    engine = open_database(db_url)
    yield engine
    engine.dispose()


def shared_store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> str:
    """An empty store of the kind a module-scoped fixture is parametrized with, for a store the
    module builds once and its tests only read."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("shared_postgres_url")
        empty_postgres_at_newest_schema(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp(name) / f'{name}.db'}"


@pytest.fixture(scope="module", params=database_kinds())
def shared_sample(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The sample imported once per kind of database for a module whose tests only read it."""
    engine = open_database(shared_store_url(request, tmp_path_factory, "sample"))
    import_document(engine, parse_file(SAMPLE))
    yield engine
    engine.dispose()


@pytest.fixture
def truth() -> dict:
    """The exact expected export of the sample document."""
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """A database with the sample document imported."""
    import_document(engine, parse_file(SAMPLE))
    return engine


@pytest.fixture
def sample_engine(tmp_path: Path, sqlite_template: Path) -> Engine:
    """A SQLite store with the sample imported, for the channel tests."""
    path = tmp_path / "sample.db"
    shutil.copyfile(sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    import_document(engine, parse_file(SAMPLE))
    return engine


def export(engine: Engine) -> dict:
    """The `export --json` data of a database."""
    with Session(engine) as session:
        return export_all(session)
