"""Documents in other layouts, from other cities and years: columns found by their headers."""

from io import BytesIO

import docx
import openpyxl

from store.cell_readings import derived_code
from store.documents import parse_bytes
from tests.textdocs import rows_text

CHENGDU = "2023年项目支出绩效目标申报表\n\n" + rows_text(
    [
        ["主管部门", "成都市示范局", "实施单位", "成都市示范中心"],
        ["项目名称", "社区养老服务补助"],
        ["年度资金总额", "560.5", "其中：财政拨款", "500", "其他资金", "60.5"],
        ["年度绩效目标", "为全市老人提供助餐服务。"],
        ["一级指标", "二级指标", "三级指标", "指标解释", "指标值及单位", "绩效标准"],
        ["产出指标", "数量指标", "助餐服务人次", "全年助餐服务人次", "不低于5万人次", "计划标准"],
        ["", "", "", "", "", ""],
        ["", "时效指标", "补助发放时间", "补助发放完成时间", "2023年12月底前", "计划标准"],
        ["效益指标", "社会效益指标", "", "", "", ""],
        ["", "", "老人获得感", "老人获得感提升", "明显提升", "其他标准"],
        ["满意度指标", "服务对象满意度指标", "老人满意度", "抽样调查", "95%以上", "行业标准"],
    ]
)


def test_year_only_in_title_no_code_no_plan_and_empty_rows_skipped() -> None:
    document = parse_bytes(CHENGDU.encode(), "chengdu.txt")
    project = document.projects[0]
    assert document.year == 2023 and project.year == 2023
    assert project.code == derived_code("成都市示范局", 2023, "社区养老服务补助")
    assert project.plan == []
    assert (project.department, project.unit) == ("成都市示范局", "成都市示范中心")
    assert (project.budget, project.fiscal_funds, project.other_funds) == (560.5, 500.0, 60.5)
    assert project.goal == "为全市老人提供助餐服务。"
    assert [(i.level1, i.level2, i.name, i.value, i.basis) for i in project.indicators] == [
        ("产出指标", "数量指标", "助餐服务人次", "不低于5万人次", "计划标准"),
        ("产出指标", "时效指标", "补助发放时间", "2023年12月底前", "计划标准"),
        ("效益指标", "社会效益指标", "老人获得感", "明显提升", "其他标准"),
        ("满意度指标", "服务对象满意度指标", "老人满意度", "95%以上", "行业标准"),
    ]
    assert project.indicators[0].description == "全年助餐服务人次"
    assert str(project.indicators[1].parsed.deadline) == "2023-12-31"


def test_derived_codes_are_stable_and_distinct() -> None:
    first = parse_bytes(CHENGDU.encode(), "a.txt").projects[0].code
    again = parse_bytes(CHENGDU.encode(), "b.txt").projects[0].code
    other = parse_bytes(CHENGDU.replace("社区养老", "居家养老").encode(), "c.txt").projects[0].code
    assert first == again != other


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_comparator_and_unit_in_columns_of_their_own() -> None:
    data = _xlsx(
        [
            ["杭州市示范局2024年度项目绩效目标表"],
            ["项目编码", "HZ-01", "项目名称", "智慧城管平台运维"],
            ["预算数", 320],
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "年度指标值",
                "计量单位",
                "指标值设定依据",
            ],
            ["产出指标", "数量指标", "巡查路段", "≥", 120, "条", "计划标准"],
            ["产出指标", "质量指标", "平台可用率", "≥", 99.5, "%", "行业标准"],
            ["成本指标", "经济成本指标", "运维成本", "≤", 320, "万元", "预算标准"],
            ["满意度指标", "服务对象满意度指标", "市民满意度", "定性", "满意", "", "其他标准"],
        ]
    )
    project = parse_bytes(data, "hangzhou.xlsx").projects[0]
    assert project.year == 2024 and project.budget == 320.0
    values = [
        (i.level1, i.name, i.value, i.parsed.comparator, i.parsed.unit) for i in project.indicators
    ]
    assert values == [
        ("产出指标", "巡查路段", "≥120条", ">=", "条"),
        ("产出指标", "平台可用率", "≥99.5%", ">=", "%"),
        ("成本指标", "运维成本", "≤320万元", "<=", "万元"),
        ("满意度指标", "市民满意度", "满意", None, None),
    ]


