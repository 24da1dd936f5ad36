"""The monitoring commands as an operator runs them: record, refuse, import, report as JSON."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.cli import main
from store.actuals import spending_history
from store.db import make_engine
from tests.store.test_monitoring_status import CONTRACT_FIELDS

HOUSING = "37020022P46000910003U"


def history(url: str) -> list[tuple[str, float, str]]:
    with Session(make_engine(url)) as session:
        return [
            (r.as_of.isoformat(), r.amount, r.source) for r in spending_history(session, HOUSING)
        ]


def progress_json(url: str, capsys, *args: str) -> list[dict]:
    capsys.readouterr()
    assert main(["progress", "--db", url, "--json", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_actual_records_and_reports_the_new_status(db: str, capsys) -> None:
    assert main(["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "12000" in out and "执行率 83.19%" in out and "序时进度 50.00%" in out
    assert history(db) == [("2022-06-30", 12000.0, "form")]


def test_amounts_in_other_units_are_converted(db: str) -> None:
    assert main(["actual", HOUSING, "1.2亿", "--as-of", "6月底", "--db", db]) == 0
    assert main(["actual", HOUSING, "130000000元", "--as-of", "7月底", "--db", db]) == 0
    assert history(db) == [("2022-06-30", 12000.0, "form"), ("2022-07-31", 13000.0, "form")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["人才住房", "很多"], "不是金额"),
        (["人才住房", "100", "--as-of", "昨天下午"], "不是日期"),
        (["不存在", "100", "--as-of", "2022-06-30"], "没有找到项目"),
        (["人才住房", "-5", "--as-of", "2022-06-30"], "负数"),
        (["人才住房", "100", "--as-of", "2023-06-30"], "不在项目的 2022 年度内"),
        (["人才住房", "20000", "--as-of", "2022-06-30"], "超过预算 14424"),
    ],
)
def test_wrong_inputs_are_refused_with_nothing_stored(
    db: str, capsys, args: list[str], message: str
) -> None:
    assert main(["actual", *args, "--db", db]) == 2
    assert message in capsys.readouterr().err
    assert history(db) == []


def test_a_lower_cumulative_amount_needs_force(db: str, capsys) -> None:
    assert main(["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--db", db]) == 0
    assert main(["actual", "人才住房", "11000", "--as-of", "2022-07-31", "--db", db]) == 2
    assert "低于 2022-06-30 已记录的 12000" in capsys.readouterr().err
    assert len(history(db)) == 1
    assert (
        main(["actual", "人才住房", "11000", "--as-of", "2022-07-31", "--force", "--db", db]) == 0
    )
    assert len(history(db)) == 2


def test_progress_json_has_one_contract_object_per_project(db: str, capsys) -> None:
    assert main(["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--db", db]) == 0
    rows = progress_json(db, capsys, "--now", "2022-07-31")
    assert len(rows) == 3 and all(set(r) >= CONTRACT_FIELDS for r in rows)
    housing = next(r for r in rows if r["project_code"] == HOUSING)
    assert housing["executed"] == 12000.0 and housing["as_of"] == "2022-06-30"
    assert housing["light"] == "red"  # 15.06 points behind its own 6月底 plan
    others = [r for r in rows if r["project_code"] != HOUSING]
    assert all(r["executed"] is None and r["light"] is None for r in others)
    (one,) = progress_json(db, capsys, "人才住房", "--now", "2022-05-31")
    assert one["executed"] is None


def test_progress_value_records_an_indicator(db: str, capsys) -> None:
    args = ["progress-value", "人才住房", "筹集租赁型人才住房套数", "80套", "--as-of", "2022-06-30"]
    args += ["--forecast", "115套", "--reason", "经费:资金下达晚", "--likelihood", "2"]
    assert main([*args, "--db", db]) == 0
    assert "80套" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--reason", "天气:下雨"], "偏差原因类别"), (["--likelihood", "也许吧"], "完成目标可能性")],
)
def test_progress_value_refuses_unknown_categories(
    db: str, capsys, extra: list[str], message: str
) -> None:
    args = ["progress-value", "人才住房", "筹集租赁型人才住房套数", "80套", *extra, "--db", db]
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_actuals_import_and_refusal_of_unknown_projects(db: str, tmp_path: Path, capsys) -> None:
    good = tmp_path / "ok.csv"
    good.write_text(f"项目编码,累计支出（万元）,截止日期\n{HOUSING},12000,2022-06-30\n", "utf-8")
    assert main(["actuals", "import", str(good), "--db", db]) == 0
    assert "1 个项目" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"项目编码,执行数,月份\n{HOUSING},13000,7月\nP0000,1,7月\n", "utf-8")
    assert main(["actuals", "import", str(bad), "--db", db]) == 2
    assert "P0000" in capsys.readouterr().err
    assert history(db) == [("2022-06-30", 12000.0, "file")]


def test_a_full_year_forecast_is_kept_and_shown_in_the_status_and_json(db: str, capsys) -> None:
    args = ["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--forecast", "14000"]
    assert main([*args, "--db", db]) == 0
    assert "全年预计执行数 14000.00 万元（预计执行率 97.06%）" in capsys.readouterr().out
    assert main(["actual", "人才住房", "13000", "--as-of", "2022-07-31", "--db", db]) == 0
    [housing] = progress_json(db, capsys, "人才住房", "--now", "2022-08-01")
    assert (housing["executed"], housing["forecast"], housing["forecast_rate"]) == (
        13000,
        14000,
        97.06,
    )
    capsys.readouterr()
    assert main(["ask", "--db", db, "--now", "2022-08-01", "人才住房执行进度"]) == 0
    assert "全年预计执行数 14000.00 万元" in capsys.readouterr().out
    bad = ["actual", "人才住房", "13500", "--forecast", "很多", "--db", db]
    assert main(bad) == 2 and len(history(db)) == 2


def test_the_readmes_walk_through_export_file_records_the_other_two_projects(db: str) -> None:
    shipped = Path(__file__).resolve().parents[2] / "data" / "执行数-2022-07.csv"
    assert main(["actuals", "import", str(shipped), "--db", db]) == 0
    assert history(db) == [("2022-07-31", 12150.0, "file")]
