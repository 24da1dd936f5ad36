"""Migration 0003 adds the actuals tables to a database of the version before, keeping its data."""

from datetime import UTC, date, datetime

from sqlalchemy import inspect, text
from sqlmodel import Session

from store.actuals import SpendingEntry, latest_spending, record_spending
from store.db import downgrade, make_engine, unit_of_work, upgrade
from store.queries import project_by_code
from tests.store.test_migrations import KEPT, KEPT_ROW, ROWS_0001, read_rows, write_rows

SUBSCRIPTION_0002 = (
    "INSERT INTO subscription (chat, project_codes, lead_days, at_time, active,"
    " created_at, updated_at) VALUES ('telegram:42', '', '7,1', '09:00', TRUE,"
    " '2022-06-01 09:00:00', '2022-06-01 09:00:00')"
)


def test_upgrade_from_0002_keeps_documents_and_subscriptions(db_url: str) -> None:
    """Rows as version 0002 stores them, written in plain SQL (the models are newer)."""
    engine = make_engine(db_url)
    upgrade(engine, "0002")
    write_rows(engine, (*ROWS_0001, SUBSCRIPTION_0002))
    upgrade(engine, "0003")
    assert {"spending_actual", "indicator_actual"} <= set(inspect(engine).get_table_names())
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    upgrade(engine)  # the models describe the newest schema: record an actual through them
    now = datetime(2022, 6, 1, 9, tzinfo=UTC)
    with unit_of_work(engine) as session:
        project = project_by_code(session, "P1")
        assert project is not None
        record_spending(session, SpendingEntry(project, 500, date(2022, 6, 30), "form", "a"), now)
    with Session(engine) as session:
        assert latest_spending(session, "P1", date(2022, 7, 1)).amount == 500
    downgrade(engine, "0002")
    assert "spending_actual" not in inspect(engine).get_table_names()
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    assert read_rows(engine, "SELECT chat, lead_days FROM subscription") == [("telegram:42", "7,1")]
    engine.dispose()


def test_upgrade_from_0006_keeps_actuals_and_gives_old_warning_claims_the_old_timeout(
    db_url: str,
) -> None:
    """Rows as version 0006 stores them, written in plain SQL (the models are newer)."""
    from datetime import timedelta

    from jobs.leases import Lease
    from jobs.warning_claims import renew

    engine = make_engine(db_url)
    upgrade(engine, "0006")
    write_rows(engine, ROWS_0001)
    claimed_at = datetime(2022, 8, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO spending_actual (project_code, as_of, amount, source, recorded_by,"
                " recorded_at) VALUES ('P1', '2022-06-30', 500, 'form', 'a', :at)"
            ),
            {"at": claimed_at},
        )
        connection.execute(
            text(
                "INSERT INTO light_warning (chat, project_code, as_of, light, status, claim_token,"
                " claimed_at, attempts) VALUES ('telegram:1', 'P1',"
                " '2022-07-31', 'red', 'claimed', 't1', :at, 1)"
            ),
            {"at": claimed_at},
        )
    spent = "SELECT project_code, amount FROM spending_actual"
    upgrade(engine, "0007")
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    assert read_rows(engine, spent) == [("P1", 500)]
    assert read_rows(engine, "SELECT forecast FROM spending_actual") == [(None,)]
    sender, until = read_rows(engine, "SELECT sender, lease_until FROM light_warning")[0]
    assert sender == "before-leases:t1" and until is not None
    upgrade(engine)  # the lease is renewed through the models of the newest version
    assert len(renew(engine, Lease("before-leases:t1", timedelta(seconds=5)))) == 1
    downgrade(engine, "0006")
    assert "forecast" not in {c["name"] for c in inspect(engine).get_columns("spending_actual")}
    assert "sender" not in {c["name"] for c in inspect(engine).get_columns("light_warning")}
    assert read_rows(engine, KEPT) == [KEPT_ROW]
    assert read_rows(engine, spent) == [("P1", 500)]
    engine.dispose()
