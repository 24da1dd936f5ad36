"""Plain-text tables for the terminal that line up Chinese text (two columns a character)."""

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns the text takes: wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to `width` display columns, on the left when `right` aligns numbers."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def render_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    """Columns sized to their widest cell; columns in `numeric` aligned right."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [pad(cell, widths[i], i in numeric) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
