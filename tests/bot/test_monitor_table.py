"""The monitoring workbook, reopened with openpyxl, has the 监控表 layout and lists missing data."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from bot.cli import main
from bot.monitor_table import sheet_title
from tests.conftest import SAMPLE

HOUSING = "37020022P46000910003U"


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def workbook_path(tmp_path: Path, capsys) -> Path:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["import", "--db", db, str(SAMPLE)]) == 0
    assert main(["actual", "人才住房", "13000", "--as-of", "2022-07-31", "--db", db]) == 0
    args = ["progress-value", "人才住房", "筹集租赁型人才住房套数", "80套", "--as-of", "2022-07-31"]
    args += ["--forecast", "115套", "--reason", "人员:人手不足", "--likelihood", "确定能"]
    assert main([*args, "--db", db]) == 0
    out = tmp_path / "监控表.xlsx"
    capsys.readouterr()
    assert main(["monitor", "--as-of", "2022-07-31", "-o", str(out), "--db", db]) == 0
    assert str(out.resolve()) in capsys.readouterr().out
    return out


def test_summary_sheet_lists_each_projects_light_and_missing_data(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames == [
        "汇总",
        "住房公积金业务运行专项业务经费",
        "人才住房购置及后期管理",
        "市住房公积金管理中心政务信息化项目",
    ]
    header, fund, housing, _ = rows(book["汇总"])
    assert header[3] == "1-7月执行数" and header[7] == "预警"
    assert housing[:4] == [HOUSING, "人才住房购置及后期管理", 14424, 13000]
    assert housing[4:8] == ["90.13%", "58.33%", 31.8, "黄灯"]
    assert housing[8] == "指标执行情况（10项）"  # 11 indicators, one with an actual
    assert fund[3] is None and fund[7] == "无数据" and fund[8].startswith("执行数、")


def test_project_sheet_has_the_budget_and_indicator_blocks(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["人才住房购置及后期管理"]
    table = rows(sheet)
    assert table[0][0] == "2022年项目支出绩效目标执行监控表"
    assert table[1][:2] == ["项目名称", "人才住房购置及后期管理"]
    assert table[1][5] == "青岛市住房公积金管理中心（青岛市住房资金管理中心）"
    assert table[1][9] == "911001青岛市住房资金管理中心本级"
    assert table[3][:5] == [
        "项目资金（万元）",
        "年初预算数",
        "1-7月执行数",
        "1-7月执行率",
        "全年预计执行数",
    ]
    assert table[4][:4] == ["年度资金总额", 14424, 13000, "90.13%"]
    assert [r[0] for r in table[5:7]] == ["其中：财政拨款", "其他资金"]
    assert table[8][:3] == ["年度总体目标", "年初设定目标", "1-7月实际执行情况"]
    head, sub = table[11], table[12]
    assert head[:7] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1-7月执行情况",
        "全年预计完成情况",
        "偏差原因分析",
    ]
    assert head[11:13] == ["完成目标可能性", "备注"]
    assert sub[6:11] == ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    assert "G12:K12" in {str(r) for r in sheet.merged_cells.ranges}
    filled = next(r for r in table[13:] if r[2] == "筹集租赁型人才住房套数")
    assert filled[3:6] == ["≥110套", "80套", "115套"]
    assert filled[8] == "人手不足" and filled[11] == "确定能"
    blank = next(r for r in table[13:] if r[2] == "筹集租赁型人才住房面积")
    assert blank[4:] == [None] * 9


def test_the_period_follows_the_date(tmp_path: Path, loaded: Engine) -> None:
    from sqlmodel import Session

    from bot.monitor_table import monitoring_workbook
    from store.monitoring_status import StatusRules

    with Session(loaded) as session:
        book = monitoring_workbook(session, date(2022, 6, 30), StatusRules())
    assert book["汇总"]["D1"].value == "1-6月执行数"


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_title("项目/甲:乙[丙]" + "很长" * 20, taken)
    second = sheet_title("项目/甲:乙[丙]" + "很长" * 20, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)


def test_a_monitoring_form_imported_fills_the_executed_and_forecast_columns(
    tmp_path: Path, capsys
) -> None:
    from tests.store.test_actuals_documents import monitoring_form

    db = f"sqlite:///{tmp_path / 'form.db'}"
    form = tmp_path / "监控表-2022.xlsx"
    form.write_bytes(monitoring_form())
    assert main(["import", "--db", db, str(form)]) == 0
    assert "执行数 450 万元 stored as of 2022-07-31" in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    assert main(["monitor", "--as-of", "2022-07-31", "-o", str(out), "--db", db]) == 0
    table = rows(load_workbook(out)["社区养老服务"])
    assert table[4][:5] == ["年度资金总额", 1000, 450, "45.00%", 950]
    indicator = next(r for r in table[13:] if r[2] == "服务老人人次")
    assert indicator[3:5] == ["≥5000人次", "3100人次"]


def _actuals(db: str) -> tuple[list[tuple], list[tuple]]:
    from sqlmodel import Session, create_engine

    from store.actuals import latest_indicator_actual, latest_spending
    from store.queries import all_projects, project_indicators

    day = date(2022, 7, 31)
    with Session(create_engine(db)) as session:
        spent, indicators = [], []
        for project in all_projects(session):
            spending = latest_spending(session, project.code, day)
            spent.append((project.code, spending and (spending.amount, spending.as_of)))
            assert project.id is not None
            for item in project_indicators(session, project.id):
                actual = latest_indicator_actual(session, project.code, item.name, day)
                if actual:
                    indicators.append(
                        (project.code, item.name, actual.value_text, actual.forecast_text)
                    )
    return spent, indicators


def test_our_monitoring_table_imports_back_with_the_same_actuals(
    workbook_path: Path, tmp_path: Path, capsys
) -> None:
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert load_workbook(workbook_path)["人才住房购置及后期管理"]["A1"].value == (
        "2022年项目支出绩效目标执行监控表"
    )
    assert main(["import", "--db", fresh, str(workbook_path)]) == 0
    assert "3 added" in capsys.readouterr().out
    spent, indicators = _actuals(fresh)
    assert spent == _actuals(f"sqlite:///{tmp_path / 'w.db'}")[0]
    assert (HOUSING, (13000, date(2022, 7, 31))) in spent
    assert indicators == [(HOUSING, "筹集租赁型人才住房套数", "80套", "115套")]


def test_our_monitoring_table_imported_over_its_own_store_keeps_the_targets(
    workbook_path: Path, tmp_path: Path, capsys
) -> None:
    own = f"sqlite:///{tmp_path / 'w.db'}"
    assert main(["export", "--json", "--db", own]) == 0
    before = capsys.readouterr().out
    assert main(["import", "--db", own, str(workbook_path)]) == 0
    report = capsys.readouterr().out
    assert "0 replaced" in report and "refused" not in report and "kept its" in report
    assert main(["export", "--json", "--db", own]) == 0
    assert capsys.readouterr().out == before  # plans, purposes, descriptions all kept
    assert (HOUSING, (13000, date(2022, 7, 31))) in _actuals(own)[0]


def test_a_plan_less_copy_without_actuals_is_refused_unless_replace_is_given(
    tmp_path: Path, capsys
) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["import", "--db", db, str(SAMPLE)]) == 0
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("\t资金支出计划")  # the first project's plan, up to its 绩效目标
    end = text.index("\t绩效目标", start)
    plan_less = tmp_path / "no-plan.txt"
    plan_less.write_text(text[:start] + text[end:], encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--db", db, str(plan_less)]) == 2
    assert "would drop its spending plan (4 checkpoints)" in capsys.readouterr().out
    assert main(["import", "--replace", "--db", db, str(plan_less)]) == 0


def test_each_refused_project_is_printed_once_on_each_stream(
    workbook_path: Path, tmp_path: Path, capsys
) -> None:
    book = load_workbook(workbook_path)
    for sheet in book.worksheets[1:]:
        sheet["A1"].value = "项目支出绩效目标执行监控表"  # no year anywhere
    untitled = tmp_path / "untitled.xlsx"
    book.save(untitled)
    assert main(["import", "--db", f"sqlite:///{tmp_path / 'x.db'}", str(untitled)]) == 2
    captured = capsys.readouterr()
    assert "3 refused" in captured.out
    # once in the report (standard output), once as a line of its own (standard error)
    assert captured.out.count("no year found") == 3 and captured.err.count("no year found") == 3
