"""The answering engine on a store loaded from the sample: what a chat user reads and gets."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from handlers.routing import answer_question
from store.documents import parse_file
from store.importer import import_document
from tests.conftest import FIXTURES, SAMPLE

TZ = ZoneInfo("Asia/Shanghai")
MAY = datetime(2022, 5, 20, 10, tzinfo=TZ)
LOANS, TALENT, IT = "37020022P88002810055U", "37020022P46000910003U", "37020022P13000410008Q"


@pytest.fixture
def loaded(shared_sample: Engine) -> Engine:
    """The sample's store, shared by the module: its tests only ask (one adds a document to a
    store of its own)."""
    return shared_sample


def ask(engine: Engine, question: str, now: datetime = MAY):
    with Session(engine) as session:
        return answer_question(question, session, now)


def test_an_indicator_answer_names_its_project_and_categories(loaded: Engine) -> None:
    reply = ask(loaded, "贷款笔数目标是多少")
    first = reply.answers[0]
    assert (first.kind, first.name, first.target) == ("indicator", "发放贷款笔数", "≥20000笔")
    assert (first.level1, first.level2, first.project_code) == ("产出指标", "数量指标", LOANS)
    assert "≥20000笔" in reply.text and "住房公积金业务运行专项业务经费" in reply.text


def test_equal_matches_in_several_projects_are_all_given_with_their_projects(loaded) -> None:
    reply = ask(loaded, "项目总成本")
    assert {(a.project_code, a.target) for a in reply.answers} == {
        (LOANS, "≤1221.1万元"),
        (IT, "≤1310.83万元"),
    }
    assert "2 个项目" in reply.text
    satisfaction = ask(loaded, "满意度")
    assert {a.project_code for a in satisfaction.answers} == {LOANS, TALENT, IT}


@pytest.mark.parametrize(
    "question", ["今天天气怎么样", "火车票多少钱", "asdfgh", "明天会下雨吗", "讲个笑话", "股票行情"]
)
def test_nonsense_gets_no_answer_but_suggestions(loaded: Engine, question: str) -> None:
    reply = ask(loaded, question)
    assert reply.answers == () and reply.intent == "unknown"
    assert reply.suggestions and question[:6] in reply.text


def test_a_weak_match_is_offered_as_a_suggestion_not_an_answer(loaded: Engine) -> None:
    reply = ask(loaded, "贷款利率")
    assert reply.answers == ()
    assert any("贷款" in s for s in reply.suggestions)


def test_a_milestone_has_its_share_of_the_budget_and_the_step(loaded: Engine) -> None:
    reply = ask(loaded, "业务运行经费6月底支出计划")
    milestone = reply.answers[0]
    assert (milestone.checkpoint, milestone.date, milestone.amount) == (
        "6月底",
        "2022-06-30",
        610.0,
    )
    assert (milestone.share, milestone.step, milestone.previous) == (49.95, 304.0, "3月底")
    assert "占预算 49.95%" in reply.text and "比3月底增加 304.00 万元" in reply.text


def test_a_blank_checkpoint_says_nothing_is_planned(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房3月底支出")
    assert reply.answers[0].amount is None
    assert "没有安排支出" in reply.text


def test_a_month_without_checkpoint_names_the_nearest(loaded: Engine) -> None:
    reply = ask(loaded, "信息化项目5月底要花多少")
    assert [a.checkpoint for a in reply.answers] == ["3月底", "6月底"]
    assert "5月底不是支出计划的节点" in reply.text and "3月底、6月底" in reply.text


def test_the_whole_plan_of_a_project(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房全年支出计划")
    assert [(a.checkpoint, a.amount) for a in reply.answers] == [
        ("3月底", None),
        ("6月底", 14172.0),
        ("10月底", 14298.0),
        ("12月底", 14424.0),
    ]
    assert "未安排" in reply.text


def test_budget_with_fiscal_and_other_funds(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房预算多少")
    budget = reply.answers[0]
    assert (budget.kind, budget.amount, budget.fiscal_funds, budget.other_funds) == (
        "budget",
        14424.0,
        14424.0,
        None,
    )
    assert "财政资金 14424.00" in reply.text


def test_overview_groups_indicators_by_category(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房项目概况")
    assert reply.answers[0].kind == "budget" and len(reply.answers) == 12
    assert "【产出指标 › 成本指标】" in reply.text and "资金用途" in reply.text


def test_next_checkpoint_from_now(loaded: Engine) -> None:
    reply = ask(loaded, "下一个节点", now=MAY)
    assert {a.checkpoint for a in reply.answers} == {"6月底"} and len(reply.answers) == 3
    assert "还有 41 天" in reply.text
    late = ask(loaded, "next milestone", now=datetime(2026, 1, 1, tzinfo=TZ))
    assert late.answers == () and "has passed" in late.text


def test_relative_month_is_read_against_now(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房下个月底要支出多少", now=MAY)
    assert [a.checkpoint for a in reply.answers] == ["6月底"]


def test_project_list_and_help(loaded: Engine) -> None:
    projects = ask(loaded, "有哪些项目")
    assert [a.project_code for a in projects.answers] == [LOANS, TALENT, IT]
    helped = ask(loaded, "帮助")
    assert helped.intent == "help" and "/plan" in helped.text


def test_english_questions_get_english_text(loaded: Engine) -> None:
    reply = ask(loaded, "IT project budget")
    assert reply.answers[0].project_code == IT and reply.text.startswith(
        "市住房公积金管理中心政务信息化项目: budget"
    )


@pytest.mark.parametrize(
    "hostile", ["<b>x</b><script>alert(1)</script>", "啊" * 10_000, "😀😀😀", "", "   ", "\x00\x01"]
)
def test_hostile_messages_get_a_polite_reply(loaded: Engine, hostile: str) -> None:
    reply = ask(loaded, hostile)
    assert reply.answers == () and reply.text
    assert len(reply.query) <= 200


def test_an_empty_store_says_to_import_first(engine: Engine) -> None:
    reply = ask(engine, "贷款笔数")
    assert reply.answers == () and "import" in reply.text


def test_questions_about_another_document_are_answered_from_it(engine: Engine) -> None:
    loaded = engine
    import_document(loaded, parse_file(SAMPLE))
    import_document(loaded, parse_file(FIXTURES / "chengdu-2023.txt"))
    meals = ask(loaded, "助餐服务人次")
    assert (meals.answers[0].project_code, meals.answers[0].target) == (
        "51010023P00100020001A",
        "≥50万人次",
    )
    plan = ask(loaded, "社区养老一季度支出")
    assert (plan.answers[0].checkpoint, plan.answers[0].amount) == ("3月底", 215.0)
    costs = ask(loaded, "项目总成本")
    assert len({a.project_code for a in costs.answers}) == 3
    assert ask(loaded, "城管平台可用率").answers[0].name == "平台可用率"


def test_the_reply_serialises_to_the_contract_shape(loaded: Engine) -> None:
    data = ask(loaded, "6月底计划支出多少").to_json()
    assert set(data) >= {"query", "answers", "text"}
    first = data["answers"][0]
    assert {"kind", "project_code", "project_name", "checkpoint", "date", "amount", "unit"} <= set(
        first
    )
    json.dumps(data, ensure_ascii=False)


def test_traditional_characters_are_read_as_simplified(loaded: Engine) -> None:
    reply = ask(loaded, "滿意度指標有哪些")
    assert {a.project_code for a in reply.answers} == {LOANS, TALENT, IT}


def test_a_time_word_inside_an_indicator_question_does_not_make_it_a_milestone(loaded) -> None:
    reply = ask(loaded, "6月底前的发放贷款笔数")
    assert reply.answers[0].kind == "indicator" and reply.answers[0].name == "发放贷款笔数"


def test_two_indicators_joined_by_and_are_both_answered(loaded: Engine) -> None:
    names = {a.name for a in ask(loaded, "逾期率和入住群体满意度").answers}
    assert names == {"住房公积金个贷逾期率", "入住群体满意度"}
    assert [a.name for a in ask(loaded, "实缴单位和实缴职工数量").answers] == [
        "实缴单位和实缴职工数量"
    ]


def test_a_single_character_is_too_vague_to_answer(loaded: Engine) -> None:
    assert ask(loaded, "率").answers == ()


@pytest.mark.parametrize("question", ["下个检查点是什么时候", "最近的支出节点", "next checkpoint"])
def test_ways_of_asking_for_the_next_checkpoint(loaded: Engine, question: str) -> None:
    assert ask(loaded, question).intent == "next"


@pytest.mark.parametrize(
    ("command", "intent", "count"),
    [
        ("/start", "help", 0),
        ("/help", "help", 0),
        ("/projects", "projects", 3),
        ("/plan 人才住房", "plan", 4),
        ("/plan", "plan", 12),
        ("/next", "next", 3),
        ("/next@targetbot 信息化项目", "next", 1),
        ("/ask 贷款笔数", "indicator", 1),
        ("/plan 火星项目", "unknown", 0),
        ("/nonsense", "unknown", 0),
    ],
)
def test_commands_are_plain_functions_of_the_engine(
    loaded: Engine, command: str, intent: str, count: int
) -> None:
    reply = ask(loaded, command)
    assert (reply.intent, len(reply.answers)) == (intent, count), reply.text
    assert reply.text


def test_the_whole_year_plan_versus_the_year_total(loaded: Engine) -> None:
    whole = ask(loaded, "业务运行经费全年支出计划")
    assert whole.intent == "plan" and len(whole.answers) == 4
    total = ask(loaded, "业务运行经费全年支出多少")
    assert [(a.checkpoint, a.amount) for a in total.answers] == [("12月底", 1221.0)]


def test_money_words_ask_for_the_budget_only_with_a_project(loaded: Engine) -> None:
    assert ask(loaded, "信息化项目多少钱").answers[0].kind == "budget"
    assert ask(loaded, "停车费多少钱").answers == ()


def test_english_typos_are_corrected_to_the_glossary(loaded: Engine) -> None:
    reply = ask(loaded, "satisfacton targets")
    assert {a.project_code for a in reply.answers} == {LOANS, TALENT, IT}
    assert ask(loaded, "uptme").answers[0].name == "系统正常运行率"


def test_the_unit_asked_for_points_at_the_indicator_measured_in_it(loaded: Engine) -> None:
    assert ask(loaded, "人才住房要筹集多少平方米").answers[0].name == "筹集租赁型人才住房面积"


def test_an_indicator_of_another_project_says_so(loaded: Engine) -> None:
    reply = ask(loaded, "人才住房的逾期率")
    assert reply.answers[0].name == "住房公积金个贷逾期率"
    assert reply.text.startswith("人才住房购置及后期管理没有这个指标")


def test_a_word_every_name_shares_is_too_vague_to_answer(loaded: Engine) -> None:
    reply = ask(loaded, "公积金")
    assert reply.answers == () and reply.suggestions


def test_a_project_named_by_a_part_of_its_name(loaded: Engine) -> None:
    reply = ask(loaded, "业务经费 6月底")
    assert [(a.project_code, a.checkpoint) for a in reply.answers] == [(LOANS, "6月底")]


@pytest.mark.parametrize("question", ["天气怎么样", "股票", "气温"])
def test_a_question_like_no_indicator_gets_example_questions_not_a_suggestion(
    loaded: Engine, question: str
) -> None:
    reply = ask(loaded, question)  # 天气 sounds a little like 逾期 (qi): below the floor
    assert reply.answers == () and "可以试试这样问：" in reply.text
    assert (
        "逾期率" not in reply.text and "住房公积金行政执法立案数量目标是多少" in reply.suggestions
    )


def test_a_sound_alike_typo_is_still_suggested_or_answered(loaded: Engine) -> None:
    assert ask(loaded, "逾其率").answers[0].name == "住房公积金个贷逾期率"
