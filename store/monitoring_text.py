"""The words of monitoring: a project's spending status and an indicator's completion."""

from store.indicator_progress import IndicatorProgress
from store.messages import Language, say
from store.money import money_text, share_text
from store.monitoring_status import ProjectStatus, StatusRules

number = money_text


percent = share_text


def light_name(light: str | None, language: Language) -> str:
    """🟢 绿灯 / 🟡 黄灯 / 🔴 红灯, or 无预警."""
    return say(language, f"light_{light or 'none'}")


def _gap_text(gap: float | None, language: Language, ahead: str, behind: str) -> str:
    if gap is None:
        return say(language, "gap_none")
    key = ahead if gap >= 0 else behind
    return say(language, key, points=f"{abs(gap):.2f}")


def status_lines(name: str, status: ProjectStatus, language: Language) -> list[str]:
    """A project's status: spending, rate, 序时进度, gap, light, then the plan around the date."""
    if status.executed is None:
        return [
            say(
                language,
                "progress_none",
                project=name,
                date=status.as_of,
                time=percent(status.time_progress),
            )
        ]
    lines = [
        say(
            language,
            "progress_line",
            project=name,
            date=status.as_of,
            executed=number(status.executed),
            rate=percent(status.execution_rate),
            time=percent(status.time_progress),
            method=say(language, f"method_{status.time_method}"),
            gap=_gap_text(status.gap_points, language, "gap_ahead", "gap_behind"),
            light=light_name(status.light, language),
        )
    ]
    if status.forecast is not None:
        forecast, rate = number(status.forecast), percent(status.forecast_rate)
        lines.append(say(language, "progress_forecast", forecast=forecast, rate=rate))
    return lines + plan_lines(status, language)


def plan_lines(status: ProjectStatus, language: Language) -> list[str]:
    """The project's own plan at the surrounding checkpoints, and what is left to spend."""
    if status.planned_to_date is None:
        return [say(language, "progress_no_plan")]
    values = {
        "previous": status.previous_checkpoint,
        "planned": number(status.planned_to_date),
        "plan_gap": _gap_text(
            status.plan_gap_points, language, "plan_gap_ahead", "plan_gap_behind"
        ),
        "next": status.next_checkpoint,
        "next_date": status.next_checkpoint_date,
        "next_planned": number(status.next_planned),
        "to_spend": number(status.to_spend_for_next),
        "per_day": number(status.to_spend_per_day),
    }
    if status.next_checkpoint is None:
        key = "progress_plan_last"
    else:
        key = "progress_plan" if status.previous_checkpoint else "progress_plan_start"
    lines = [say(language, key, **values)]
    if status.estimated_plan is not None:
        lines.append(say(language, "progress_estimate", estimated=number(status.estimated_plan)))
    return lines


def rule_line(rules: StatusRules, language: Language) -> str:
    """The warning rule in force."""
    return say(
        language, "progress_rule", yellow=f"{rules.yellow_below:g}", red=f"{rules.red_below:g}"
    )


def indicator_lines(name: str, item: IndicatorProgress, language: Language) -> list[str]:
    """An indicator's actual against its target, forecast, deviation reason and likelihood."""
    if item.actual is None:
        return [
            say(
                language,
                "indicator_no_actual",
                project=name,
                indicator=item.indicator,
                target=item.target,
            )
        ]
    share = (
        ""
        if item.share_complete is None
        else say(language, "indicator_share", share=f"{item.share_complete:g}")
    )
    met = None if item.met is None else ("indicator_met" if item.met else "indicator_not_met")
    lines = [
        say(
            language,
            "indicator_progress_line",
            project=name,
            indicator=item.indicator,
            target=item.target,
            date=item.as_of,
            actual=item.actual,
            share=share,
            met=say(language, met) if met else "",
        )
    ]
    if item.forecast:
        deviation = (
            ""
            if item.forecast_deviation is None
            else say(language, "indicator_deviation", deviation=f"{item.forecast_deviation:+g}")
        )
        lines.append(
            say(language, "indicator_forecast", forecast=item.forecast, deviation=deviation)
        )
    if item.reason_category or item.reason_text:
        text = f"：{item.reason_text}" if item.reason_category and item.reason_text else ""
        category = item.reason_category or item.reason_text or ""
        lines.append(say(language, "indicator_reason", category=category, text=text))
    if item.likelihood:
        lines.append(say(language, "indicator_likelihood", likelihood=item.likelihood))
    return lines
