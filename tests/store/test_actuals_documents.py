"""自评表 and 监控表 actual columns read by the importer are stored as actuals of their date."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from store.actual_models import IndicatorActual, SpendingActual
from store.actuals import SpendingEntry, record_spending
from store.db import unit_of_work
from store.documents import parse_bytes, parse_file
from store.export import export_all
from store.importer import import_document
from store.queries import project_by_code
from tests.conftest import SAMPLE
from tests.gridbuild import docx_bytes, down, xlsx_bytes

INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def self_evaluation(executed: str = "1900") -> bytes:
    """A Beijing-style 自评表: the money block has a 全年执行数 column."""
    money = [
        ["项目名称", "老旧小区综合整治", "", "", "", "", ""],
        ["项目编码", "11000022X001", "", "", "", "", ""],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "得分"],
        ["项目资金（万元）", "年度资金总额", "2000", "2000", executed, "10", "9.5"],
        ["项目资金（万元）", "其中：当年财政拨款", "2000", "2000", executed, "—", "—"],
    ]
    rows = [
        ["产出指标", "数量指标", "整治小区数量", "10个", "9个", "20", "18"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "92%", "10", "10"],
    ]
    tables = [(money, [down(0, 2, 4)]), ([INDICATOR_HEADER, *rows], [])]
    return docx_bytes(["2022年度项目支出绩效自评表", *tables])


def monitoring_form() -> bytes:
    """A 监控表 in the 136号 layout: 1-7月执行数 and 全年预计执行数 columns of the budget block."""
    grid: list[list[object]] = [
        ["2022年项目支出绩效目标执行监控表"],
        ["项目名称", "社区养老服务", "主管部门及代码", "某市民政局", "实施单位", "某中心"],
        ["项目编码", "37020022M007", "", "", "", ""],
        ["项目资金（万元）", "年初预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数", ""],
        ["年度资金总额", "1000", "450", "45%", "950", ""],
        ["其中：财政拨款", "800", "400", "50%", "780", ""],
        ["其他资金", "200", "50", "25%", "170", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况"],
        ["产出指标", "数量指标", "服务老人人次", "≥5000人次", "3100人次", "5200人次"],
        ["效益指标", "社会效益指标", "服务覆盖率", "≥80%", "60%", "82%"],
    ]
    return xlsx_bytes([("监控表", grid, [])])


def spending(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(SpendingActual).order_by(col(SpendingActual.id)))
        return [(r.project_code, r.as_of, r.amount, r.forecast, r.source) for r in rows]


def indicator_actuals(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(IndicatorActual).order_by(col(IndicatorActual.id)))
        return [(r.indicator_name, r.as_of, r.value_text, r.value_number) for r in rows]


def test_a_self_evaluation_stores_the_years_spending_and_indicator_actuals(engine: Engine) -> None:
    report = import_document(engine, parse_bytes(self_evaluation(), "自评表.docx"))
    assert spending(engine) == [("11000022X001", date(2022, 12, 31), 1900, None, "document")]
    assert indicator_actuals(engine) == [
        ("整治小区数量", date(2022, 12, 31), "9个", 9),
        ("居民满意度", date(2022, 12, 31), "92%", 92),
    ]
    assert "执行数 1900 万元 stored as of 2022-12-31" in report.lines()[1]
    with Session(engine) as session:
        [row] = session.exec(select(SpendingActual))
        assert row.recorded_by == "document:自评表.docx"


def test_a_monitoring_form_stores_the_period_amount_with_its_forecast(engine: Engine) -> None:
    import_document(engine, parse_bytes(monitoring_form(), "监控表.xlsx"))
    assert spending(engine) == [("37020022M007", date(2022, 7, 31), 450, 950, "document")]
    assert indicator_actuals(engine) == [
        ("服务老人人次", date(2022, 7, 31), "3100人次", 3100),
        ("服务覆盖率", date(2022, 7, 31), "60%", 60),
    ]


def test_a_label_beside_its_value_dates_the_amount_by_its_months(engine: Engine) -> None:
    grid: list[list[object]] = [
        ["项目名称", "农村公路养护", "", "", "", ""],
        ["年度预算（万元）", "800", "1-6月执行数", "300", "执行率", "37.5%"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-6月执行情况", "全年预计完成情况"],
        ["产出指标", "数量指标", "养护里程", "≥1200公里", "600公里", "1200公里"],
    ]
    parsed = parse_bytes(docx_bytes(["2023年项目支出绩效运行监控表", (grid, [])]), "hubei.docx")
    import_document(engine, parsed)
    [(_, day, amount, forecast, _)] = spending(engine)
    assert (day, amount, forecast) == (date(2023, 6, 30), 300, None)
    assert indicator_actuals(engine) == [("养护里程", date(2023, 6, 30), "600公里", 600)]


def test_the_same_figures_are_not_stored_twice_and_a_lower_amount_is_refused_with_why(
    engine: Engine,
) -> None:
    import_document(engine, parse_bytes(self_evaluation(), "自评表.docx"))
    again = import_document(engine, parse_bytes(self_evaluation(), "自评表.docx"))
    assert again.already_imported and len(spending(engine)) == 1
    with unit_of_work(engine) as session:  # an earlier, higher amount recorded by hand in June
        project = project_by_code(session, "11000022X001")
        assert project is not None
        entry = SpendingEntry(project, 1950, date(2022, 6, 30), "form", "a", force=True)
        record_spending(session, entry, datetime(2022, 7, 1, tzinfo=UTC))
    report = import_document(engine, parse_bytes(self_evaluation("1800"), "自评表2.docx"))
    line = report.lines()[1]
    assert "执行数 1800 万元 of 2022-12-31 not stored" in line
    assert "below the 1950 recorded for 2022-06-30" in line
    assert [row[2] for row in spending(engine)] == [1900, 1950]


def test_a_target_table_without_actual_columns_stores_no_actuals(engine: Engine) -> None:
    import_document(engine, parse_file(SAMPLE))
    assert (spending(engine), indicator_actuals(engine)) == ([], [])


def merged_monitoring_form(
    forecast_header: str = "全年预计完成情况", served: str = "5200"
) -> bytes:
    """A 136号 监控表 as Excel writes it: merged title, a two-row indicator header (偏差原因分析
    over its four categories, the other headers merged down) and 一级指标 merged down."""
    blank = [""] * 9
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况"]
    header += [forecast_header, "偏差原因分析", "", ""]
    grid: list[list[object]] = [
        ["2022年项目支出绩效目标执行监控表", *blank[1:]],
        ["项目名称", "社区养老服务", "", "", "主管部门及代码", "某市民政局", "", "", ""],
        ["项目编码", "37020022M007", "", "", "实施单位", "某中心", "", "", ""],
        [
            "项目资金（万元）",
            "年初预算数",
            "1-7月执行数",
            "1-7月执行率",
            "全年预计执行数",
            *blank[5:],
        ],
        ["年度资金总额", "1000", "450", "45%", "950", *blank[5:]],
        header,
        ["", "", "", "", "", "", "经费保障", "制度保障", "人员保障"],
        [
            "产出指标",
            "数量指标",
            "服务老人人次",
            "≥5000人次",
            "3100人次",
            f"{served}人次",
            "",
            "",
            "",
        ],
        ["产出指标", "质量指标", "服务合格率", "≥95%", "96%", "", "", "", ""],
        ["效益指标", "社会效益指标", "服务覆盖率", "≥80%", "60%", "82%", "√", "", ""],
    ]
    merges = [(0, 0, 0, 8), (1, 1, 1, 3), (2, 1, 2, 3), (5, 6, 5, 8)]
    merges += [down(column, 5, 6) for column in range(6)] + [down(0, 7, 8)]
    return xlsx_bytes([("监控表", grid, merges)])


def forecasts(engine: Engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(IndicatorActual).order_by(col(IndicatorActual.id)))
        return [(r.indicator_name, r.as_of, r.forecast_text, r.forecast_number) for r in rows]


SPELLINGS = ["全年预计完成情况", "绩效指标全年预计完成情况", "全年预计完成值"]


@pytest.mark.parametrize("header", SPELLINGS)
def test_a_merged_monitoring_form_stores_each_indicators_forecast_of_the_actuals_date(
    engine: Engine, header: str
) -> None:
    import_document(engine, parse_bytes(merged_monitoring_form(header), "监控表.xlsx"))
    assert forecasts(engine) == [
        ("服务老人人次", date(2022, 7, 31), "5200人次", 5200),
        ("服务合格率", date(2022, 7, 31), None, None),
        ("服务覆盖率", date(2022, 7, 31), "82%", 82),
    ]
    assert indicator_actuals(engine)[0] == ("服务老人人次", date(2022, 7, 31), "3100人次", 3100)


def test_a_changed_forecast_alone_is_stored_as_a_new_record(engine: Engine) -> None:
    import_document(engine, parse_bytes(merged_monitoring_form(), "监控表.xlsx"))
    report = import_document(
        engine, parse_bytes(merged_monitoring_form(served="4800"), "监控表2.xlsx")
    )
    assert "1 indicator actuals stored" in report.lines()[1]
    assert [row[2] for row in forecasts(engine)] == ["5200人次", None, "82%", "4800人次"]


def test_a_monitoring_form_over_a_stored_project_keeps_its_targets_and_says_what_it_skips(
    engine: Engine,
) -> None:
    """The sample's 人才住房 in a 监控表: the plan stays; an indicator the project does not have
    and an undated 执行数 are named in the report instead of vanishing."""
    import_document(engine, parse_file(SAMPLE))
    grid: list[list[object]] = [
        ["2022年项目支出绩效目标执行监控表"],
        ["项目名称", "人才住房购置及后期管理", "主管部门及代码", "青岛市住房公积金管理中心"],
        ["项目编码", "37020022P46000910003U", "", ""],
        ["项目资金（万元）", "年初预算数", "执行数", ""],
        ["年度资金总额", "14424", "9000", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况"],
        ["产出指标", "数量指标", "筹集租赁型人才住房套数", "≥100套", "80套"],
        ["产出指标", "数量指标", "新建人才公寓数量", "≥2个", "1个"],
    ]
    report = import_document(engine, parse_bytes(xlsx_bytes([("监控表", grid, [])]), "m.xlsx"))
    text = "\n".join(report.lines())
    assert "0 replaced" in text and "kept its" in text and "plan" in text
    assert "新建人才公寓数量 of 2022-07-31 not stored: the project has no such indicator" in text
    assert "targets not changed by a monitoring form (+新建人才公寓数量" in text
    assert "执行数 9000 万元 not stored" in text and "--as-of" in text
    assert indicator_actuals(engine) == [("筹集租赁型人才住房套数", date(2022, 7, 31), "80套", 80)]
    with Session(engine) as session:
        [project] = [p for p in export_all(session)["projects"] if p["code"].endswith("03U")]
    assert len(project["plan"]) == 4
