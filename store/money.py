"""Money and shares as every channel and command prints them: two decimals, no thousands
separator, a blank as a dash; an amount someone entered, as they would type it."""

BLANK = "—"


def money_text(value: float | None, blank: str = BLANK) -> str:
    """14424.0 -> "14424.00"; None -> `blank`."""
    return blank if value is None else f"{value:.2f}"


def share_text(percent: float | None) -> str:
    """A percentage, rounded once (to two decimals, as stored): 98.25 -> "98.25%" (14172 of
    14424), 25.0 -> "25.00%"; None -> a dash."""
    return BLANK if percent is None else f"{percent:.2f}%"


def entered_text(amount: float) -> str:
    """An amount a person entered, echoed as typed (no trailing zeros): 12000.0 -> "12000",
    610.5 -> "610.5" (Python's `g` format, six significant digits)."""
    return f"{amount:g}"
