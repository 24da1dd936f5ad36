"""The words of a reminder: a title and one line per project (or deadline); channels format them."""

from dataclasses import dataclass
from datetime import datetime

from jobs.planning import CHECKPOINT, ProjectCheckpoint, Reminder
from store.checkpoints import budget_share, step_since
from store.money import money_text, share_text


@dataclass(frozen=True)
class ReminderMessage:
    """What a chat is told; `title` is shown in bold where the channel can."""

    title: str
    lines: tuple[str, ...]

    def plain(self) -> str:
        return "\n".join([self.title, *self.lines])


def point_line(item: ProjectCheckpoint) -> str:
    """• project: cumulative amount, share of the budget, step since the previous checkpoint."""
    amount, previous = item.point.amount, item.previous
    if amount is None:
        return f"• {item.project_name}：该节点未安排支出"
    share = budget_share(amount, item.budget)
    share_part = f"，占预算 {share_text(share)}" if share is not None else ""
    since = f"比{previous.label}增加" if previous else "年初至此"
    step = step_since(amount, previous.amount if previous else None)
    return (
        f"• {item.project_name}：累计应支出 {money_text(amount)} {item.unit}{share_part}，"
        f"{since} {money_text(step)} {item.unit}"
    )


def compose(reminder: Reminder, now: datetime) -> ReminderMessage:
    """The message of a reminder, days counted from `now`."""
    days = (reminder.target_date - now.astimezone(reminder.fire_at.tzinfo).date()).days
    left = "今天到期" if days <= 0 else f"还有 {days} 天"
    when = reminder.target_date.isoformat()
    if reminder.kind == CHECKPOINT:
        title = f"⏰ 支出节点提醒：{reminder.label}（{when}），{left}"
        return ReminderMessage(title, tuple(point_line(p) for p in reminder.points))
    title = f"⏰ 时效指标截止提醒：{when}，{left}"
    lines = tuple(f"• {d.project_name}｜{d.indicator}：{d.value}" for d in reminder.deadlines)
    return ReminderMessage(title, lines)
