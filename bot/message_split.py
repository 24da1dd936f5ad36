"""Cut a long text into message-sized pieces at line ends (chat services cap message sizes)."""

from collections.abc import Callable


def utf8_size(text: str) -> int:
    return len(text.encode())


def split_text(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """Pieces of at most `limit` (measured by `size`: characters, or UTF-8 bytes with utf8_size),
    cut at line ends, and inside a line only when the line alone is too long."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while size(line) > limit:
            cut = _longest_prefix(line, limit, size)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if size(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current or not pieces:
        pieces.append(current)
    return pieces


def _longest_prefix(line: str, limit: int, size: Callable[[str], int]) -> int:
    """How many characters of the line fit in `limit`."""
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if size(line[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low
