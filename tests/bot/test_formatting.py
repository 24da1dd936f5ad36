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


def test_a_keyboard_of_210_buttons_is_shown_30_a_page_with_paging_buttons() -> None:
    from bot.tg.formatting import button_page

    buttons = [(f"项目{n}", f"o:{n}") for n in range(210)]
    first = button_page(buttons, 0, "K").inline_keyboard
    assert sum(len(row) for row in first) == 33 and first[0][0].callback_data == "o:0"
    assert [(b.text, b.callback_data) for b in first[-1]] == [
        ("‹", "g:K:-1"),
        ("1/7", "g:K:."),
        ("›", "g:K:1"),
    ]
    last = button_page(buttons, -1, "K").inline_keyboard  # ‹ on the first page: the last one
    assert last[0][0].text == "项目180" and last[-1][1].text == "7/7"
    assert len(button_page(buttons[:30], 0, None).inline_keyboard) == 30  # one page: no paging
