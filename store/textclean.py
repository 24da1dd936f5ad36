"""Tidy text taken from a cell: collapse whitespace, drop spaces inside Chinese text."""

import re
from functools import lru_cache

_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")


@lru_cache(maxsize=65536)  # cells repeat across rows and tables
def clean_text(text: str) -> str:
    """Strip, collapse whitespace runs, and remove spaces between two Chinese characters."""
    text = " ".join(text.split())
    return _CJK_SPACE.sub("", text)