def test_without_a_first_level_column_the_category_is_derived() -> None:
    data = _xlsx(
        [
            ["2023年项目支出绩效目标申报表"],
            ["项目名称", "道路养护"],
            ["二级指标", "三级指标", "目标值", "绩效标准"],
            ["数量指标", "养护里程", "≥30公里", "计划标准"],
            ["服务对象满意度指标", "群众满意度", "≥90%", "计划标准"],
        ]
    )
    project = parse_bytes(data, "road.xlsx").projects[0]
    assert [(i.level1, i.level2) for i in project.indicators] == [
        ("产出指标", "数量指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_docx_with_year_and_department_in_paragraphs_above_the_tables() -> None:
    document = docx.Document()
    document.add_paragraph("广州市示范局")
    document.add_paragraph("2025年度项目支出绩效目标申报表")
    table = document.add_table(rows=2, cols=4)
    for c, text in enumerate(["项目名称", "河道保洁", "预算金额", "88.8"]):
        table.cell(0, c).text = text
    table.cell(1, 0).text = "年度目标"
    table.cell(1, 1).merge(table.cell(1, 3)).text = "保持河道整洁。"
    indicators = document.add_table(rows=3, cols=5)
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"],
        ["产出指标", "数量指标", "保洁河道长度", "≥12公里", "计划标准"],
        ["产出指标", "质量指标", "保洁达标率", "≥95%", "计划标准"],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            indicators.cell(r, c).text = text
    indicators.cell(1, 0).merge(indicators.cell(2, 0)).text = "产出指标"
    out = BytesIO()
    document.save(out)
    parsed = parse_bytes(out.getvalue(), "guangzhou.docx")
    project = parsed.projects[0]
    assert (parsed.department, project.department, project.year) == ("广州市示范局",) * 2 + (2025,)
    assert (project.name, project.budget, project.goal) == ("河道保洁", 88.8, "保持河道整洁。")
    assert [i.level1 for i in project.indicators] == ["产出指标", "产出指标"]


APPLICATION_FORM = (
    "2023年度项目支出绩效目标申报表\n填报单位（盖章）：某某市住房和城乡建设局\n\n"
    + rows_text(
        [
            ["项目名称", "城市道路养护"],
            ["主管部门及代码", "[101]某某市住房和城乡建设局", "实施单位", "某某市市政工程管理处"],
            ["项目资金（万元）", "年度资金总额", "500", "其中：财政拨款", "450", "其他资金", "50"],
            ["年度总体目标", "确保城市道路完好率达到95%以上。"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "道路养护面积", "≥100万平方米"],
            ["", "", "质量指标", "道路完好率", "≥95%"],
            ["", "满意度指标", "服务对象满意度指标", "市民满意度", "≥90%"],
        ]
    )
)


def test_an_application_form_with_a_label_column_and_coded_department() -> None:
    project = parse_bytes(APPLICATION_FORM.encode(), "form.txt").projects[0]
    assert (project.name, project.year, project.department, project.unit) == (
        "城市道路养护",
        2023,
        "某某市住房和城乡建设局",
        "某某市市政工程管理处",
    )
    assert (project.budget, project.fiscal_funds, project.other_funds) == (500.0, 450.0, 50.0)
    assert project.goal == "确保城市道路完好率达到95%以上。"
    assert [(i.level1, i.level2, i.name) for i in project.indicators] == [
        ("产出指标", "数量指标", "道路养护面积"),
        ("产出指标", "质量指标", "道路完好率"),
        ("满意度指标", "服务对象满意度指标", "市民满意度"),
    ]


def test_a_plan_by_quarters_becomes_month_end_checkpoints() -> None:
    text = APPLICATION_FORM.replace(
        "\t年度总体目标\n",
        "\t资金支出计划\n\t第一季度\n\t第二季度\n\t第三季度\n\t第四季度\n\n\t\n\t100\n\t200\n\t300\n\t500\n\n"
        "\t年度总体目标\n",
    )
    plan = parse_bytes(text.encode(), "quarters.txt").projects[0].plan
    assert [(p.label, str(p.date), p.amount) for p in plan] == [
        ("3月底", "2023-03-31", 100.0),
        ("6月底", "2023-06-30", 200.0),
        ("9月底", "2023-09-30", 300.0),
        ("12月底", "2023-12-31", 500.0),
    ]


def test_a_header_over_two_rows_with_merged_cells_exported_empty() -> None:
    text = "2024年项目支出绩效目标表\n\n" + rows_text(
        [
            ["项目名称", "公园绿化养护"],
            ["绩效指标", "指标值", "指标值确定依据"],
            ["一级指标", "二级指标", "三级指标", "", ""],
            ["产出指标", "数量指标", "养护绿地面积", "≥50万平方米", "计划标准"],
            ["", "质量指标", "苗木成活率", "≥98%", "行业标准"],
        ]
    )
    project = parse_bytes(text.encode(), "park.txt").projects[0]
    assert [(i.level1, i.level2, i.name, i.value, i.basis) for i in project.indicators] == [
        ("产出指标", "数量指标", "养护绿地面积", "≥50万平方米", "计划标准"),
        ("产出指标", "质量指标", "苗木成活率", "≥98%", "行业标准"),
    ]


def test_a_header_over_two_rows_in_a_workbook_with_merged_cells() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [
        ["2024年项目支出绩效目标表"],
        ["项目名称", "公园绿化养护"],
        ["绩效指标", None, None, "指标值", "指标值确定依据"],
        ["一级指标", "二级指标", "三级指标", None, None],
        ["产出指标", "数量指标", "养护绿地面积", "≥50万平方米", "计划标准"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A3:C3")
    sheet.merge_cells("D3:D4")
    sheet.merge_cells("E3:E4")
    out = BytesIO()
    workbook.save(out)
    project = parse_bytes(out.getvalue(), "park.xlsx").projects[0]
    assert [(i.name, i.value, i.basis) for i in project.indicators] == [
        ("养护绿地面积", "≥50万平方米", "计划标准")
    ]
