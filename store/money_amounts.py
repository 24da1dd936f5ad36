"""Read amounts of money as people write them (`12000万`, `1.2亿元`, `1,000.00`) into 万元."""

import re
import unicodedata

from store.monitoring_vocab import money_factor

_AMOUNT = re.compile(r"(-?\d+(?:\.\d+)?)\s*([^\d\s]*)")


def parse_money(text: str, default_unit: str = "万元") -> float | None:
    """The amount in 万元, or None when the text is no amount in a known unit."""
    clean = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    match = _AMOUNT.fullmatch(clean)
    if not match:
        return None
    factor = money_factor(match[2] or default_unit)
    if factor is None:
        return None
    return round(float(match[1]) * factor, 6)
