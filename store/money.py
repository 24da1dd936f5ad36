"""Money and shares as every channel and command prints them: two decimals, no thousands
separator, a blank as a dash."""

BLANK = "—"


def money_text(value: float | None, blank: str = BLANK) -> str:
    """14424.0 -> "14424.00"; None -> `blank`."""
    return blank if value is None else f"{value:.2f}"


def share_text(percent: float | None) -> str:
    """A percentage, rounded once (to two decimals, as stored): 98.25 -> "98.25%" (14172 of
    14424), 25.0 -> "25.00%"; None -> a dash."""
    return BLANK if percent is None else f"{percent:.2f}%"
