"""The monitoring rules of the settings: 序时进度 method and light thresholds."""

from bot.settings import Settings
from store.monitoring_status import StatusRules


def status_rules(settings: Settings) -> StatusRules:
    """MONITOR_TIME_METHOD, MONITOR_YELLOW_BELOW and MONITOR_RED_BELOW as StatusRules."""
    return StatusRules(
        settings.monitor_time_method, settings.monitor_yellow_below, settings.monitor_red_below
    )
