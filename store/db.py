"""Engines, sessions and schema migrations (Alembic) for SQLite and PostgreSQL."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    event,
    inspect,
    make_url,
    text,
)
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, SQLModel, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_LOCK = 0x7461726765  # the advisory lock a new PostgreSQL database is created under


def _tune_sqlite(dbapi_connection: DBAPIConnection, _record: object) -> None:
    """Foreign keys on; WAL so the bot and the CLI can share the file; fsync per checkpoint."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def postgres_timeouts(connect_timeout: float, statement_timeout: float) -> dict[str, object]:
    """libpq options: connect and statement timeouts, TCP keepalives and a user timeout, so
    that a silent network fails a call within about half a minute instead of hanging it."""
    return {
        "connect_timeout": max(1, round(connect_timeout)),
        "options": f"-c statement_timeout={round(statement_timeout * 1000)}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": round((connect_timeout + statement_timeout) * 1000),
    }


URL_FORMS = (
    "sqlite:///PATH or postgresql://USER@HOST/DB (postgres:// and postgresql+psycopg:// too)"
)
POSTGRES_PREFIXES = ("postgresql+psycopg://", "postgresql://", "postgres://")


class UnusableURL(ValueError):
    """A database URL this program cannot open: neither SQLite nor PostgreSQL with psycopg 3."""


def usable_url(url: str) -> str:
    """The URL SQLAlchemy is given: postgres:// and postgresql:// become psycopg 3's form;
    UnusableURL for any other kind of database or a URL that does not parse."""
    for prefix in POSTGRES_PREFIXES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:"):
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise UnusableURL(url) from None
        if parsed.host or parsed.port:  # sqlite://folder/x.db: a path needs three slashes
            raise UnusableURL(url)
        return url
    raise UnusableURL(url)


def make_engine(url: str, connect_timeout: float = 5.0, statement_timeout: float = 30.0) -> Engine:
    """An engine for a SQLAlchemy URL; SQLite connections are tuned by _tune_sqlite, PostgreSQL
    ones get timeouts and keepalives, and connections are checked before use (after an outage
    the pool reconnects instead of failing once per stale connection)."""
    url = usable_url(url)
    if url.startswith("postgresql"):
        timeouts = postgres_timeouts(connect_timeout, statement_timeout)
        return create_engine(url, pool_pre_ping=True, connect_args=timeouts)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def alembic_config() -> "Config":
    """Alembic's configuration, pointing at the migrations shipped in this package."""
    from alembic.config import Config  # Alembic loads only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:\"([^\"]*)\"|None)", re.M)


@cache
def head_revision() -> str | None:
    """The newest migration, read from the migration files without loading Alembic; Alembic
    decides when they do not form one line (several heads)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) == 1:
        return heads.pop()
    return alembic_head_revision()


def alembic_head_revision() -> str | None:
    """The newest migration as Alembic sees it."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (Alembic's version table); None for an empty one."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(version) if version is not None else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (the newest by default)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` ("base": no tables at all)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def ensure_current(engine: Engine) -> None:
    """Migrate the database when it is behind; cheap when it is already current. A database
    without any table gets the newest schema at once (create_newest)."""
    revision = current_revision(engine)
    if revision is None and create_newest(engine):
        return
    if revision is None:  # tables after all: another process created them meanwhile
        revision = current_revision(engine)
    if revision != head_revision():
        upgrade(engine)


VERSION_TABLE = Table(  # Alembic's own, as `alembic stamp` writes it
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def create_newest(engine: Engine) -> bool:
    """Create the models' tables in a database that has none, stamped with the newest migration
    (Alembic's recipe for a new database: the schema the migrations build, tests/store/
    test_migrations.py checks, without running them one by one). False if the database has
    tables, found under a lock so two processes opening one new database at once are safe."""
    import store.models  # noqa: F401  (registers every table on SQLModel.metadata)

    head = head_revision()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite: the write lock, now
        if inspect(connection).get_table_names() or head is None:
            return False
        SQLModel.metadata.create_all(connection)
        VERSION_TABLE.create(connection)
        connection.execute(VERSION_TABLE.insert().values(version_num=head))
    return True


def open_database(url: str, **timeouts: float) -> Engine:
    """An engine for `url` whose schema is at the newest version."""
    engine = make_engine(url, **timeouts)
    ensure_current(engine)
    return engine


class ReadOnlyStore(Exception):
    """A store that cannot be written is at an older schema than this version needs."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def not_writable(url: str) -> bool:
    """A SQLite store whose file or folder this process cannot write (permissions, a read-only
    file system): SQLite needs both to write, and the folder for its -wal and -shm files."""
    path = sqlite_file(url)
    if path is None or not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _foreign_keys(dbapi_connection: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_read_only(url: str) -> Engine:
    """A read-only engine on a SQLite store that cannot be written (no WAL switch, no
    migration; `immutable` when not even its -shm file can be made)."""
    path = sqlite_file(url)
    assert path is not None
    immutable = "" if os.access(path.parent, os.W_OK) else "&immutable=1"
    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro{immutable}&uri=true")
    event.listen(engine, "connect", _foreign_keys)
    if current_revision(engine) != head_revision():
        raise ReadOnlyStore(
            f"the store {path} cannot be written and its schema is older than this version "
            "needs: run `targetbot db upgrade` where it can be written"
        )
    return engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One session, one transaction: committed at the end, rolled back on any error."""
    with Session(engine) as session, session.begin():
        yield session
