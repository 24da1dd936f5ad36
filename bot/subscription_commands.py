"""/subscribe, /unsubscribe and /reminders for a chat: subscriptions plus the reminder plan."""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session

from handlers.catalog import catalog_for
from handlers.question_reading import understand
from handlers.reply import Reply
from handlers.wordlists import glossary
from jobs.plan_inputs import plan
from jobs.planning import upcoming
from store.db import unit_of_work
from store.reminder_timing import ReminderTiming
from store.subscriptions import subscribe, subscription_of, unsubscribe

SUBSCRIPTION_COMMANDS = ("subscribe", "unsubscribe", "reminders")


def _names(session: Session, codes: str) -> str:
    if not codes:
        return "全部项目"
    names = {p.code: p.name for p in catalog_for(session).projects}
    return "、".join(names.get(code, code) for code in codes.split(","))


def next_reminders_text(engine: Engine, chat: str, zone: ZoneInfo, now: datetime) -> list[str]:
    """The chat's next reminders, one line each."""
    with Session(engine) as session:
        coming = upcoming(plan(session, zone, {chat}), now)[:6]
    lines = []
    for reminder in coming:
        what = reminder.label or "时效指标截止"
        lines.append(
            f"• {reminder.fire_at:%Y-%m-%d %H:%M}：{what}（{reminder.target_date}）"
            f"提前 {reminder.lead_days} 天"
        )
    return lines or ["• 已导入文件的节点都已过去，暂无待发提醒。"]


class ReminderCommands:
    """The three commands, bound to the store, the defaults and a hook run after changes."""

    def __init__(
        self,
        engine: Engine,
        zone: ZoneInfo,
        defaults: ReminderTiming,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine, self.zone, self.defaults, self.on_change = engine, zone, defaults, on_change

    def run(self, chat: str, name: str, args: str, now: datetime) -> Reply:
        query = f"/{name} {args}".strip()
        if name == "subscribe":
            text = self.subscribe(chat, args, now)
        elif name == "unsubscribe":
            text = self.unsubscribe(chat, now)
        else:
            text = self.describe(chat, now)
        return Reply(query=query, text=text, intent=name)

    def subscribe(self, chat: str, args: str, now: datetime) -> str:
        with Session(self.engine) as session:
            catalog = catalog_for(session)
            projects = understand(args, catalog, now, glossary()).projects if args else []
        if args and not projects:
            return f"没有找到项目“{args}”，请用 /projects 查看项目名称。"
        with unit_of_work(self.engine) as session:
            row = subscribe(
                session,
                chat,
                [p.code for p in projects],
                self.defaults.lead_days_text,
                self.defaults.at_text,
                now,
            )
            scope = _names(session, row.project_codes)
        self.on_change()
        lines = [
            f"已订阅提醒：{scope}；每个支出节点前 {self.defaults.lead_days_text} 天的 "
            f"{self.defaults.at_text} 提醒。",
            "接下来的提醒：",
        ]
        return "\n".join(lines + next_reminders_text(self.engine, chat, self.zone, now))

    def unsubscribe(self, chat: str, now: datetime) -> str:
        with unit_of_work(self.engine) as session:
            stopped = unsubscribe(session, chat, now)
        self.on_change()
        return "已取消订阅，不会再收到提醒。" if stopped else "这个聊天没有订阅提醒。"

    def describe(self, chat: str, now: datetime) -> str:
        with Session(self.engine) as session:
            row = subscription_of(session, chat)
            if row is None or not row.active:
                return "这个聊天没有订阅提醒。发送 /subscribe 订阅全部项目，或 /subscribe 项目名。"
            head = (
                f"已订阅：{_names(session, row.project_codes)}；提前 {row.lead_days} 天，"
                f"{row.at_time} 提醒。"
            )
        return "\n".join(
            [head, "接下来的提醒：", *next_reminders_text(self.engine, chat, self.zone, now)]
        )
