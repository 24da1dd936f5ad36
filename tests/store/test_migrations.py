"""The schema is versioned with Alembic: migrations build exactly the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from bot.cli import main
from store.db import (
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    open_database,
    upgrade,
)

TABLES = {"document", "project", "checkpoint", "indicator"}
BEFORE_LANGUAGE, LANGUAGE = "0003", "0004"  # the subscription language column


def schema_differences(engine: Engine) -> list:
    """What the database's schema lacks or has more than the models: tables, columns, types,
    indexes, constraints and server defaults."""
    options = {"compare_type": True, "compare_server_default": True}
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, SQLModel.metadata)


def schema(engine: Engine) -> dict:
    """Every table's columns (type, nullable, default; in any order: a migration adds them at
    the end), indexes, keys and constraints."""
    found = inspect(engine)
    return {
        table: (
            sorted(
                (c["name"], str(c["type"]), c["nullable"], c["default"])
                for c in found.get_columns(table)
            ),
            sorted(
                (i["name"], tuple(i["column_names"]), i["unique"]) for i in found.get_indexes(table)
            ),
            found.get_pk_constraint(table)["constrained_columns"],
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in found.get_foreign_keys(table)
            ),
            sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
        )
        for table in sorted(found.get_table_names())
    }


def test_an_empty_database_is_migrated_to_the_models_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    assert schema_differences(engine) == []


def test_a_new_database_is_created_with_the_schema_the_migrations_build(
    db_url: str, tmp_path
) -> None:
    """open_database creates a new database's tables at once (no migration run one by one):
    exactly what upgrading from nothing builds, stamped at the newest version."""
    created = open_database(db_url)
    assert current_revision(created) == head_revision()
    assert schema_differences(created) == []
    built = schema(created)
    created.dispose()
    migrated = make_engine(db_url if "sqlite" not in db_url else f"sqlite:///{tmp_path / 'm.db'}")
    if migrated.dialect.name == "postgresql":
        downgrade(migrated, "base")
        with migrated.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    upgrade(migrated)
    assert schema(migrated) == built


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
    assert f"schema created at version {head_revision()}" in capsys.readouterr().out


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


ROWS_0001 = (
    "INSERT INTO document (id, source_name, content_hash, format, department, title, year,"
    " imported_at) VALUES (1, 'a.txt', 'h1', 'txt', '某局', '2022年绩效目标表', 2022,"
    " '2022-01-01 00:00:00')",
    "INSERT INTO project (id, document_id, position, code, name, department, unit_code, unit,"
    " year, money_unit, budget, fiscal_funds, other_funds, purpose, goal) VALUES (1, 1, 0, 'P1',"
    " '人才住房', '某局', NULL, NULL, 2022, '万元', 14424.0, 14424.0, NULL, '用途', '目标')",
    "INSERT INTO checkpoint (id, project_id, position, label, month, date, amount)"
    " VALUES (1, 1, 0, '6月底', 6, '2022-06-30', 7000.0)",
    "INSERT INTO indicator (id, project_id, position, level1, level2, name, description, value,"
    " comparator, number, number_max, unit, kind, deadline, basis) VALUES (1, 1, 0, '产出指标',"
    " '数量指标', '发放套数', NULL, '≥100套', '≥', 100.0, NULL, '套', 'number', NULL, NULL)",
)
KEPT = (
    "SELECT d.source_name, p.code, p.name, p.budget, p.goal, c.label, c.amount, i.name, i.value"
    " FROM project p JOIN document d ON d.id = p.document_id"
    " JOIN checkpoint c ON c.project_id = p.id JOIN indicator i ON i.project_id = p.id"
)
KEPT_ROW = ("a.txt", "P1", "人才住房", 14424.0, "目标", "6月底", 7000.0, "发放套数", "≥100套")


def write_rows(engine: Engine, statements: tuple[str, ...]) -> None:
    """Rows of an older schema, written in plain SQL (the models describe only the newest)."""
    from sqlalchemy import text

    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def read_rows(engine: Engine, query: str) -> list[tuple]:
    from sqlalchemy import text

    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_each_migration_upgrades_from_the_version_before_keeping_the_data(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    write_rows(engine, ROWS_0001)
    upgrade(engine, "0002")
    assert {"subscription", "delivery"} <= set(inspect(engine).get_table_names())
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    upgrade(engine)
    assert schema_differences(engine) == []
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    downgrade(engine, "0001")
    assert "subscription" not in inspect(engine).get_table_names()
    assert read_rows(engine, KEPT) == [KEPT_ROW]


def test_document_fields_come_after_0008_with_every_project_kept_in_wan_yuan(
    db_url: str,
) -> None:
    from sqlmodel import Session

    from store.export import export_all

    engine = make_engine(db_url)
    upgrade(engine, "0006")
    write_rows(engine, ROWS_0001)
    upgrade(engine, "0009")
    new_columns = "SELECT p.source_money_unit, p.midterm_goal, i.weight FROM project p"
    assert read_rows(engine, new_columns + " JOIN indicator i ON i.project_id = p.id") == [
        ("万元", None, None)
    ]
    with Session(engine) as session:
        [project] = export_all(session)["projects"]
    assert "source_money_unit" not in project and "midterm_goal" not in project
    assert project["budget"] == 14424.0 and "weight" not in project["indicators"][0]
    downgrade(engine, "0006")
    assert "midterm_goal" not in {c["name"] for c in inspect(engine).get_columns("project")}
    assert "weight" not in {c["name"] for c in inspect(engine).get_columns("indicator")}
    assert read_rows(engine, KEPT) == [KEPT_ROW]


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


def test_seen_messages_come_after_0007_keeping_the_data_and_go_back(db_url: str) -> None:
    from store.seen_messages import first_sight

    engine = make_engine(db_url)
    upgrade(engine, "0007")
    write_rows(engine, ROWS_0001)
    upgrade(engine, "0008")
    assert "seen_message" in inspect(engine).get_table_names()
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    assert first_sight(engine, "wecom:1") and not first_sight(engine, "wecom:1")
    downgrade(engine, "0007")
    assert "seen_message" not in inspect(engine).get_table_names()
    assert read_rows(engine, KEPT) == [KEPT_ROW]


def test_button_keys_come_after_0009_and_keep_the_data(db_url: str) -> None:
    from sqlalchemy import text
    from sqlmodel import Session

    from store.button_keys import button_key, button_payload

    engine = make_engine(db_url)
    upgrade(engine, "0009")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO recording_grant (chat, project_code, granted_by, granted_at)"
                " VALUES ('telegram:1', 'P1', 'telegram:9', '2026-11-30 09:00:00')"
            )
        )
    upgrade(engine, "0010")
    assert schema_differences(engine) == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT project_code FROM recording_grant")).all() == [
            ("P1",)
        ]
    with Session(engine) as session, session.begin():
        key = button_key(session, "p", {"c": "X" * 63, "q": "项目总成本"})
    with Session(engine) as session:
        assert button_payload(session, "p", key) == {"c": "X" * 63, "q": "项目总成本"}
    downgrade(engine, "0009")
    assert "button_key" not in inspect(engine).get_table_names()


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    """The CLI reads the head without loading Alembic; it must name the head Alembic would."""
    from store.db import alembic_head_revision

    assert head_revision() == alembic_head_revision()


def test_processes_opening_one_new_database_at_once_all_find_it_at_the_newest_schema(
    db_url: str,
) -> None:
    """Replicas started together on a new database: one creates it, the others wait for it."""
    from concurrent.futures import ThreadPoolExecutor

    def opened(_: int) -> str | None:
        engine = open_database(db_url)
        try:
            return current_revision(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(4) as pool:
        revisions = list(pool.map(opened, range(4)))
    assert revisions == [head_revision()] * 4
    assert schema_differences(make_engine(db_url)) == []
