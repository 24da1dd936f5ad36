"""The monitoring subcommands' arguments (their handlers are imported when one runs)."""

import argparse


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register the monitoring subcommands on the targetbot parser."""
    sub = commands.add_parser("actual", parents=[common], help="record cumulative spending (万元)")
    sub.add_argument("project", metavar="PROJECT")
    sub.add_argument("amount", metavar="AMOUNT", help="万元, or with a unit: 1.2亿, 1200000元")
    sub.add_argument("--as-of", metavar="DATE", help="2022-07-31 or 7月底 (default: today)")
    sub.add_argument("--force", action="store_true", help="record a lower or over-budget amount")
    sub.add_argument("--forecast", metavar="AMOUNT", help="全年预计执行数 (万元), when known")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_actual")

    sub = commands.add_parser("progress-value", parents=[common], help="record an indicator actual")
    sub.add_argument("project", metavar="PROJECT")
    sub.add_argument("indicator", metavar="INDICATOR")
    sub.add_argument("value", metavar="VALUE", help="as written, e.g. 12000笔")
    sub.add_argument("--as-of", metavar="DATE")
    sub.add_argument("--forecast", metavar="V", help="全年预计完成")
    sub.add_argument("--reason", metavar="CAT:TEXT", help="偏差原因, e.g. 经费保障:资金未到位")
    sub.add_argument("--likelihood", metavar="L", help="确定能 / 有可能 / 完全不可能")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_progress_value")

    actuals = commands.add_parser("actuals", help="spending exports")
    actions = actuals.add_subparsers(dest="actuals_command", required=True, metavar="ACTION")
    sub = actions.add_parser("import", parents=[common], help="import an .xlsx/.xls/.csv export")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--as-of", metavar="DATE", help="the date when the file has none")
    sub.add_argument(
        "--unit", choices=["元", "万元", "亿元"], help="amounts' unit (default: found)"
    )
    sub.add_argument("--force", action="store_true", help="record lower or over-budget amounts")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_actuals_import")

    sub = commands.add_parser("progress", parents=[common], help="spending status per project")
    sub.add_argument("project", nargs="?", metavar="PROJECT")
    sub.add_argument("--now", metavar="DATE", help="the date to judge on (default: today)")
    sub.add_argument("--json", action="store_true", help="one JSON object per project")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_progress")

    sub = commands.add_parser("chart", parents=[common], help="PNG of plan, actuals, 序时进度")
    sub.add_argument("project", nargs="?", metavar="PROJECT", help="none: every project's 执行率")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.png")
    sub.add_argument("--now", metavar="DATE", help="the date of the overview (default: today)")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_chart")

    sub = commands.add_parser("monitor", parents=[common], help="the monitoring table (.xlsx)")
    sub.add_argument("--as-of", metavar="DATE", help="the period end, e.g. 2022-07-31 (1-7月)")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    sub.set_defaults(handler="bot.cli_monitoring:cmd_monitor")
