"""`targetbot import --as-of DATE`: actuals under a label naming no period (执行数) get a date."""

from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from bot.cli import main
from store.actual_models import IndicatorActual, SpendingActual
from store.db import make_engine
from tests.gridbuild import docx_bytes


def undated_form(tmp_path: Path) -> Path:
    """A 监控表 whose money label and indicator column say 执行数 / 执行情况 and no months."""
    grid: list[list[object]] = [
        ["项目名称", "农村公路养护", "", "", "", ""],
        ["年度预算（万元）", "800", "执行数", "300", "执行率", "37.5%"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "执行情况", "全年预计完成情况"],
        ["产出指标", "数量指标", "养护里程", "≥1200公里", "600公里", "1250公里"],
    ]
    path = tmp_path / "监控表.docx"
    path.write_bytes(docx_bytes(["2023年项目支出绩效运行监控表", (grid, [])]))
    return path


def stored(url: str) -> tuple[list[tuple], list[tuple]]:
    with Session(make_engine(url)) as session:
        spent = session.exec(select(SpendingActual).order_by(col(SpendingActual.id)))
        done = session.exec(select(IndicatorActual).order_by(col(IndicatorActual.id)))
        return (
            [(r.as_of, r.amount) for r in spent],
            [(r.as_of, r.value_text, r.forecast_text) for r in done],
        )


def test_undated_actuals_are_reported_not_stored_then_dated_by_as_of(
    tmp_path: Path, capsys
) -> None:
    url, path = f"sqlite:///{tmp_path / 'u.db'}", undated_form(tmp_path)
    assert main(["import", "--db", url, str(path)]) == 0
    assert "'执行数' names no date (give one: targetbot import --as-of DATE)" in (
        capsys.readouterr().out
    )
    assert stored(url) == ([], [])
    assert main(["import", "--db", url, "--as-of", "6月底", str(path)]) == 0
    assert "执行数 300 万元 stored as of 2023-06-30" in capsys.readouterr().out
    june = date(2023, 6, 30)
    assert stored(url) == ([(june, 300)], [(june, "600公里", "1250公里")])


def test_a_date_outside_the_projects_year_or_no_date_stores_nothing(tmp_path: Path, capsys) -> None:
    url, path = f"sqlite:///{tmp_path / 'u.db'}", undated_form(tmp_path)
    assert main(["import", "--db", url, "--as-of", "明天", str(path)]) == 2
    assert "--as-of '明天' is not a date" in capsys.readouterr().err
    assert main(["import", "--db", url, "--as-of", "2022-06-30", str(path)]) == 0
    out = capsys.readouterr().out
    assert "执行数 300 万元 of 2022-06-30 not stored: 2022-06-30 is not in the project's" in out
    assert "养护里程 of 2022-06-30 not stored" in out
    assert stored(url) == ([], [])
