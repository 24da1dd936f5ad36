"""Telegram rendering: the bold line is the reply's title, every value is escaped."""

from bot.tg.formatting import reply_html
from handlers.reply import Reply


def test_the_title_is_bold_and_the_lines_are_escaped() -> None:
    reply = Reply(query="q", title="找到 2 个相关指标：", lines=("a <b>", "x & y\n    P｜A › B"))
    assert reply_html(reply) == ["<b>找到 2 个相关指标：</b>\na &lt;b&gt;\nx &amp; y\n    P｜A › B"]


def test_a_reply_without_a_title_has_no_bold_line_whatever_its_first_line_says() -> None:
    reply = Reply(query="q", lines=("发放贷款笔数：≥20000笔", "second"))
    assert reply_html(reply) == ["发放贷款笔数：≥20000笔\nsecond"]
    assert reply.text == "发放贷款笔数：≥20000笔\nsecond"
