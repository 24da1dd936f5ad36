"""One set of lease updates serves both claimed tables: reminders and light warnings."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, inspect, update
from sqlmodel import Session, col, select

from jobs.leases import Lease, claimable, given_back, renewal, settled, take_over
from store.actual_models import LightWarning
from store.claim_columns import ClaimColumns
from store.db import unit_of_work
from store.models import Delivery

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _stranded(engine: Engine) -> None:
    """A delivery and a warning claimed by a sender whose lease ran out."""
    gone = datetime.now(UTC) - timedelta(minutes=5)
    held: dict[str, Any] = {
        "status": "claimed",
        "claim_token": "old",
        "sender": "dead",
        "lease_until": gone,
    }
    with unit_of_work(engine) as session:
        session.add(
            Delivery(
                chat="telegram:1",
                kind="checkpoint",
                target_date=date(2026, 6, 30),
                lead_days=7,
                fire_at=NOW,
                attempts=1,
                **held,
            )
        )
        session.add(
            LightWarning(
                chat="telegram:1",
                project_code="P1",
                as_of=date(2026, 6, 1),
                light="red",
                attempts=1,
                **held,
            )
        )


def _row(engine: Engine, table: type[ClaimColumns]) -> ClaimColumns:
    with Session(engine) as session:
        return session.exec(select(table)).one()


def test_both_tables_have_the_claim_columns_of_one_mixin() -> None:
    names = set(ClaimColumns.model_fields)
    assert names <= set(inspect(Delivery).columns.keys())
    assert names <= set(inspect(LightWarning).columns.keys())


def test_one_take_over_renewal_and_settlement_serve_deliveries_and_warnings(
    engine: Engine,
) -> None:
    _stranded(engine)
    lease = Lease("alive", timedelta(minutes=2))
    for table in (Delivery, LightWarning):
        with unit_of_work(engine) as session:
            taken = session.execute(
                take_over(table, "new", NOW, lease)
                .where(claimable(table, lease))
                .returning(col(table.chat))
            ).all()
            assert taken == [("telegram:1",)]
            renewed = session.execute(renewal(table, lease).returning(col(table.chat))).all()
            assert renewed == [("telegram:1",)]
        row = _row(engine, table)
        assert (row.sender, row.claim_token, row.attempts) == ("alive", "new", 2)
        with unit_of_work(engine) as session:
            session.execute(update(table).values(settled("sent", NOW, None)))
        row = _row(engine, table)
        assert (row.status, row.sender, row.lease_until) == ("sent", None, None)
        with unit_of_work(engine) as session:
            session.execute(update(table).values(given_back("stop" * 200)))
        row = _row(engine, table)
        assert (row.status, len(row.error or "")) == ("released", 500)
