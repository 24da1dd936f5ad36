"""The parser's vocabulary, loaded once from vocab.json."""

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def vocab() -> dict[str, Any]:
    """Return the parsed vocab.json shipped with the store package."""
    text = resources.files("store").joinpath("vocab.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def squash(text: str) -> str:
    """Drop every kind of whitespace from a label so `财政    资金` matches `财政资金`."""
    return "".join(text.split())
