"""Charts are PNGs drawn with the bundled CJK font: every Chinese glyph present, nothing missing."""

import warnings
from datetime import date
from io import BytesIO
from pathlib import Path

from matplotlib import rc_context
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from PIL import Image

from bot.charts import ProjectSeries, font_file, font_settings, overview_chart, project_chart
from bot.cli import main
from store.messages import say
from store.monitoring_status import StatusRules, project_status
from tests.conftest import SAMPLE
from tests.store.test_monitoring_status import PLAN

NAME = "人才住房购置及后期管理"
SERIES = ProjectSeries(
    NAME, 2022, 1221.1, PLAN, [(date(2022, 6, 30), 600.0), (date(2022, 7, 31), 650.0)], "months"
)


def drawn(make) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = make()
    return png, [str(w.message) for w in caught]


def test_matplotlib_resolves_the_bundled_font_which_has_every_glyph_used() -> None:
    with rc_context(font_settings()):
        resolved = Path(findfont(FontProperties(family=["sans-serif"]), fallback_to_default=False))
    assert resolved == font_file() and resolved.is_file()
    assert "site-packages" in str(resolved) or "dist-packages" in str(resolved)
    charmap = FT2Font(str(resolved)).get_charmap()
    texts = [NAME, say("zh", "chart_title", project=NAME, year=2022), "1月12月"]
    texts += [say("zh", key) for key in ("chart_plan", "chart_actual", "chart_time")]
    texts += [say("zh", "chart_axis_amount"), say("zh", "chart_axis_month")]
    missing = {ch for text in texts for ch in text if ord(ch) not in charmap}
    assert missing == set()


def test_project_chart_is_a_1000_by_600_png_with_no_missing_glyph() -> None:
    png, messages = drawn(lambda: project_chart(SERIES))
    assert not [m for m in messages if "missing from font" in m]
    image = Image.open(BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1000, 600))
    assert (
        len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 10
    )  # lines, text, not a blank canvas


def test_overview_chart_colours_bars_by_light() -> None:
    rules = StatusRules()
    statuses = [
        project_status("a", 1000.0, PLAN, 200.0, date(2022, 7, 31), rules),  # red
        project_status("b", 1000.0, [], 700.0, date(2022, 7, 31), rules),  # green
    ]
    png, messages = drawn(
        lambda: overview_chart(["甲项目", "乙项目"], statuses, 2022, date(2022, 7, 31))
    )
    assert not [m for m in messages if "missing from font" in m]
    image = Image.open(BytesIO(png)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    assert (0xD2, 0x35, 0x2B) in colours and (0x2E, 0x9D, 0x4A) in colours


def test_chart_command_saves_the_file_and_prints_its_path(tmp_path: Path, capsys) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["import", "--db", db, str(SAMPLE)]) == 0
    assert main(["actual", "人才住房", "12000", "--as-of", "2022-06-30", "--db", db]) == 0
    capsys.readouterr()
    out = tmp_path / "人才住房.png"
    assert main(["chart", "人才住房", "-o", str(out), "--db", db]) == 0
    assert str(out.resolve()) in capsys.readouterr().out
    assert Image.open(out).size == (1000, 600)
    assert main(["chart", "不存在的项目", "-o", str(tmp_path / "x.png"), "--db", db]) == 2
    assert not (tmp_path / "x.png").exists()
