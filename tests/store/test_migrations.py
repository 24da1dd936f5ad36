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


def test_claims_of_the_version_before_leases_get_the_old_timeout_as_their_lease(
    db_url: str,
) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    engine = make_engine(db_url)
    upgrade(engine, "0004")
    claimed_at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    insert = text(
        "INSERT INTO delivery (chat, kind, target_date, lead_days, fire_at, status, claim_token,"
        " claimed_at, attempts) VALUES (:chat, 'checkpoint', '2022-06-30', 7, :at, :status,"
        " :token, :at, 1)"
    )
    with engine.begin() as connection:
        connection.execute(
            insert, {"chat": "telegram:1", "status": "claimed", "token": "t1", "at": claimed_at}
        )
        connection.execute(
            insert, {"chat": "telegram:2", "status": "sent", "token": "t2", "at": claimed_at}
        )
    upgrade(engine, "0005")
    from jobs.claims import deliveries

    rows = {row.chat: row for row in deliveries(engine)}
    assert rows["telegram:1"].lease_until == claimed_at + timedelta(minutes=10)
    assert rows["telegram:1"].sender == "before-leases:t1"
    assert (rows["telegram:2"].lease_until, rows["telegram:2"].sender) == (None, None)
    downgrade(engine, "0004")
    assert "lease_until" not in {c["name"] for c in inspect(engine).get_columns("delivery")}


def test_light_warnings_come_after_the_delivery_leases_and_go_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0005")
    assert "light_warning" not in inspect(engine).get_table_names()
    upgrade(engine, "0006")
    assert "light_warning" in inspect(engine).get_table_names()
    assert "lease_until" in {c["name"] for c in inspect(engine).get_columns("delivery")}
    downgrade(engine, "0005")
    assert "light_warning" not in inspect(engine).get_table_names()
    assert "lease_until" in {c["name"] for c in inspect(engine).get_columns("delivery")}


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    """The CLI reads the head without loading Alembic; it must name the head Alembic would."""
    from store.db import alembic_head_revision

    assert head_revision() == alembic_head_revision()
