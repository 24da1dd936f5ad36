"""The message catalogue: every sentence users read, in Chinese and English."""

import json
from functools import cache
from importlib.resources import files
from typing import Literal

Language = Literal["zh", "en"]


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = files("store").joinpath("data", "messages.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def say(language: Language, key: str, **values: object) -> str:
    """One message of the catalogue in `language`, filled in."""
    return _catalogue()[language][key].format(**values)


def has_message(key: str) -> bool:
    """Whether the catalogue has a message under `key`."""
    return key in _catalogue()["zh"]
