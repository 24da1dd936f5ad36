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
