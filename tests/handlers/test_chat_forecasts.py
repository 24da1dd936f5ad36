"""Admins give full-year forecasts in chat: /actual … 预计14000 and /progress … 预计20000笔."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from handlers.monitoring_chat import (
    Actor,
    ChatOutcome,
    RecordingContext,
    command_actual,
    command_progress_value,
    press_button,
    take_forecast,
)
from store.actual_models import IndicatorActual, SpendingActual
from store.db import unit_of_work
from store.monitoring_status import StatusRules

NOW = datetime(2022, 8, 1, 9, tzinfo=UTC)
ADMIN = Actor("telegram:1", admin=True)


def run(engine: Engine, command, args: str, actor: Actor = ADMIN) -> ChatOutcome:
    with unit_of_work(engine) as session:
        return command(args, RecordingContext(session, NOW, actor, StatusRules()))


def spending(engine: Engine) -> list[tuple[str, float, float | None]]:
    with Session(engine) as session:
        rows = session.exec(select(SpendingActual).order_by(col(SpendingActual.id)))
        return [(r.as_of.isoformat(), r.amount, r.forecast) for r in rows]


def indicators(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(IndicatorActual).order_by(col(IndicatorActual.id)))
        return [(r.value_text, r.forecast_text, r.forecast_number) for r in rows]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("人才住房 12000 预计14000", (["人才住房", "12000"], "14000")),
        ("人才住房 12000 7月底 预计 1.4亿", (["人才住房", "12000", "7月底"], "1.4亿")),
        ("贷款笔数 12000笔 全年预计：20000笔", (["贷款笔数", "12000笔"], "20000笔")),
        ("人才住房 12000 forecast 14000", (["人才住房", "12000"], "14000")),
        ("人才住房 12000", (["人才住房", "12000"], None)),
    ],
)
def test_the_forecast_is_taken_off_the_commands_words(words: str, expected: tuple) -> None:
    assert take_forecast(words.split()) == expected


def test_actual_with_a_forecast_stores_it_and_the_status_shows_it(sample_engine: Engine) -> None:
    outcome = run(sample_engine, command_actual, "人才住房 12000 7月底 预计14000")
    assert outcome.reply.intent == "actual_recorded"
    assert "全年预计执行数 14000.00 万元" in "\n".join(outcome.reply.lines)
    assert spending(sample_engine) == [("2022-07-31", 12000.0, 14000.0)]


def test_a_forecast_that_is_no_amount_is_refused_with_nothing_stored(
    sample_engine: Engine,
) -> None:
    outcome = run(sample_engine, command_actual, "人才住房 12000 预计很多")
    assert outcome.reply.intent == "refused" and "“很多”不是金额" in outcome.reply.lines[0]
    assert spending(sample_engine) == []


def test_the_confirm_button_keeps_the_forecast(sample_engine: Engine) -> None:
    run(sample_engine, command_actual, "人才住房 12000 6月底")
    refused = run(sample_engine, command_actual, "人才住房 11000 7月底 预计13000")
    [button] = refused.buttons
    run(sample_engine, lambda data, context: press_button(data, context), button.data)
    assert spending(sample_engine)[-1] == ("2022-07-31", 11000.0, 13000.0)


def test_progress_with_a_forecast_stores_the_indicators_forecast(sample_engine: Engine) -> None:
    outcome = run(sample_engine, command_progress_value, "贷款笔数 12000笔 7月底 预计20000笔")
    assert outcome.reply.intent == "indicator_recorded"
    assert "全年预计完成：20000笔" in outcome.reply.lines[1]
    assert indicators(sample_engine) == [("12000笔", "20000笔", 20000.0)]


def test_a_non_admin_giving_a_forecast_is_refused(sample_engine: Engine) -> None:
    stranger = Actor("telegram:9", admin=False)
    outcome = run(sample_engine, command_progress_value, "贷款笔数 12000笔 预计20000笔", stranger)
    assert outcome.reply.intent == "refused"
    assert indicators(sample_engine) == []
