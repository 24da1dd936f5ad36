"""Questions about actuals: spending progress, laggards, indicator completion (kinds progress and
indicator_progress), while plan questions keep their answers."""

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from handlers.routing import answer_question
from store.actuals import IndicatorActualEntry, SpendingEntry, record_indicator, record_spending
from store.db import unit_of_work
from store.monitoring_queries import all_statuses
from store.monitoring_status import DAYS, StatusFigures, StatusRules
from store.queries import project_by_code, project_indicators

FUND = "37020022P88002810055U"
HOUSING = "37020022P46000910003U"
IT = "37020022P13000410008Q"
NOW = datetime(2022, 8, 5, 9, tzinfo=UTC)


def spend(engine: Engine, code: str, amount: float, day: date) -> None:
    with unit_of_work(engine) as session:
        project = project_by_code(session, code)
        assert project is not None
        record_spending(session, SpendingEntry(project, amount, day, "form", "t"), NOW)


def ask(engine: Engine, question: str, rules: StatusRules | None = None):
    with Session(engine) as session:
        return answer_question(question, session, NOW, rules=rules)


def test_a_project_progress_answer_has_rate_time_progress_gap_plan_and_light(
    loaded: Engine,
) -> None:
    spend(loaded, HOUSING, 13000, date(2022, 7, 31))
    reply = ask(loaded, "人才住房执行进度")
    assert reply.intent == "progress"
    (answer,) = reply.answers
    assert answer.kind == "progress" and answer.project_code == HOUSING
    assert (answer.executed, answer.execution_rate, answer.time_progress) == (13000, 90.13, 58.33)
    assert answer.light == "yellow"  # ahead of 序时进度 but 8.13 points behind its 6月底 plan
    for words in [
        "90.13%",
        "58.33%",
        "超出序时进度 31.80 个百分点",
        "6月底",
        "10月底",
        "1298.00",
        "估算",
        "黄灯",
    ]:
        assert words in reply.text
    assert reply.to_json()["answers"][0]["kind"] == "progress"


def test_a_progress_answer_carries_the_status_figures_after_the_project_code_and_name(
    loaded: Engine,
) -> None:
    spend(loaded, HOUSING, 13000, date(2022, 7, 31))
    (answer,) = ask(loaded, "人才住房执行进度").answers
    with Session(loaded) as session:
        (status,) = [
            s for s in all_statuses(session, NOW.date(), StatusRules()) if s.project_code == HOUSING
        ]
    assert isinstance(answer, StatusFigures) and answer.figures() == status.figures()
    keys = list(ask(loaded, "人才住房执行进度").to_json()["answers"][0])
    assert keys[:4] == ["kind", "project_code", "project_name", "as_of"]
    assert keys[-2:] == ["light", "unit"]


def test_the_time_progress_method_is_a_setting(loaded: Engine) -> None:
    spend(loaded, HOUSING, 13000, date(2022, 7, 15))
    by_days = ask(loaded, "人才住房执行进度", StatusRules(DAYS)).answers[0]
    assert by_days.time_progress == round(196 / 365 * 100, 2)
    assert "按天计" in ask(loaded, "人才住房执行进度", StatusRules(DAYS)).text


def test_every_project_and_those_without_actuals_say_so(loaded: Engine) -> None:
    spend(loaded, IT, 700, date(2022, 7, 31))
    reply = ask(loaded, "支出进度怎么样")
    assert [a.project_code for a in reply.answers] == [FUND, HOUSING, IT]
    assert reply.answers[0].executed is None and reply.answers[0].light is None
    assert "还没有记录执行数" in reply.text


def test_laggards_are_the_yellow_and_red_projects_worst_first(loaded: Engine) -> None:
    spend(loaded, FUND, 300, date(2022, 7, 31))  # 24.57% vs 58.33%: red
    spend(loaded, HOUSING, 13000, date(2022, 7, 31))  # yellow against its plan
    spend(loaded, IT, 800, date(2022, 7, 31))  # 61.03%, ahead of its 655 plan: green
    reply = ask(loaded, "哪些项目支出滞后")
    assert [(a.project_code, a.light) for a in reply.answers] == [
        (FUND, "red"),
        (HOUSING, "yellow"),
    ]
    assert "支出滞后的项目（2 个）" in reply.text


def test_no_laggards_says_so(loaded: Engine) -> None:
    spend(loaded, IT, 800, date(2022, 7, 31))
    reply = ask(loaded, "哪些项目支出滞后")
    assert reply.answers == ()
    assert "都没有滞后" in reply.text and "还没有执行数的项目" in reply.text


def test_indicator_progress_against_its_target(loaded: Engine) -> None:
    with unit_of_work(loaded) as session:
        project = project_by_code(session, FUND)
        assert project is not None and project.id is not None
        item = next(i for i in project_indicators(session, project.id) if i.name == "发放贷款笔数")
        entry = IndicatorActualEntry(
            project,
            item,
            "12000笔",
            12000.0,
            date(2022, 6, 30),
            "form",
            "t",
            "21000笔",
            21000.0,
            "经费保障",
            "资金下达晚",
            "有可能",
        )
        record_indicator(session, entry, NOW)
    reply = ask(loaded, "贷款笔数完成了多少")
    assert reply.intent == "indicator_progress"
    (answer,) = reply.answers
    assert (answer.kind, answer.target, answer.actual) == (
        "indicator_progress",
        "≥20000笔",
        "12000笔",
    )
    assert (answer.share_complete, answer.met) == (60.0, False)
    for words in ["完成 60%", "尚未达到目标", "21000笔", "+5%", "经费保障", "有可能"]:
        assert words in reply.text


def test_an_indicator_without_actuals_says_so(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房套数完成情况")
    assert reply.answers[0].actual is None
    assert "还没有记录完成情况" in reply.text


def test_plan_questions_keep_their_answers(loaded: Engine) -> None:
    spend(loaded, HOUSING, 13000, date(2022, 7, 31))
    assert ask(loaded, "上半年人才住房支出进度").answers[0].kind == "milestone"
    assert ask(loaded, "人才住房6月底计划支出多少").answers[0].kind == "milestone"
    assert ask(loaded, "贷款笔数目标是多少").answers[0].kind == "indicator"
