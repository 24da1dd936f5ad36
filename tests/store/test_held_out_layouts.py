"""Held-out layouts: documents in other provinces' conventions, written after the rules were
built, in three batches. First: a Guangdong form in one table, a Zhejiang sheet with mid-term and
annual columns, a Beijing self-evaluation, a Sichuan department-wide .xls, a Hubei monitoring
form. Second: Shanghai label：value cells, a list-style PDF, Jiangsu amounts in 元, a county's
department-wide text export. Third: Henan scored categories, a sheet per project in 元.

Each batch ran before any rule was changed for it. The first found a goal in the row below
its sub-header and `部门（单位）名称`; the second `其中：财政资金：6,000.00` (two colons),
`项目预算` / `年度预算总额` and `指标类别`; the third a money label taking the sub-label below
it as its value. Those were fixed as general rules, then kept here as tests."""

from io import BytesIO

from reportlab.platypus import Paragraph, SimpleDocTemplate

from store.documents import parse_bytes
from tests.gridbuild import across, docx_bytes, down, xlsx_bytes
from tests.legacy_builders import TEXT, grid_table, xlsx_to_xls
from tests.textdocs import rows_text


def indicators(project) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.name, i.value) for i in project.indicators]


def test_a_guangdong_form_with_project_and_indicator_rows_in_one_table() -> None:
    grid = [
        ["项目名称", "粤东西北教师培训", "", "", ""],
        ["主管部门", "广东省教育厅", "实施单位", "广东第二师范学院", ""],
        ["项目属性", "延续项目", "项目期", "3年", ""],
        ["项目资金（万元）", "年度资金总额：", "500", "", ""],
        ["项目资金（万元）", "其中：财政拨款", "450", "", ""],
        ["项目资金（万元）", "其他资金", "50", "", ""],
        ["年度总体目标", "完成教师培训5000人次。", "", "", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["绩效指标", "产出指标", "数量指标", "培训教师人次", "≥5000人次"],
        ["绩效指标", "产出指标", "质量指标", "培训合格率", "≥95%"],
        ["绩效指标", "满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%"],
    ]
    merges = [down(0, 3, 5), down(0, 7, 10), across(0, 1, 4), across(6, 1, 4)]
    data = docx_bytes(["2023年省级财政项目支出绩效目标申报表", (grid, merges)])
    [project] = parse_bytes(data, "guangdong.docx").projects
    assert (project.department, project.unit) == ("广东省教育厅", "广东第二师范学院")
    assert (project.budget, project.fiscal_funds, project.other_funds) == (500, 450, 50)
    assert project.goal == "完成教师培训5000人次。"
    assert indicators(project)[0] == ("产出指标", "数量指标", "培训教师人次", "≥5000人次")
    assert len(project.indicators) == 3


def test_a_zhejiang_sheet_with_total_and_annual_budgets_and_numeric_targets() -> None:
    grid = [
        ["2024年项目绩效目标表"],
        ["金额单位：万元"],
        ["项目名称", "数字乡村建设", "项目编码", "330000-24-001"],
        ["预算部门", "浙江省农业农村厅", "项目总预算", 3000],
        ["当年年度预算", 1000, "其中：财政资金", 1000],
        ["中期目标（2024-2026年）", "建成示范村100个", "年度目标", "建成示范村40个"],
        ["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "中期指标值", "年度指标值"],
        ["产出指标", "数量指标", "示范村数量", "个", "≥", 100, 40],
        ["产出指标", "成本指标", "每村补助", "万元", "≤", 30, 25],
    ]
    [project] = parse_bytes(xlsx_bytes([("绩效目标", grid, [])]), "zhejiang.xlsx").projects
    assert (project.code, project.budget) == ("330000-24-001", 1000)
    assert (project.goal, project.midterm_goal) == ("建成示范村40个", "建成示范村100个")
    assert [i.value for i in project.indicators] == ["≥40个", "≤25万元"]


def test_a_beijing_self_evaluation_with_budget_execution_and_goal_rows() -> None:
    money = [
        ["项目名称", "老旧小区综合整治", "", "", "", "", ""],
        ["主管部门", "北京市住房和城乡建设委员会", "", "实施单位", "某区住建委", "", ""],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "得分"],
        ["项目资金（万元）", "年度资金总额", "2000", "2000", "1900", "10", "9.5"],
        ["项目资金（万元）", "其中：当年财政拨款", "2000", "2000", "1900", "—", "—"],
        ["项目资金（万元）", "上年结转资金", "0", "0", "0", "—", "—"],
        ["年度总体目标", "预期目标", "", "", "实际完成情况", "", ""],
        ["年度总体目标", "完成10个小区整治", "", "", "完成9个小区整治", "", ""],
    ]
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [
        ["产出指标", "数量指标", "整治小区数量", "10个", "9个", "20", "18"],
        ["满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "92%", "10", "10"],
        ["总分", "", "", "", "", "100", "95.5"],
    ]
    tables = [(money, [down(0, 2, 5), down(0, 6, 7)]), ([header, *rows], [])]
    data = docx_bytes(["2022年度项目支出绩效自评表", *tables])
    [project] = parse_bytes(data, "beijing.docx").projects
    assert (project.budget, project.fiscal_funds) == (2000, 2000)
    assert project.goal == "完成10个小区整治"
    assert [(i.value, i.actual_text) for i in project.indicators] == [
        ("10个", "9个"),
        ("≥90%", "92%"),
    ]


def test_a_sichuan_department_wide_xls_with_a_task_table() -> None:
    grid = [
        ["2023年度部门整体支出绩效目标表"],
        ["部门（单位）名称", "四川省某市自然资源局"],
        ["年度主要任务", "任务名称", "主要内容", "预算金额（万元）"],
        ["年度主要任务", "不动产登记", "完成登记业务", 300],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "不动产登记办件量", "≥20000件"],
        ["满意度指标", "服务对象满意度指标", "办事群众满意度", "≥95%"],
    ]
    xls = xlsx_to_xls(xlsx_bytes([("整体", grid, [down(0, 2, 3)])]))
    [project] = parse_bytes(xls, "sichuan.xls").projects
    assert project.name == "四川省某市自然资源局部门整体"
    assert indicators(project)[1] == ("满意度指标", "服务对象满意度指标", "办事群众满意度", "≥95%")


def test_a_hubei_monitoring_form_keeps_half_year_progress_on_the_side() -> None:
    grid = [
        ["项目名称", "农村公路养护", "", "", "", ""],
        ["主管部门", "湖北省交通运输厅", "", "", "", ""],
        ["年度预算（万元）", "800", "1-6月执行数", "300", "执行率", "37.5%"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-6月执行情况", "全年预计完成情况"],
        ["产出指标", "数量指标", "养护里程", "≥1200公里", "600公里", "1200公里"],
        ["效益指标", "社会效益指标", "公路优良率", "≥85%", "80%", "85%"],
    ]
    data = docx_bytes(["2023年项目支出绩效运行监控表", (grid, [])])
    [project] = parse_bytes(data, "hubei.docx").projects
    assert project.budget == 800
    assert [i.value for i in project.indicators] == ["≥1200公里", "≥85%"]
    first = project.indicators[0]
    assert (first.actual_text, first.actual_period) == ("600公里", "1-6月执行情况")


def test_a_shanghai_form_with_label_and_value_inside_each_cell() -> None:
    cells = [
        ["项目名称：城市更新专项", "项目编码：310000230001", ""],
        ["主管部门：上海市住房和城乡建设管理委员会", "实施单位：上海市城市更新中心", ""],
        ["项目预算（万元）：6,500.00", "其中：财政资金：6,000.00", "其他资金：500.00"],
    ]
    header = [["指标类别", "指标名称", "目标值"], ["产出指标", "更新改造面积", "≥20万平方米"]]
    data = docx_bytes(["2023年度上海市市级项目绩效目标表", (cells, []), (header, [])])
    [project] = parse_bytes(data, "shanghai.docx").projects
    assert (project.code, project.unit) == ("310000230001", "上海市城市更新中心")
    assert (project.budget, project.fiscal_funds, project.other_funds) == (6500, 6000, 500)
    assert indicators(project) == [("产出指标", "未分级", "更新改造面积", "≥20万平方米")]


def test_a_list_style_pdf_with_merged_project_cells_and_a_total_row() -> None:
    rows = [
        ["单位名称", "项目名称", "预算数", "一级指标", "二级指标", "三级指标", "指标值"],
        [
            "市卫健委",
            "基层医疗机构能力提升",
            "300",
            "产出指标",
            "数量指标",
            "培训基层医生",
            "≥500人",
        ],
        ["", "", "", "", "质量指标", "培训考核合格率", "≥95%"],
        ["市卫健委", "应急物资储备", "120", "产出指标", "数量指标", "储备物资品种", "≥30种"],
        ["合计", "", "420", "", "", "", ""],
    ]
    spans = [((c, 1), (c, 2)) for c in range(4)]
    table = grid_table(rows, [60, 90, 40, 60, 60, 90, 60], spans)
    out = BytesIO()
    title = "2023年某市卫生健康委员会项目支出绩效目标汇总表"
    SimpleDocTemplate(out).build([Paragraph(title, TEXT), Paragraph("单位：万元", TEXT), table])
    projects = parse_bytes(out.getvalue(), "list.pdf").projects
    assert [(p.name, p.unit, p.budget, len(p.indicators)) for p in projects] == [
        ("基层医疗机构能力提升", "市卫健委", 300, 2),
        ("应急物资储备", "市卫健委", 120, 1),
    ]
    assert indicators(projects[0])[1] == ("产出指标", "质量指标", "培训考核合格率", "≥95%")


def test_a_jiangsu_form_with_amounts_in_yuan_named_in_the_labels() -> None:
    grid = [
        ["项目名称", "科技创新券", "", "", ""],
        ["资金总额（元）", "5,000,000", "财政拨款（元）", "5,000,000", ""],
        ["一级指标", "二级指标", "三级指标", "指标值（2023年）", "备注"],
        ["产出指标", "数量指标", "发放创新券企业数", "≥200家", ""],
    ]
    data = docx_bytes(["2023年度江苏省某市项目支出绩效目标", (grid, [])])
    [project] = parse_bytes(data, "jiangsu.docx").projects
    assert (project.budget, project.fiscal_funds) == (500, 500)
    assert indicators(project) == [("产出指标", "数量指标", "发放创新券企业数", "≥200家")]


def test_a_county_department_wide_text_export_with_notes_after_it() -> None:
    rows = [
        ["部门名称", "某县教育局"],
        ["年度预算总额", "12000"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "在校学生人数", "≥30000人"],
        ["", "", "", ""],
        ["满意度指标", "服务对象满意度指标", "家长满意度", "≥90%"],
    ]
    text = "2022年度某县教育局部门整体绩效目标表\n\n" + rows_text(rows)
    text += "注：本表为部门整体绩效目标。\n填表人：王五   联系电话：0000\n"
    [project] = parse_bytes(text.encode(), "county.txt").projects
    assert (project.name, project.budget) == ("某县教育局部门整体", 12000)
    assert [i.name for i in project.indicators] == ["在校学生人数", "家长满意度"]


def test_a_henan_form_with_scored_categories_and_unmerged_fund_rows() -> None:
    money = [
        ["项目名称", "高标准农田建设", "主管部门", "河南省农业农村厅"],
        ["项目资金(万元)", "年度资金总额", "15,000.00", ""],
        ["", "其中：中央资金", "10,000.00", ""],
        ["", "省级资金", "5,000.00", ""],
        ["年度目标", "建设高标准农田10万亩", "", ""],
    ]
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标（50分）", "数量指标（20分）", "建设面积", "10万亩"],
        ["产出指标（50分）", "质量指标（20分）", "验收合格率", "100%"],
        ["效益指标（30分）", "经济效益指标", "亩均增产", "≥50公斤"],
    ]
    tables = [(money, []), (rows, [down(0, 1, 2)])]
    data = docx_bytes(["2023年度河南省省级项目支出绩效目标表", *tables])
    document = parse_bytes(data, "henan.docx")
    [project] = document.projects
    assert document.refused == [] and (project.budget, project.fiscal_funds) == (15000, 15000)
    assert project.goal == "建设高标准农田10万亩"
    assert indicators(project)[1] == ("产出指标", "质量指标", "验收合格率", "100%")


def test_a_workbook_with_a_sheet_per_project_in_yuan() -> None:
    sheets = []
    for number, (name, amount) in enumerate([("道路维修", 1234567), ("路灯改造", 890000)], 1):
        grid = [
            ["2023年项目绩效目标申报表"],
            ["单位：元"],
            ["项目名称", name],
            ["项目总金额", amount],
            ["其中：财政资金", amount],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "完成量", "≥1项"],
        ]
        sheets.append((f"表{number}", grid, []))
    projects = parse_bytes(xlsx_bytes(sheets), "sheets.xlsx").projects
    assert [(p.name, p.budget, p.fiscal_funds) for p in projects] == [
        ("道路维修", 123.4567, 123.4567),
        ("路灯改造", 89, 89),
    ]
