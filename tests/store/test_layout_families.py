"""Each family of layouts local finance bureaus publish, built as real .docx/.xlsx files with
merged cells, read by a general rule and exported in 万元."""

import pytest
from sqlalchemy import Engine

from store.documents import parse_bytes
from store.importer import import_document
from tests.conftest import export
from tests.gridbuild import across, docx_bytes, down, xlsx_bytes

# the readers are the subject; the import on each database is tests/store/test_import.py's
pytestmark = pytest.mark.database("sqlite")

LEVELS = ["一级指标", "二级指标", "三级指标", "指标值"]
INDICATORS = [
    ["产出指标", "数量指标", "培训人次", "≥100人次"],
    ["产出指标", "质量指标", "验收合格率", "100%"],
    ["效益指标", "社会效益指标", "群众知晓率", "≥90%"],
]


def indicator_table(rows=INDICATORS, header=LEVELS):
    """A plain indicator table with the 一级 column merged down like Word does."""
    return [header, *rows], [down(0, 1, 2)]


def values(project) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.name, i.value) for i in project.indicators]


def test_other_label_spellings_name_the_project_department_unit_and_budget() -> None:
    labels = [
        ["项目支出名称", "高标准农田建设", "项目编码", ""],
        ["主管部门\n及编码", "[015001]某县农业农村局", "实施单位", "某县农业技术推广站"],
        ["年度本级预算金额", "854", "其中：当年财政拨款", "700"],
        ["其中：其它资金", "154", "项目总预算", "2000"],
    ]
    data = docx_bytes(["2023年项目支出绩效目标申报表", (labels, []), indicator_table()])
    [project] = parse_bytes(data, "farm.docx").projects
    assert project.name == "高标准农田建设"
    assert (project.department, project.unit) == ("某县农业农村局", "某县农业技术推广站")
    assert (project.budget, project.fiscal_funds, project.other_funds) == (854, 700, 154)
    assert values(project)[0] == ("产出指标", "数量指标", "培训人次", "≥100人次")


def test_labels_inside_a_paragraph_and_the_name_in_any_cell_of_a_label_row() -> None:
    labels = [
        ["一、基本情况", "项目名称", "乡村道路养护", ""],
        ["一、基本情况", "当年资金总额", "12,000.00", ""],
    ]
    data = docx_bytes(
        [
            "2022年项目绩效目标表",
            "预算单位：某区交通运输局    金额单位：元",
            (labels, [down(0, 0, 1)]),
            indicator_table(),
        ]
    )
    [project] = parse_bytes(data, "road.docx").projects
    assert (project.name, project.unit) == ("乡村道路养护", "某区交通运输局")
    assert project.budget == 1.2 and project.source_money_unit == "元"


def amounts_doc(budget: str, fiscal: str, other: str, unit_line: str = "单位：万元") -> bytes:
    labels = [
        ["项目名称", "示范项目", "", ""],
        ["年度资金总额", budget, "其中：财政拨款", fiscal],
        ["其他资金", other, "", ""],
    ]
    return docx_bytes(["2023年项目支出绩效目标表", unit_line, (labels, []), indicator_table()])


def test_amounts_written_with_units_and_text_around_them() -> None:
    read = parse_bytes(
        amounts_doc("854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)", "150万", "-"),
        "a.docx",
    ).projects[0]
    assert (read.budget, read.fiscal_funds, read.other_funds) == (854, 150, 0)
    read = parse_bytes(amounts_doc("10000万元", "1,000.00", "0"), "b.docx").projects[0]
    assert (read.budget, read.fiscal_funds, read.other_funds) == (10000, 1000, 0)


def test_documents_in_yuan_or_thousands_are_stored_in_wan(engine: Engine) -> None:
    in_yuan = amounts_doc("8,540,000.00", "7000000", "1540000", unit_line="金额单位：元")
    document = parse_bytes(in_yuan, "yuan-2023.docx")
    report = import_document(engine, document)
    assert report.lines()[1].endswith("(amounts written in 元, stored in 万元)")
    [project] = export(engine)["projects"]
    assert project["money_unit"] == "万元"
    assert (project["budget"], project["fiscal_funds"], project["other_funds"]) == (854, 700, 154)
    assert document.projects[0].source_money_unit == "元"
    in_thousands = amounts_doc("8540", "7000", "1540", unit_line="单位：千元")
    assert parse_bytes(in_thousands, "k.docx").projects[0].budget == 854


