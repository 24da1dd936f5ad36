"""Dated actuals are added, never overwritten; impossible ones are refused with nothing stored."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from store.actual_models import IndicatorActual, SpendingActual
from store.actuals import (
    ActualRefused,
    IndicatorActualEntry,
    SpendingEntry,
    latest_indicator_actual,
    latest_spending,
    latest_spending_by_project,
    record_indicator,
    record_spending,
    spending_history,
    withdraw_spending,
)
from store.db import unit_of_work
from store.documents import parse_file
from store.importer import import_document
from store.models import Project
from store.queries import project_by_code, project_indicators
from tests.conftest import SAMPLE

HOUSING = "37020022P46000910003U"  # 人才住房, budget 14424
NOW = datetime(2022, 8, 1, 9, 0, tzinfo=UTC)


def _record(engine: Engine, amount: float, day: date, force: bool = False, by: str = "a") -> int:
    with unit_of_work(engine) as session:
        project = project_by_code(session, HOUSING)
        assert project is not None
        row = record_spending(
            session, SpendingEntry(project, amount, day, "form", by, force=force), NOW
        )
        assert row.id is not None
        return row.id


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(SpendingActual)).one()


def test_a_later_record_for_the_same_date_is_added_and_wins(loaded: Engine) -> None:
    _record(loaded, 9000, date(2022, 6, 30))
    _record(loaded, 9500, date(2022, 6, 30))
    with Session(loaded) as session:
        history = spending_history(session, HOUSING)
        assert [row.amount for row in history] == [9000, 9500]
        latest = latest_spending(session, HOUSING, date(2022, 7, 31))
        assert latest is not None and latest.amount == 9500


def test_latest_is_the_newest_date_on_or_before_the_day(loaded: Engine) -> None:
    _record(loaded, 5000, date(2022, 3, 31))
    _record(loaded, 9000, date(2022, 6, 30))
    with Session(loaded) as session:
        assert latest_spending(session, HOUSING, date(2022, 5, 1)).amount == 5000
        assert latest_spending(session, HOUSING, date(2022, 2, 1)) is None
        assert latest_spending_by_project(session, date(2022, 12, 31))[HOUSING].amount == 9000


def test_lower_than_an_earlier_amount_needs_force_and_says_why(loaded: Engine) -> None:
    _record(loaded, 9000, date(2022, 6, 30))
    with pytest.raises(ActualRefused) as refused:
        _record(loaded, 8000, date(2022, 7, 31))
    assert refused.value.key == "actual_below_earlier" and refused.value.forcible
    assert refused.value.values["earlier"] == "9000"
    assert _count(loaded) == 1
    _record(loaded, 8000, date(2022, 7, 31), force=True)
    assert _count(loaded) == 2


def test_above_the_budget_needs_force(loaded: Engine) -> None:
    with pytest.raises(ActualRefused) as refused:
        _record(loaded, 15000, date(2022, 7, 31))
    assert refused.value.key == "actual_above_budget"
    assert _count(loaded) == 0
    _record(loaded, 15000, date(2022, 7, 31), force=True)
    assert _count(loaded) == 1


@pytest.mark.parametrize(("amount", "day"), [(-1, date(2022, 6, 30)), (100, date(2023, 1, 31))])
def test_impossible_amounts_are_refused_even_with_force(
    loaded: Engine, amount: float, day: date
) -> None:
    with pytest.raises(ActualRefused) as refused:
        _record(loaded, amount, day, force=True)
    assert not refused.value.forcible
    assert _count(loaded) == 0


def test_undo_withdraws_without_deleting(loaded: Engine) -> None:
    _record(loaded, 9000, date(2022, 6, 30))
    second = _record(loaded, 9500, date(2022, 6, 30), by="alice")
    with unit_of_work(loaded) as session:
        assert not withdraw_spending(session, second, "mallory", NOW)
        assert withdraw_spending(session, second, "alice", NOW)
    with unit_of_work(loaded) as session:
        assert not withdraw_spending(session, second, "alice", NOW)
        assert latest_spending(session, HOUSING, date(2022, 6, 30)).amount == 9000
    assert _count(loaded) == 2


def test_indicator_actuals_keep_their_history(loaded: Engine) -> None:
    with unit_of_work(loaded) as session:
        project = project_by_code(session, HOUSING)
        assert project is not None and project.id is not None
        item = project_indicators(session, project.id)[1]
        name = item.name
        for text, number, day in [
            ("50套", 50.0, date(2022, 3, 31)),
            ("80套", 80.0, date(2022, 6, 30)),
        ]:
            entry = IndicatorActualEntry(
                project,
                item,
                text,
                number,
                day,
                "form",
                "a",
                "120套",
                120.0,
                "经费保障",
                "慢",
                "有可能",
            )
            record_indicator(session, entry, NOW)
    with Session(loaded) as session:
        latest = latest_indicator_actual(session, HOUSING, name, date(2022, 7, 31))
        assert latest is not None and latest.value_text == "80套"
        assert (latest.forecast_number, latest.reason_category, latest.likelihood) == (
            120.0,
            "经费保障",
            "有可能",
        )
        assert session.exec(select(func.count()).select_from(IndicatorActual)).one() == 2


def test_actuals_survive_a_new_version_of_the_document(loaded: Engine, tmp_path) -> None:
    _record(loaded, 9000, date(2022, 6, 30))
    changed = tmp_path / "changed.txt"
    changed.write_text(SAMPLE.read_text(encoding="utf-8").replace("≥110套", "≥120套"), "utf-8")
    import_document(loaded, parse_file(changed))
    with Session(loaded) as session:
        assert session.exec(select(Project).where(Project.code == HOUSING)).one()
        assert latest_spending(session, HOUSING, date(2022, 12, 31)).amount == 9000
