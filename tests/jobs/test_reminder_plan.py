"""Reminder planning, pure: dates in Asia/Shanghai, lead days, blank amounts, chosen projects."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from jobs.planning import (
    CHECKPOINT,
    DEADLINE,
    Deadline,
    ProjectCheckpoint,
    Subscriber,
    all_reminders,
    due,
    upcoming,
)
from jobs.reminder_text import compose
from store.checkpoints import PlanPoint

TZ = ZoneInfo("Asia/Shanghai")
TALENT, IT = "P-TALENT", "P-IT"


def point(
    code: str, label: str, day: date, amount, previous=None, budget=1000.0
) -> ProjectCheckpoint:
    name = {TALENT: "人才住房购置及后期管理", IT: "政务信息化项目"}[code]
    before = PlanPoint(previous[0], day.month - 3, day, previous[1]) if previous else None
    here = PlanPoint(label, day.month, day, amount)
    return ProjectCheckpoint(code, name, here, before, budget, "万元")


POINTS = [
    point(TALENT, "3月底", date(2022, 3, 31), None),
    point(TALENT, "6月底", date(2022, 6, 30), 600.0, ("3月底", None)),
    point(IT, "3月底", date(2022, 3, 31), 250.0),
    point(IT, "6月底", date(2022, 6, 30), 500.0, ("3月底", 250.0)),
]
DEADLINES = [
    Deadline(
        TALENT,
        "人才住房购置及后期管理",
        "租赁住房达到配租条件的时间",
        "2022年12月31日",
        date(2022, 12, 31),
    )
]


def subscriber(
    chat="telegram:1", codes=(), leads=(7, 1), at=time(9, 0), language="zh"
) -> Subscriber:
    return Subscriber(chat, frozenset(codes), leads, at, language)


def test_reminders_fire_at_the_local_time_lead_days_before_each_checkpoint() -> None:
    plan = all_reminders([subscriber()], POINTS, [], TZ)
    assert [(r.fire_at.isoformat(), r.label, r.lead_days) for r in plan] == [
        ("2022-03-24T09:00:00+08:00", "3月底", 7),
        ("2022-03-30T09:00:00+08:00", "3月底", 1),
        ("2022-06-23T09:00:00+08:00", "6月底", 7),
        ("2022-06-29T09:00:00+08:00", "6月底", 1),
    ]
    assert plan[0].fire_at.utcoffset().total_seconds() == 8 * 3600


def test_one_message_per_chat_date_and_lead_covers_every_subscribed_project() -> None:
    plan = all_reminders([subscriber(), subscriber("telegram:2", codes=[IT])], POINTS, [], TZ)
    first = next(r for r in plan if r.chat == "telegram:1")
    assert first.project_codes == (TALENT, IT)
    assert {r.project_codes for r in plan if r.chat == "telegram:2"} == {(IT,)}


def test_a_blank_amount_says_nothing_is_planned_and_amounts_have_share_and_step() -> None:
    reminder = all_reminders([subscriber()], POINTS, [], TZ)[0]
    message = compose(reminder, datetime(2022, 3, 24, 9, tzinfo=TZ))
    assert message.title == "⏰ 支出节点提醒：3月底（2022-03-31），还有 7 天"
    assert message.lines[0] == "• 人才住房购置及后期管理：该节点未安排支出"
    assert "累计应支出 250.00 万元，占预算 25.00%，年初至此 250.00 万元" in message.lines[1]
    june = compose(
        all_reminders([subscriber()], POINTS, [], TZ)[2], datetime(2022, 6, 23, tzinfo=TZ)
    )
    assert "比3月底增加 250.00 万元" in june.lines[1] and "比3月底增加 600.00 万元" in june.lines[0]


def test_a_reminder_is_written_in_the_language_of_its_subscription() -> None:
    plan = all_reminders([subscriber(language="en")], POINTS, DEADLINES, TZ)
    march = compose(plan[0], datetime(2022, 3, 30, 9, tzinfo=TZ))
    assert march.title == "⏰ Spending checkpoint reminder: 3月底 (2022-03-31), 1 days to go"
    assert march.lines == (
        "• 人才住房购置及后期管理: nothing is planned for this checkpoint",
        "• 政务信息化项目: 250.00 万元 should be spent by then (25.00% of the budget), "
        "250.00 万元 since the start of the year",
    )
    deadline = compose(plan[-1], datetime(2022, 12, 31, 9, tzinfo=TZ)).plain()
    assert deadline.startswith("⏰ Deadline reminder for dated indicators: 2022-12-31, due today")
    assert "人才住房购置及后期管理 | 租赁住房达到配租条件的时间: 2022年12月31日" in deadline


def test_dated_indicators_get_one_reminder_at_the_longest_lead() -> None:
    plan = all_reminders([subscriber()], [], DEADLINES, TZ)
    assert [(r.kind, r.fire_at.isoformat(), r.lead_days) for r in plan] == [
        (DEADLINE, "2022-12-24T09:00:00+08:00", 7)
    ]
    text = compose(plan[0], datetime(2022, 12, 24, 9, tzinfo=TZ)).plain()
    assert (
        "时效指标截止提醒：2022-12-31" in text
        and "租赁住房达到配租条件的时间：2022年12月31日" in text
    )


def test_chosen_projects_only() -> None:
    plan = all_reminders([subscriber(codes=[IT])], POINTS, DEADLINES, TZ)
    assert {r.project_codes for r in plan} == {(IT,)} and all(r.kind == CHECKPOINT for r in plan)


def test_upcoming_lists_what_fires_after_now() -> None:
    plan = all_reminders([subscriber()], POINTS, [], TZ)
    coming = upcoming(plan, datetime(2022, 6, 1, tzinfo=TZ))
    assert [r.fire_at.day for r in coming] == [23, 29]


def test_after_downtime_the_latest_due_lead_is_sent_and_the_older_skipped() -> None:
    plan = all_reminders([subscriber()], POINTS, [], TZ)
    send, skip = due(plan, datetime(2022, 6, 29, 15, tzinfo=TZ))
    assert [(r.label, r.lead_days) for r in send] == [("6月底", 1)]
    assert {(r.label, r.lead_days) for r in skip} == {("3月底", 7), ("3月底", 1), ("6月底", 7)}


def test_nothing_is_sent_once_the_checkpoint_has_passed() -> None:
    plan = all_reminders([subscriber()], POINTS, [], TZ)
    send, skip = due(plan, datetime(2022, 7, 1, tzinfo=TZ))
    assert send == [] and len(skip) == 4


def test_a_reminder_due_today_for_today_is_still_sent() -> None:
    plan = all_reminders([subscriber(leads=(0,))], POINTS, [], TZ)
    send, _ = due(plan, datetime(2022, 6, 30, 18, tzinfo=TZ))
    assert [(r.label, r.lead_days) for r in send] == [("6月底", 0)]
