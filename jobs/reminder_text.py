"""The words of a reminder in the subscriber's language: a title and one line per project (or
deadline), from the message catalogue; channels format them."""

from dataclasses import dataclass
from datetime import datetime

from jobs.planning import CHECKPOINT, ProjectCheckpoint, Reminder
from store.checkpoints import budget_share, step_since
from store.messages import Language, say
from store.money import money_text, share_text


@dataclass(frozen=True)
class ReminderMessage:
    """What a chat is told; `title` is shown in bold where the channel can."""

    title: str
    lines: tuple[str, ...]

    def plain(self) -> str:
        return "\n".join([self.title, *self.lines])


def point_line(item: ProjectCheckpoint, language: Language) -> str:
    """• project: cumulative amount, share of the budget, step since the previous checkpoint."""
    amount, previous = item.point.amount, item.previous
    if amount is None:
        return say(language, "reminder_point_blank", project=item.project_name)
    share = budget_share(amount, item.budget)
    share_part = "" if share is None else say(language, "reminder_share", share=share_text(share))
    step = money_text(step_since(amount, previous.amount if previous else None))
    if previous:
        since = say(language, "milestone_step", previous=previous.label, step=step, unit=item.unit)
    else:
        since = say(language, "milestone_step_first", step=step, unit=item.unit)
    return say(
        language,
        "reminder_point",
        project=item.project_name,
        amount=money_text(amount),
        unit=item.unit,
        share=share_part,
        step=since,
    )


def compose(reminder: Reminder, now: datetime) -> ReminderMessage:
    """The message of a reminder in its chat's language, days counted from `now`."""
    language = reminder.language
    days = (reminder.target_date - now.astimezone(reminder.fire_at.tzinfo).date()).days
    left = say(language, "reminder_due_today" if days <= 0 else "reminder_days_left", days=days)
    when = reminder.target_date.isoformat()
    if reminder.kind == CHECKPOINT:
        title = say(
            language, "reminder_checkpoint_title", checkpoint=reminder.label, date=when, left=left
        )
        return ReminderMessage(title, tuple(point_line(p, language) for p in reminder.points))
    title = say(language, "reminder_deadline_title", date=when, left=left)
    lines = tuple(
        say(
            language,
            "reminder_deadline_line",
            project=d.project_name,
            indicator=d.indicator,
            value=d.value,
        )
        for d in reminder.deadlines
    )
    return ReminderMessage(title, lines)
