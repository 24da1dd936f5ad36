"""A document's next year, made from its text: year and project codes moved on, values changed."""

import re

# value changes of the sample's next year: (old text, new text)
SAMPLE_NEXT_YEAR = [
    ("1221.10", "1350.00"),
    ("1221.00", "1350.00"),
    ("≤1221.1万元", "≤1350万元"),
    ("≥20000笔", "≥22000笔"),
    ("≥50次", "≥60次"),
    ("≤0.04%", "≤0.03%"),
]


def next_year(text: str, year: int, changes: list[tuple[str, str]]) -> str:
    """`text` one year on: 2022年 -> 2023年, codes 37020022P... -> 37020023P..., values changed."""
    short, later = str(year)[2:], str(year + 1)[2:]
    text = text.replace(f"{year}年", f"{year + 1}年")
    text = re.sub(rf"\b(\d{{6}}){short}P", rf"\g<1>{later}P", text)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text
