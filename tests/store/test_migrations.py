"""The schema is versioned with Alembic: migrations build exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from bot.cli import main
from store.db import current_revision, downgrade, head_revision, make_engine, upgrade

TABLES = {"document", "project", "checkpoint", "indicator"}
BEFORE_LANGUAGE, LANGUAGE = "0003", "0004"  # the subscription language column


def schema_differences(engine: Engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)


def test_an_empty_database_is_migrated_to_the_models_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert schema_differences(engine) == []


def test_downgrade_to_nothing_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert schema_differences(engine) == []


def test_every_command_brings_the_database_up_to_date_first(db_url: str, capsys) -> None:
    assert main(["projects", "--db", db_url]) == 0
    assert current_revision(make_engine(db_url)) == head_revision()
    assert "No projects yet" in capsys.readouterr().out


def test_db_upgrade_migrates_alone(db_url: str, capsys) -> None:
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert current_revision(make_engine(db_url)) == head_revision()
    assert "newest schema" in capsys.readouterr().out


def test_subscriptions_keep_their_rows_and_speak_chinese_after_the_language_column(
    db_url: str,
) -> None:
    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine, BEFORE_LANGUAGE)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO subscription (chat, project_codes, lead_days, at_time, active,"
                " created_at, updated_at) VALUES ('telegram:1', 'P1', '3', '08:30', TRUE,"
                " '2022-01-01 00:00:00', '2022-01-01 00:00:00')"
            )
        )
    upgrade(engine, LANGUAGE)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT chat, project_codes, lead_days, at_time, language FROM subscription")
        ).one()
    assert tuple(row) == ("telegram:1", "P1", "3", "08:30", "zh")
    downgrade(engine, BEFORE_LANGUAGE)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT chat, lead_days FROM subscription")).all()
    assert [tuple(r) for r in rows] == [("telegram:1", "3")]


def test_each_migration_upgrades_from_the_version_before_keeping_the_data(db_url: str) -> None:
    from sqlmodel import Session

    from store.documents import parse_file
    from store.export import export_all
    from store.importer import import_document
    from tests.conftest import SAMPLE

    engine = make_engine(db_url)
    upgrade(engine, "0001")
    import_document(engine, parse_file(SAMPLE))
    with Session(engine) as session:
        before = export_all(session)
    upgrade(engine, "0002")
    assert {"subscription", "delivery"} <= set(inspect(engine).get_table_names())
    upgrade(engine)
    assert schema_differences(engine) == []
    with Session(engine) as session:
        assert export_all(session) == before
    downgrade(engine, "0001")
    assert "subscription" not in inspect(engine).get_table_names()
    with Session(engine) as session:
        assert export_all(session) == before
