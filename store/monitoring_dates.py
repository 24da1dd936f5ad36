"""Dates of actuals as people write them: 2022-07-31, 2022-07, 7月底, 6月30日, 1-7月."""

import re
import unicodedata
from datetime import date

from store.indicator_values import month_end, parse_date

_MONTH = re.compile(r"(?:\d{1,2}\s*[-~至到]\s*)?(\d{1,2})月(?:份)?(?:底|末)?")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")


def parse_as_of(text: str, year: int) -> date | None:
    """The date a text names; a month alone means its last day, in `year` when none is given."""
    clean = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", clean):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", clean):
        return month_end(int(m[1]), int(m[2])) if 1 <= int(m[2]) <= 12 else None
    if (parsed := parse_date(clean)) and parsed.comparator == "=":
        return parsed.deadline
    if m := _MONTH_DAY.fullmatch(clean):
        try:
            return date(year, int(m[1]), int(m[2]))
        except ValueError:
            return None
    if (m := _MONTH.fullmatch(clean)) and 1 <= int(m[1]) <= 12:
        return month_end(year, int(m[1]))
    return None
