"""The console chat records actuals and saves charts and monitoring tables to files."""

import io
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import Engine

from bot.assistant import Assistant
from bot.console import run_console
from bot.console_monitoring import console_reply
from bot.settings import Settings


async def test_console_records_charts_and_tables(sample_engine: Engine, tmp_path: Path) -> None:
    assistant = Assistant(sample_engine, Settings(_env_file=None))
    recorded = console_reply(assistant, "人才住房6月底支出12000万", tmp_path)
    assert "已记录" in recorded and "执行率 83.19%" in recorded
    charted = console_reply(assistant, "/chart 人才住房", tmp_path)
    chart = tmp_path / "chart-人才住房.png"
    assert str(chart.resolve()) in charted and Image.open(chart).size == (1000, 600)
    tabled = console_reply(assistant, "/monitor 2022-07-31", tmp_path)
    table = tmp_path / "监控表-2022-07-31.xlsx"
    assert str(table.resolve()) in tabled and load_workbook(table).sheetnames[0] == "汇总"
    assert "14172" in console_reply(assistant, "人才住房6月底计划支出多少", tmp_path)


async def test_the_console_loop_uses_it(sample_engine: Engine) -> None:
    out = io.StringIO()
    stdin = io.StringIO("人才住房6月底支出12000万\n人才住房执行进度\n")
    await run_console(Assistant(sample_engine, Settings(_env_file=None)), stdin, out)
    assert "已记录" in out.getvalue() and "执行率 83.19%" in out.getvalue()
