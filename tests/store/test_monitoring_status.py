"""序时进度, 执行率, gaps, plan positions and lights, as a finance bureau counts them."""

from datetime import date

import pytest

from store.checkpoints import PlanPoint as Point
from store.monitoring_status import (
    DAYS,
    MONTHS,
    StatusRules,
    light_for,
    plan_position,
    project_status,
    time_progress,
)

PLAN = [
    Point("3月底", 3, date(2022, 3, 31), 306.0),
    Point("6月底", 6, date(2022, 6, 30), 610.0),
    Point("10月底", 10, date(2022, 10, 31), 1010.0),
    Point("12月底", 12, date(2022, 12, 31), 1221.0),
]
BLANK_FIRST = [Point("3月底", 3, date(2022, 3, 31), None), *PLAN[1:]]
RULES = StatusRules()
CONTRACT_FIELDS = {
    "project_code",
    "as_of",
    "executed",
    "budget",
    "execution_rate",
    "time_progress",
    "gap_points",
    "planned_to_date",
    "next_checkpoint",
    "to_spend_for_next",
    "light",
}  # of `progress --json`, CONTRACT.md


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 6, 30), 50.0),
        (date(2022, 7, 31), 58.33),
        (date(2022, 9, 30), 75.0),
        (date(2022, 11, 30), 91.67),
        (date(2022, 5, 31), 41.67),
        (date(2022, 7, 15), 50.0),  # July is not over yet
        (date(2022, 1, 1), 0.0),
        (date(2022, 12, 31), 100.0),
    ],
)
def test_time_progress_by_months_counts_finished_months(day: date, expected: float) -> None:
    assert time_progress(day, MONTHS) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 6, 30), round(181 / 365 * 100, 2)),
        (date(2022, 7, 15), round(196 / 365 * 100, 2)),
        (date(2024, 12, 31), 100.0),
        (date(2024, 2, 29), round(60 / 366 * 100, 2)),
    ],
)
def test_time_progress_by_days_counts_days_of_the_year(day: date, expected: float) -> None:
    assert time_progress(day, DAYS) == expected


@pytest.mark.parametrize(
    ("gap", "light"),
    [(5.0, "green"), (0.0, "green"), (-0.01, "yellow"), (-10.0, "yellow"), (-10.01, "red")],
)
def test_every_light_boundary_with_the_default_thresholds(gap: float, light: str) -> None:
    assert light_for(gap, RULES) == light


def test_thresholds_are_settings() -> None:
    strict = StatusRules(yellow_below=-5, red_below=-20)
    assert light_for(-4.99, strict) == "green"
    assert light_for(-5.01, strict) == "yellow"
    assert light_for(-20.0, strict) == "yellow"
    assert light_for(-20.01, strict) == "red"
    with pytest.raises(ValueError):
        StatusRules(time_method="weeks")
    with pytest.raises(ValueError):
        StatusRules(yellow_below=-20, red_below=-10)


def test_at_a_checkpoint_the_plan_is_what_that_checkpoint_says() -> None:
    status = project_status("P", 1200.0, PLAN, 600.0, date(2022, 6, 30), RULES)
    assert status.execution_rate == 50.0
    assert status.time_progress == 50.0
    assert status.gap_points == 0.0
    assert status.planned_to_date == 610.0
    assert status.previous_checkpoint == "6月底"
    assert status.next_checkpoint == "10月底"
    assert status.to_spend_for_next == 410.0
    assert status.to_spend_per_day == round(410 / 123, 2)
    assert status.estimated_plan is None
    assert status.plan_gap_points == round((600 - 610) / 1200 * 100, 2)
    assert status.time_light == "green"
    assert status.plan_light == "yellow"
    assert status.light == "yellow"


def test_between_checkpoints_previous_and_next_plan_with_an_estimate() -> None:
    status = project_status("P", 1221.1, PLAN, 500.0, date(2022, 7, 31), RULES)
    assert status.time_progress == 58.33
    assert status.planned_to_date == 610.0
    assert (status.previous_checkpoint, status.next_checkpoint) == ("6月底", "10月底")
    assert status.next_planned == 1010.0
    assert status.estimated_plan == round(610 + 400 * 31 / 123, 2)
    assert status.gap_points == round(500 / 1221.1 * 100 - 58.33, 2)
    assert status.light == "red"


def test_before_the_first_checkpoint_nothing_was_due() -> None:
    status = project_status("P", 1221.1, PLAN, 100.0, date(2022, 2, 28), RULES)
    assert status.planned_to_date == 0.0
    assert status.previous_checkpoint is None
    assert status.next_checkpoint == "3月底"
    assert status.to_spend_for_next == 206.0


def test_a_blank_checkpoint_planned_nothing_and_is_not_the_next_target() -> None:
    early = plan_position(BLANK_FIRST, date(2022, 2, 1))
    assert early.next is not None and early.next.label == "6月底"
    at_blank = plan_position(BLANK_FIRST, date(2022, 4, 30))
    assert at_blank.previous is not None and at_blank.previous.label == "3月底"
    assert at_blank.planned_to_date == 0.0


def test_past_the_last_checkpoint_there_is_nothing_next() -> None:
    status = project_status("P", 1221.1, PLAN, 1221.1, date(2022, 12, 31), RULES)
    assert status.next_checkpoint is None and status.to_spend_for_next is None
    assert status.light == "green"


def test_already_ahead_of_the_next_checkpoint_needs_nothing_more() -> None:
    status = project_status("P", 1221.1, PLAN, 1100.0, date(2022, 7, 31), RULES)
    assert status.to_spend_for_next == 0.0


@pytest.mark.parametrize("plan", [[], [Point("6月底", 6, date(2022, 6, 30), None)]])
def test_a_document_without_a_plan_is_judged_by_time_alone(plan: list[Point]) -> None:
    status = project_status("P", 1000.0, plan, 400.0, date(2022, 6, 30), RULES)
    assert status.planned_to_date is None and status.next_checkpoint is None
    assert status.plan_light is None
    assert status.gap_points == -10.0
    assert status.light == status.time_light == "yellow"


def test_no_actual_means_no_rate_and_no_light() -> None:
    status = project_status("P", 1221.1, PLAN, None, date(2022, 7, 31), RULES)
    assert status.executed is None and status.execution_rate is None
    assert status.light is None and status.to_spend_for_next is None
    assert status.time_progress == 58.33


def test_no_budget_means_no_rate_and_no_light() -> None:
    status = project_status("P", None, PLAN, 500.0, date(2022, 7, 31), RULES)
    assert status.execution_rate is None and status.light is None
    assert status.to_spend_for_next == 510.0


def test_the_days_method_changes_the_gap() -> None:
    by_days = project_status("P", 1200.0, [], 600.0, date(2022, 7, 15), StatusRules(DAYS))
    assert by_days.time_progress == round(196 / 365 * 100, 2)
    assert by_days.gap_points == round(50.0 - by_days.time_progress, 2)
    assert by_days.time_method == DAYS


def test_the_json_has_the_contract_fields() -> None:
    data = project_status("P", 1221.1, PLAN, 600.0, date(2022, 6, 30), RULES).to_json()
    assert set(data) >= CONTRACT_FIELDS
    assert data["as_of"] == "2022-06-30"
