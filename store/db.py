"""Engines, sessions and schema migrations (Alembic) for SQLite and PostgreSQL."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _tune_sqlite(dbapi_connection: DBAPIConnection, _record: object) -> None:
    """Foreign keys on; WAL so the bot and the CLI can share the file; fsync per checkpoint."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL; SQLite connections are tuned by _tune_sqlite."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def alembic_config() -> Config:
    """Alembic's configuration, pointing at the migrations shipped in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str | None:
    """The newest migration."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (the newest by default)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to `revision` ("base": no tables at all)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def ensure_current(engine: Engine) -> None:
    """Migrate the database when it is behind; cheap when it is already current."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def open_database(url: str) -> Engine:
    """An engine for `url` whose schema is at the newest version."""
    engine = make_engine(url)
    ensure_current(engine)
    return engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One session, one transaction: committed at the end, rolled back on any error."""
    with Session(engine) as session, session.begin():
        yield session
