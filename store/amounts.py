"""Money amounts as documents write them (`150万`, `1,000.00`, `854万(…)`) -> 万元."""

import re
import unicodedata
from collections.abc import Callable

from store.vocab import vocab

_LEADING = re.compile(r"([-+]?\d+(?:\.\d+)?)(亿元|亿|万元|万|千元|元)?(.*)")
_ZERO = ("-", "—", "–", "－", "0", "——")
_NONE = ("", "/", "／", "无")


def to_wan(unit: str | None) -> float:
    """How many 万元 one of `unit` is (`元` -> 0.0001); 1 for an unknown or missing unit."""
    factor: float = vocab()["money_units"].get(unit or "万元", 1.0)
    return factor


def read_amount(text: str) -> tuple[float, str | None] | None:
    """The number and the unit written with it; None for blank; ValueError when not an amount.

    `854万(高标准农田建设400万元,…)` is 854 万: the leading amount is the total."""
    flat = "".join(unicodedata.normalize("NFKC", text).split()).replace(",", "")
    if flat in _NONE:
        return None
    if flat in _ZERO or re.fullmatch(r"0+(?:\.0+)?", flat):
        return 0.0, None
    m = _LEADING.fullmatch(flat)
    if not m or (m[3] and not m[3].startswith(("(", "[", "【", ";", "。"))):
        raise ValueError(text)
    return float(m[1]), m[2]


def parse_amount(text: str, unit: str | None, error: Callable[[], Exception]) -> float | None:
    """An amount in 万元, `unit` being the document's (`元`, `千元`, `万元`); raise error() when the
    text is not an amount."""
    try:
        read = read_amount(text)
    except ValueError:
        raise error() from None
    if read is None:
        return None
    number, own_unit = read
    return round(number * to_wan(own_unit or unit), 6)
