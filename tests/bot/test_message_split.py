"""Long replies are cut into message-sized pieces at line ends, by characters or UTF-8 bytes."""

from bot.message_split import split_text, utf8_size


def test_lines_stay_whole_and_pieces_fit() -> None:
    text = "\n".join(f"第{n}行：发放贷款笔数 ≥20000笔" for n in range(400))
    pieces = split_text(text, 4096)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text


def test_bytes_are_counted_for_wecom() -> None:
    text = "\n".join("满意度" * 50 for _ in range(40))
    pieces = split_text(text, 2048, utf8_size)
    assert all(len(p.encode()) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text


def test_a_line_longer_than_the_limit_is_cut_without_breaking_characters() -> None:
    line = "长" * 5000
    pieces = split_text(line, 4096, utf8_size)
    assert "".join(pieces) == line and all(len(p.encode()) <= 4096 for p in pieces)
    assert split_text("", 10) == [""]


def test_html_pieces_are_valid_on_their_own_when_a_bold_line_is_longer_than_the_limit() -> None:
    from bot.html_split import split_html
    from tests.fakes.telegram_rules import html_problem

    title = "<b>" + "指标&amp;项目<i>名</i>" * 700 + "</b>"
    text = "\n".join([title, *(f"第{n}行 &lt;x&gt; &amp; y" for n in range(300))])
    pieces = split_html(text, 4096)
    assert len(pieces) > 2 and all(len(p) <= 4096 for p in pieces)
    assert [html_problem(p) for p in pieces] == [None] * len(pieces)
    assert pieces[1].startswith("<b>") and pieces[0].endswith("</b>")
    joined = "".join(pieces).replace("<b>", "").replace("</b>", "")
    assert joined.replace("\n", "") == text.replace("<b>", "").replace("</b>", "").replace("\n", "")


def test_html_is_cut_at_line_ends_and_never_inside_an_entity() -> None:
    from bot.html_split import split_html

    text = "\n".join(["&amp;" * 3, "<b>x</b>" + "y" * 5])
    assert split_html(text, 16) == ["&amp;&amp;&amp;", "<b>x</b>yyyyy"]
    assert split_html("a&amp;b", 5) == ["a", "&amp;", "b"]
    assert split_html("<b>abcd</b>", 9) == ["<b>ab</b>", "<b>cd</b>"]
    assert split_html("", 10) == [""]
