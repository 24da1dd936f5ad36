"""执行数 exports: columns by synonyms, 元 or 万元, lines summed, unknown projects refused."""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from store.actual_models import SpendingActual
from store.actuals import ActualRefused, latest_spending
from store.actuals_file import ActualsFileError
from store.actuals_import import import_actuals
from store.db import unit_of_work

FUND = "37020022P88002810055U"  # budget 1221.1
HOUSING = "37020022P46000910003U"  # 人才住房购置及后期管理, budget 14424
IT = "37020022P13000410008Q"  # 政务信息化, budget 1310.83
NOW = datetime(2022, 8, 1, tzinfo=UTC)


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list[object]]) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("执行")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run(engine: Engine, path: Path, **options):
    with unit_of_work(engine) as session:
        return import_actuals(session, path, "tester", NOW, **options)


def amounts(engine: Engine) -> dict[str, tuple[date, float]]:
    with Session(engine) as session:
        found = {}
        for code in (FUND, HOUSING, IT):
            if row := latest_spending(session, code, date(2022, 12, 31)):
                found[code] = (row.as_of, round(row.amount, 4))
        return found


def stored(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(SpendingActual)).one()


TREASURY = [
    ["国库集中支付执行情况", None, None, None],
    ["单位：元", None, None, None],
    ["预算编码", "预算项目", "指标金额", "执行数", "截止日期"],
    [FUND, "住房公积金业务运行专项业务经费", "6,000,000.00", "3,000,000.00", "2022-07-31"],
    [FUND, "住房公积金业务运行专项业务经费", "6,211,000.00", "1,500,000.00", "2022-07-31"],
    [HOUSING, "人才住房购置及后期管理", 144240000, 120000000, "2022-07-31"],
    ["合计", None, None, 124500000, None],
]


def test_xlsx_in_yuan_with_lines_summed(loaded: Engine, tmp_path: Path) -> None:
    result = run(loaded, write_xlsx(tmp_path / "支付.xlsx", TREASURY))
    assert result.unit == "元"
    assert amounts(loaded) == {
        FUND: (date(2022, 7, 31), 450.0),
        HOUSING: (date(2022, 7, 31), 12000.0),
    }
    assert {a.code: a.lines for a in result.actuals} == {FUND: 2, HOUSING: 1}


def test_xls_the_same_as_xlsx(loaded: Engine, tmp_path: Path) -> None:
    run(
        loaded,
        write_xls(
            tmp_path / "支付.xls", [[c if c is not None else "" for c in r] for r in TREASURY]
        ),
    )
    assert amounts(loaded) == {
        FUND: (date(2022, 7, 31), 450.0),
        HOUSING: (date(2022, 7, 31), 12000.0),
    }


def test_csv_in_gbk_matched_by_name_and_period_header(loaded: Engine, tmp_path: Path) -> None:
    rows = [
        ["项目名称", "调整后预算数（万元）", "1-7月执行数（万元）"],
        ["人才住房购置及后期管理", "14424", "12,000.00"],
        ["市住房公积金管理中心政务信息化项目", "1310.83", "700"],
    ]
    result = run(loaded, write_csv(tmp_path / "监控.csv", rows, "gb18030"))
    assert result.unit == "万元"
    assert amounts(loaded) == {
        HOUSING: (date(2022, 7, 31), 12000.0),
        IT: (date(2022, 7, 31), 700.0),
    }


def test_yuan_is_recognised_from_the_size_of_the_amounts(loaded: Engine, tmp_path: Path) -> None:
    rows = [["项目编码", "累计支出"], [HOUSING, 120000000], [IT, 7000000]]
    result = run(loaded, write_csv(tmp_path / "a.csv", rows), as_of=date(2022, 6, 30))
    assert result.unit == "元"
    assert amounts(loaded) == {
        HOUSING: (date(2022, 6, 30), 12000.0),
        IT: (date(2022, 6, 30), 700.0),
    }


def test_the_unit_can_be_given(loaded: Engine, tmp_path: Path) -> None:
    rows = [["项目编码", "累计支出", "月份"], [IT, "7000000", "6月"]]
    run(loaded, write_csv(tmp_path / "a.csv", rows), unit="元")
    assert amounts(loaded) == {IT: (date(2022, 6, 30), 700.0)}


def test_an_unknown_project_refuses_the_whole_file(loaded: Engine, tmp_path: Path) -> None:
    rows = [["项目编码", "项目名称", "执行数", "截止日期"]]
    rows += [
        [HOUSING, "人才住房", "12000", "2022-07-31"],
        ["X999", "不存在的项目", "5", "2022-07-31"],
    ]
    with pytest.raises(ActualsFileError) as error:
        run(loaded, write_csv(tmp_path / "a.csv", rows))
    assert error.value.key == "import_unknown" and "X999" in error.value.values["names"]
    assert stored(loaded) == 0


@pytest.mark.parametrize(
    ("rows", "key"),
    [
        ([["项目编码", "预算数"], [HOUSING, "1"]], "import_no_column"),
        ([["项目编码", "执行数"], [HOUSING, "12000"]], "import_no_date"),
        ([["项目编码", "执行数", "月份"], [HOUSING, "很多", "7月"]], "import_bad_cell"),
        ([["项目编码", "执行数", "月份"]], "import_empty"),
    ],
)
def test_broken_files_are_refused_with_nothing_stored(
    loaded: Engine, tmp_path: Path, rows: list, key: str
) -> None:
    with pytest.raises(ActualsFileError) as error:
        run(loaded, write_csv(tmp_path / "a.csv", rows))
    assert error.value.key == key
    assert stored(loaded) == 0


def test_not_a_spreadsheet_is_refused(loaded: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "a.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ActualsFileError) as error:
        run(loaded, bad)
    assert error.value.key == "import_unreadable"


def test_one_amount_over_budget_refuses_the_file_unless_forced(
    loaded: Engine, tmp_path: Path
) -> None:
    rows = [["项目编码", "执行数", "月份"], [IT, "700", "7月"], [HOUSING, "15000", "7月"]]
    path = write_csv(tmp_path / "a.csv", rows)
    with pytest.raises(ActualRefused):
        run(loaded, path)
    assert stored(loaded) == 0
    run(loaded, path, force=True)
    assert stored(loaded) == 2