def test_a_label_merged_down_a_column_is_never_paired_as_a_value() -> None:
    labels = [
        ["项目名称", "畅通工程", "", ""],
        ["项目资金（万元）", "年度资金总额", "854", ""],
        ["项目资金（万元）", "其中：财政拨款", "700", ""],
        ["项目资金（万元）", "上年结转资金", "154", ""],
    ]
    for data, name in [
        (docx_bytes(["2023年绩效目标表", (labels, [down(0, 1, 3)]), indicator_table()]), "m.docx"),
        (xlsx_bytes([("表", [["2023年绩效目标表"], *labels, *indicator_table()[0]], [])]), "x"),
    ]:
        [project] = parse_bytes(data, name).projects
        assert (project.budget, project.fiscal_funds) == (854, 700), name


def test_a_merged_label_in_a_workbook_is_read_once() -> None:
    labels = [
        ["项目名称", "畅通工程", "", ""],
        ["资金总额", "年度资金总额", 854, ""],
        ["资金总额", "其中：财政拨款", 700.5, ""],
        ["资金总额", "上年结转资金", 153.5, ""],
    ]
    grid = [["2023年项目绩效目标表", "", "", ""], *labels, *indicator_table()[0]]
    data = xlsx_bytes([("项目", grid, [across(0, 0, 3), down(0, 1, 3), down(0, 5, 6)])])
    [project] = parse_bytes(data, "merged.xlsx").projects
    assert (project.budget, project.fiscal_funds) == (854, 700.5)
    assert values(project)[1][0] == "产出指标"


def test_headers_with_qualifiers_and_annual_columns_beside_midterm_ones() -> None:
    labels = [
        ["项目名称", "污水处理厂运营", "", "", ""],
        ["中期目标", "三年内污水处理率达到95%", "年度目标", "污水处理率达到90%", ""],
    ]
    header = ["一级指标", "二级指标", "三级指标（年度）", "中期指标值", "指标值（年度）"]
    rows = [
        ["产出指标", "数量指标", "污水处理量", "≥3000万吨", "≥1000万吨"],
        ["效益指标", "生态效益指标", "污水处理率", "≥95%", "≥90%"],
    ]
    data = docx_bytes(["2023年绩效目标表", (labels, []), ([header, *rows], [])])
    [project] = parse_bytes(data, "water.docx").projects
    assert [i.value for i in project.indicators] == ["≥1000万吨", "≥90%"]
    assert project.goal == "污水处理率达到90%"
    assert project.midterm_goal == "三年内污水处理率达到95%"


def test_a_header_split_over_two_rows_with_real_merges() -> None:
    grid = [
        ["绩效指标", "", "", "年度指标值"],
        ["一级指标", "二级指标", "三级指标", ""],
        *INDICATORS,
    ]
    data = docx_bytes(
        ["2023年绩效目标表", ([["项目名称", "示范"]], []), (grid, [across(0, 0, 2), down(3, 0, 1)])]
    )
    [project] = parse_bytes(data, "two-rows.docx").projects
    assert values(project) == [tuple(row) for row in INDICATORS]


