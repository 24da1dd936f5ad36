"""PNG charts: a project's cumulative plan, actuals and 序时进度; execution rates by project."""

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure

from store.checkpoints import PlanPoint
from store.messages import Language, say
from store.monitoring_status import ProjectStatus, time_progress

SIZE_INCHES, DPI = (10, 6), 100  # 1000 × 600 pixels
LIGHT_COLOURS = {"green": "#2e9d4a", "yellow": "#e0a800", "red": "#d2352b", None: "#9e9e9e"}


def font_file() -> Path:
    """Noto Sans SC (SIL OFL 1.1) from the pylopdf-fonts-zh-cn wheel: no system font needed."""
    from pylopdf_fonts_zh_cn import sans_path

    return Path(sans_path())


def font_settings() -> dict[str, Any]:
    """rcParams that make matplotlib resolve text to the bundled CJK font."""
    path = font_file()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [name],
        "axes.unicode_minus": False,
    }


@dataclass
class ProjectSeries:
    """What one project's chart shows."""

    name: str
    year: int
    budget: float | None
    plan: list[PlanPoint]
    actuals: list[tuple[date, float]]
    time_method: str


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()


def _plan_steps(series: ProjectSeries) -> tuple[list[date], list[float]]:
    """Cumulative plan as steps: flat until a checkpoint, then its amount (a blank one adds 0)."""
    days, amounts, level = [date(series.year, 1, 1)], [0.0], 0.0
    for point in sorted(series.plan, key=lambda p: p.date):
        level = point.amount if point.amount is not None else level
        days.append(point.date)
        amounts.append(level)
    return days, amounts


def _time_line(series: ProjectSeries) -> tuple[list[date], list[float]]:
    """序时进度 × budget through the year."""
    start = date(series.year, 1, 1)
    days = [start + timedelta(days=n) for n in range(366)] + [date(series.year, 12, 31)]
    days = [d for d in days if d.year == series.year]
    budget = series.budget or 0.0
    return days, [budget * time_progress(d, series.time_method) / 100 for d in days]


def project_chart(series: ProjectSeries, language: Language = "zh") -> bytes:
    """PNG of the cumulative plan (steps at checkpoints), actuals and the 序时进度 line, 万元."""
    with rc_context(font_settings()):  # type: ignore[arg-type]
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
        axes = figure.add_subplot()
        if series.plan:
            days, amounts = _plan_steps(series)
            axes.step(
                date2num(days),
                amounts,
                where="post",
                color="#1f6fb2",
                label=say(language, "chart_plan"),
            )
        if series.budget:
            days, amounts = _time_line(series)
            axes.plot(
                date2num(days), amounts, "--", color="#888888", label=say(language, "chart_time")
            )
        if series.actuals:
            dated = sorted(series.actuals)
            axes.plot(
                date2num([d for d, _ in dated]),
                [a for _, a in dated],
                "o-",
                color="#d2352b",
                label=say(language, "chart_actual"),
            )
        axes.set_title(say(language, "chart_title", project=series.name, year=series.year))
        axes.set_ylabel(say(language, "chart_axis_amount"))
        axes.set_xlabel(say(language, "chart_axis_month"))
        axes.set_xlim(date2num(date(series.year, 1, 1)), date2num(date(series.year, 12, 31)))
        axes.set_ylim(bottom=0)
        axes.xaxis.set_major_locator(MonthLocator())
        axes.xaxis.set_major_formatter(DateFormatter("%-m月" if language == "zh" else "%b"))
        axes.grid(alpha=0.3)
        axes.legend(loc="upper left")
        figure.tight_layout()
        return _png(figure)


def overview_chart(
    names: list[str], statuses: list[ProjectStatus], year: int, day: date, language: Language = "zh"
) -> bytes:
    """PNG of each project's 执行率 as a bar coloured by its light, against the 序时进度 line."""
    with rc_context(font_settings()):  # type: ignore[arg-type]
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
        axes = figure.add_subplot()
        rates = [s.execution_rate or 0.0 for s in statuses]
        colours = [LIGHT_COLOURS[s.light] for s in statuses]
        axes.barh(range(len(names)), rates, color=colours)
        axes.set_yticks(range(len(names)), [n if len(n) <= 16 else n[:15] + "…" for n in names])
        axes.invert_yaxis()
        if statuses:
            progress = time_progress(day, statuses[0].time_method)
            axes.axvline(
                progress, color="#555555", linestyle="--", label=say(language, "chart_time")
            )
            axes.legend(loc="lower right")
        axes.set_xlim(0, max([100.0, *rates]) * 1.05)
        axes.set_xlabel(say(language, "chart_axis_rate"))
        axes.set_title(say(language, "chart_overview_title", year=year, date=day.isoformat()))
        axes.grid(axis="x", alpha=0.3)
        figure.tight_layout()
        return _png(figure)
