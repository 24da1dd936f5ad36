"""The text export's quirks, each read by a general rule."""

from store.documents import parse_bytes
from tests.textdocs import INDICATORS, document, project_rows


def parse(text: str, name: str = "doc.txt"):
    return parse_bytes(text.encode("utf-8"), name)


def test_a_goal_continuing_on_an_untabbed_line_is_one_text() -> None:
    rows = project_rows()
    text = document([rows]).replace("\t完成示范。\n", "\t1.\n 完成示范，\n服务全市。\n")
    assert parse(text).projects[0].goal == "1.完成示范，服务全市。"


def test_a_row_broken_by_a_blank_line_inside_a_cell_is_joined() -> None:
    text = document()
    broken = "\t全年培训人次\n\n\t≥100人次\n"
    text = text.replace("\t全年培训人次\n\t≥100人次\n", broken)
    assert broken in text
    first = parse(text).projects[0].indicators[0]
    assert (first.name, first.description, first.value, first.basis) == (
        "培训人次",
        "全年培训人次",
        "≥100人次",
        "计划标准",
    )


def test_merged_category_cells_exported_empty_take_the_category_above() -> None:
    indicators = parse(document()).projects[0].indicators
    assert [(i.level1, i.level2) for i in indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_a_blank_plan_amount_is_no_amount() -> None:
    rows = project_rows(plan=(" ", "200.00", "300.00", "400.00"))
    plan = parse(document([rows])).projects[0].plan
    assert [p.amount for p in plan] == [None, 200.0, 300.0, 400.0]
    assert [str(p.date) for p in plan] == ["2023-03-31", "2023-06-30", "2023-10-31", "2023-12-31"]


def test_amounts_under_a_percent_header_stay_amounts() -> None:
    rows = project_rows(budget="1221.10", plan=("306.00", "610.00", "1010.00", "1221.00"))
    plan = parse(document([rows])).projects[0].plan
    assert [p.amount for p in plan] == [306.0, 610.0, 1010.0, 1221.0]


def test_real_percentages_become_amounts_of_the_budget() -> None:
    rows = project_rows(budget="800.00", plan=("25", "50", "75", "100"))
    plan = parse(document([rows])).projects[0].plan
    assert [p.amount for p in plan] == [200.0, 400.0, 600.0, 800.0]


def test_spaces_inside_labels_are_ignored() -> None:
    text = (
        document().replace("其中：财政资金", "其中：财政    资金").replace("项目编码", "项目 编码")
    )
    project = parse(text).projects[0]
    assert (project.code, project.fiscal_funds) == ("P001", 400.0)


def test_bookmark_markers_vanish_and_headings_after_a_cell_start_a_project() -> None:
    first = document([project_rows()])
    second = document([project_rows(code="P002", name="第二项目")]).split("\n", 3)[3]
    second = second.replace("1.第二项目", "[bookmark: _Toc_1][bookmark: _GoBack]2.第二项目")
    text = first.rstrip("\n") + "\n" + second  # the heading follows the last cell directly
    projects = parse(text).projects
    assert [p.name for p in projects] == ["示范项目", "第二项目"]
    assert all("bookmark" not in i.name for p in projects for i in p.indicators)


def test_gb18030_text_is_read() -> None:
    document_bytes = document().encode("gb18030")
    assert parse_bytes(document_bytes, "gbk.txt").projects[0].name == "示范项目"


def test_a_row_with_more_cells_than_the_header_is_refused_with_its_place() -> None:
    extra = [*INDICATORS[:1], ["", "数量指标", "多余", "描述", "1个", "计划标准", "多出来"]]
    [refused] = parse(document(indicators=extra)).refused
    assert refused.name == "示范项目" and refused.where.startswith("table 2, row 3")
    assert "7 cells" in refused.reason


def test_an_indicator_without_a_value_is_refused_with_its_place() -> None:
    rows = [*INDICATORS[:1], ["", "数量指标", "无值指标", "描述", "", "计划标准"]]
    parsed = parse(document(indicators=rows))
    [refused] = parsed.refused
    assert parsed.projects == [] and refused.where.startswith("table 2, row 3")
    assert "无值指标" in refused.reason