def test_scores_and_weights_beside_the_categories_and_cost_as_a_first_level() -> None:
    header = ["一级指标", "二级指标", "三级指标", "分值", "指标值", "得分", "指标方向性"]
    rows = [
        ["产出指标(50分)", "数量指标", "新建道路", "30", "≥5公里", "", "正向"],
        ["成本指标(0-20)分", "经济成本指标", "每公里造价", "20", "≤200万元", "", "反向"],
        ["满意度指标（10分）", "服务对象满意度指标", "群众满意度", "10", "≥90%", "", "正向"],
    ]
    data = docx_bytes(["2023年绩效目标表", ([["项目名称", "道路"]], []), ([header, *rows], [])])
    [project] = parse_bytes(data, "score.docx").projects
    assert values(project) == [
        ("产出指标", "数量指标", "新建道路", "≥5公里"),
        ("成本指标", "经济成本指标", "每公里造价", "≤200万元"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    assert [i.weight for i in project.indicators] == ["30", "20", "10"]


def test_an_annual_target_label_merged_down_beside_the_indicator_rows() -> None:
    header = ["年度绩效目标(90分)", "一级指标", "二级指标", "三级指标", "指标值"]
    rows = [["年度绩效目标(90分)", *row] for row in INDICATORS]
    data = docx_bytes(
        ["2023年绩效目标表", ([["项目名称", "示范"]], []), ([header, *rows], [down(0, 1, 3)])]
    )
    [project] = parse_bytes(data, "goal-column.docx").projects
    assert values(project) == [tuple(row) for row in INDICATORS]


def test_comparator_value_and_unit_columns_are_joined_into_the_shown_value() -> None:
    header = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"]
    rows = [
        ["产出指标", "质量指标", "验收合格率", "≥", "95", "%"],
        ["产出指标", "数量指标", "培训人次", "=", "100", "人次"],
        ["效益指标", "社会效益指标", "投诉率", "≤", 5, "%"],
    ]
    grid = [["2023年绩效目标表"], ["项目名称", "示范"], header, *rows]
    [project] = parse_bytes(xlsx_bytes([("表", grid, [down(0, 3, 4)])]), "cmp.xlsx").projects
    assert [i.value for i in project.indicators] == ["≥95%", "100人次", "≤5%"]
    assert project.indicators[0].parsed.number == 95


def test_a_list_style_sheet_holds_several_projects_one_row_per_indicator(engine: Engine) -> None:
    header = ["单位名称", "项目名称", "预算数（万元）", "年度目标", *LEVELS]
    rows = [
        ["市文化馆", "公共文化服务", 120, "开展惠民演出", *INDICATORS[0]],
        ["市文化馆", "公共文化服务", 120, "开展惠民演出", *INDICATORS[1]],
        ["市图书馆", "图书采购", 80.5, "新增馆藏", *INDICATORS[2]],
        [
            "市图书馆",
            "图书采购",
            80.5,
            "新增馆藏",
            "满意度指标",
            "满意度指标",
            "读者满意度",
            "≥95%",
        ],
        ["合计", "", 200.5, "", "", "", "", ""],
    ]
    grid = [["2024年市文化和旅游局项目支出绩效目标表"], header, *rows]
    merges = [down(c, 2, 3) for c in range(4)] + [down(c, 4, 5) for c in range(4)]
    document = parse_bytes(xlsx_bytes([("项目", grid, merges)]), "list.xlsx")
    assert document.refused == []
    import_document(engine, document)
    exported = export(engine)["projects"]
    assert [(p["name"], p["unit"], p["budget"], p["goal"]) for p in exported] == [
        ("公共文化服务", "市文化馆", 120, "开展惠民演出"),
        ("图书采购", "市图书馆", 80.5, "新增馆藏"),
    ]
    assert [i["value"] for i in exported[1]["indicators"]] == ["≥90%", "≥95%"]
    assert {p["year"] for p in exported} == {2024}


def test_a_department_wide_table_without_levels_is_the_departments_whole_project() -> None:
    header = ["指标名称", "指标权重", "计量单位", "指标性质", "指标值"]
    rows = [
        ["预算执行率", "20", "%", "≥", "95"],
        ["重点项目完成数", "30", "个", "=", "12"],
    ]
    data = docx_bytes(
        [
            "2023年度某市生态环境局部门整体绩效目标表",
            "部门名称：某市生态环境局",
            ([header, *rows], []),
        ]
    )
    [project] = parse_bytes(data, "whole.docx").projects
    assert project.name == "某市生态环境局部门整体"
    assert [(i.level1, i.name, i.value) for i in project.indicators] == [
        ("未分级", "预算执行率", "≥95%"),
        ("未分级", "重点项目完成数", "12个"),
    ]


def test_self_evaluation_and_monitoring_forms_target_the_annual_value() -> None:
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", "10", "10"]]
    evaluation = docx_bytes(
        ["2022年项目支出绩效自评表", ([["项目名称", "培训"]], []), ([header, *rows], [])]
    )
    [project] = parse_bytes(evaluation, "self.docx").projects
    [indicator] = project.indicators
    assert (indicator.value, indicator.actual_text) == ("≥100人次", "120人次")
    header = ["一级指标", "二级指标", "三级指标", "指标值", "1-7月执行情况", "偏差原因"]
    rows = [["产出指标", "数量指标", "培训人次", "≥100人次", "60人次", "按进度"]]
    monitoring = docx_bytes(
        ["2023年绩效监控表", ([["项目名称", "培训"]], []), ([header, *rows], [])]
    )
    [indicator] = parse_bytes(monitoring, "watch.docx").projects[0].indicators
    assert (indicator.value, indicator.actual_text) == ("≥100人次", "60人次")
    assert indicator.actual_period == "1-7月执行情况"


def test_sign_off_rows_notes_template_residue_and_empty_rows_never_become_indicators() -> None:
    rows = [
        *INDICATORS,
        ["", "", "项目负责人到位率", "100%"],
        ["", "", "", ""],
        ["效益指标", "可持续影响指标", "……", "(≥**%)"],
        ["主管部门审核意见", "同意", "", ""],
        ["（盖章）", "", "", ""],
        ["填表人：张三", "", "联系电话：123", ""],
    ]
    data = docx_bytes(
        [
            "2023年绩效目标表",
            ([["项目名称", "示范"]], []),
            ([LEVELS, *rows], []),
            "注：本表由项目单位填写。",
        ]
    )
    document = parse_bytes(data, "signed.docx")
    assert document.refused == []
    assert values(document.projects[0]) == [
        *[tuple(row) for row in INDICATORS],
        ("效益指标", "社会效益指标", "项目负责人到位率", "100%"),
    ]


def written_fields_doc(weights: tuple[str, str] = ("60", "40")) -> bytes:
    """A document in 元 with a 中期目标 beside the annual goal and a 分值 column."""
    labels = [
        ["项目名称", "污水处理厂运营", "", ""],
        ["年度资金总额", "8,540,000.00", "其中：财政拨款", "7,000,000.00"],
        ["中期目标", "三年内污水处理率达到95%", "年度目标", "污水处理率达到90%"],
    ]
    header = ["一级指标", "二级指标", "三级指标", "分值", "指标值"]
    rows = [
        ["产出指标", "数量指标", "污水处理量", weights[0], "≥1000万吨"],
        ["效益指标", "生态效益指标", "污水处理率", weights[1], "≥90%"],
    ]
    return docx_bytes(
        ["2023年项目支出绩效目标表", "金额单位：元", (labels, []), ([header, *rows], [])]
    )


def test_the_documents_unit_midterm_goal_and_weights_are_stored_and_exported(
    engine: Engine,
) -> None:
    import_document(engine, parse_bytes(written_fields_doc(), "water.docx"))
    [project] = export(engine)["projects"]
    assert (project["money_unit"], project["budget"], project["fiscal_funds"]) == ("万元", 854, 700)
    assert project["source_money_unit"] == "元"
    assert project["midterm_goal"] == "三年内污水处理率达到95%"
    assert [(i["name"], i["weight"]) for i in project["indicators"]] == [
        ("污水处理量", "60"),
        ("污水处理率", "40"),
    ]
    again = import_document(engine, parse_bytes(written_fields_doc(), "water.docx"))
    assert again.already_imported
    reweighted = parse_bytes(written_fields_doc(("50", "50")), "water-2.docx")
    [line] = import_document(engine, reweighted).lines()[1:]
    assert line.strip().startswith("replaced:") and "(indicators changed)" in line
    assert [i["weight"] for i in export(engine)["projects"][0]["indicators"]] == ["50", "50"]


def test_a_document_in_wan_without_midterm_or_weights_exports_none_of_those_keys(
    engine: Engine,
) -> None:
    import_document(engine, parse_bytes(amounts_doc("854", "700", "154"), "plain.docx"))
    [project] = export(engine)["projects"]
    assert not {"source_money_unit", "midterm_goal"} & project.keys()
    assert all("weight" not in i for i in project["indicators"])


def fund_block(*rows: list[str]) -> bytes:
    """A budget block with its 其中 lines merged down a 项目资金 column, then indicators."""
    labels = [["项目名称", "高标准农田建设", "", ""], *[["项目资金（万元）", *r] for r in rows]]
    merges = [down(0, 1, len(labels) - 1)]
    return docx_bytes(["2023年项目支出绩效目标表", (labels, merges), indicator_table()])


def test_central_provincial_and_city_funds_add_up_to_the_fiscal_funds() -> None:
    data = fund_block(
        ["年度资金总额", "1,000.00", ""],
        ["其中：中央资金", "500", ""],
        ["省级资金", "300", ""],
        ["市级资金", "120", ""],
        ["其他资金", "80", ""],
    )
    [project] = parse_bytes(data, "parts.docx").projects
    assert (project.budget, project.fiscal_funds, project.other_funds) == (1000, 920, 80)


def test_fund_parts_under_a_fiscal_total_are_never_counted_twice() -> None:
    data = fund_block(
        ["其中：财政拨款", "920", ""],
        ["其中：中央资金", "500", ""],
        ["省级资金", "300", ""],
        ["市级资金", "120", ""],
        ["其他资金", "80", ""],
    )
    [project] = parse_bytes(data, "total-and-parts.docx").projects
    assert (project.budget, project.fiscal_funds, project.other_funds) == (1000, 920, 80)


def test_fund_parts_in_yuan_and_an_unreadable_part_refuses_the_project() -> None:
    parts = [["中央资金", "3,000,000.00", ""], ["省级资金", "—", ""], ["市级资金", "1000000", ""]]
    labels = [["项目名称", "农田", "", ""], *[["项目资金", *r] for r in parts]]
    data = docx_bytes(["2023年绩效目标表", "单位：元", (labels, []), indicator_table()])
    [project] = parse_bytes(data, "yuan-parts.docx").projects
    assert (project.budget, project.fiscal_funds) == (400, 400)
    document = parse_bytes(fund_block(["中央资金", "约500", ""]), "bad-part.docx")
    assert document.projects == [] and "'约500' is not an amount" in document.refused[0].reason
