"""Migration 0003 adds the actuals tables to a database of the version before, keeping its data."""

from datetime import UTC, date, datetime

from sqlalchemy import inspect, text
from sqlmodel import Session

from store.actuals import SpendingEntry, latest_spending, record_spending
from store.db import downgrade, make_engine, unit_of_work, upgrade
from store.documents import parse_file
from store.export import export_all
from store.importer import import_document
from store.queries import project_by_code
from tests.conftest import SAMPLE


def test_upgrade_from_0002_keeps_documents_and_subscriptions(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    import_document(engine, parse_file(SAMPLE))
    now = datetime(2022, 6, 1, 9, tzinfo=UTC)
    with engine.begin() as connection:  # a row as version 0002 stores it (the model is newer)
        connection.execute(
            text(
                "INSERT INTO subscription (chat, project_codes, lead_days, at_time, active,"
                " created_at, updated_at) VALUES ('telegram:42', '', '7,1', '09:00', TRUE,"
                " '2022-06-01 09:00:00', '2022-06-01 09:00:00')"
            )
        )
    with Session(engine) as session:
        before = export_all(session)
    upgrade(engine, "0003")
    assert {"spending_actual", "indicator_actual"} <= set(inspect(engine).get_table_names())
    with Session(engine) as session:
        assert export_all(session) == before
    upgrade(engine)  # the ORM models are those of the newest version
    with unit_of_work(engine) as session:
        project = project_by_code(session, "37020022P88002810055U")
        assert project is not None
        record_spending(session, SpendingEntry(project, 500, date(2022, 6, 30), "form", "a"), now)
    with Session(engine) as session:
        assert latest_spending(session, "37020022P88002810055U", date(2022, 7, 1)).amount == 500
    downgrade(engine, "0002")
    assert "spending_actual" not in inspect(engine).get_table_names()
    with Session(engine) as session:
        assert export_all(session) == before
    engine.dispose()


def test_upgrade_from_0006_keeps_actuals_and_gives_old_warning_claims_the_old_timeout(
    db_url: str,
) -> None:
    from datetime import timedelta

    from jobs.claims import Lease
    from jobs.warning_claims import renew

    engine = make_engine(db_url)
    upgrade(engine, "0006")
    import_document(engine, parse_file(SAMPLE))
    claimed_at = datetime(2022, 8, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:  # rows as version 0006 stores them
        connection.execute(
            text(
                "INSERT INTO spending_actual (project_code, as_of, amount, source, recorded_by,"
                " recorded_at) VALUES ('37020022P88002810055U', '2022-06-30', 500, 'form', 'a',"
                " :at)"
            ),
            {"at": claimed_at},
        )
        connection.execute(
            text(
                "INSERT INTO light_warning (chat, project_code, as_of, light, status, claim_token,"
                " claimed_at, attempts) VALUES ('telegram:1', '37020022P88002810055U',"
                " '2022-07-31', 'red', 'claimed', 't1', :at, 1)"
            ),
            {"at": claimed_at},
        )
    with Session(engine) as session:
        before = export_all(session)
    upgrade(engine, "0007")
    with Session(engine) as session:
        assert export_all(session) == before
        kept = latest_spending(session, "37020022P88002810055U", date(2022, 7, 1))
        assert kept is not None and (kept.amount, kept.forecast) == (500, None)
    with engine.connect() as connection:
        sender, until = connection.execute(
            text("SELECT sender, lease_until FROM light_warning")
        ).one()
    assert sender == "before-leases:t1" and until is not None
    assert len(renew(engine, Lease("before-leases:t1", timedelta(seconds=5)))) == 1
    downgrade(engine, "0006")
    assert "forecast" not in {c["name"] for c in inspect(engine).get_columns("spending_actual")}
    assert "sender" not in {c["name"] for c in inspect(engine).get_columns("light_warning")}
    with Session(engine) as session:
        assert export_all(session) == before
    engine.dispose()
