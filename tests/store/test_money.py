"""Money as printed (two decimals), shares (rounded once), and amounts echoed as entered."""

from store.money import BLANK, entered_text, money_text, share_text


def test_printed_money_and_shares_have_two_decimals_and_a_dash_for_blank() -> None:
    assert (money_text(14424.0), money_text(None), money_text(None, blank="")) == (
        "14424.00",
        BLANK,
        "",
    )
    assert (share_text(98.25), share_text(25.0), share_text(None)) == ("98.25%", "25.00%", BLANK)


def test_an_entered_amount_is_echoed_as_typed() -> None:
    assert [entered_text(v) for v in (12000.0, 610.5, 0.25, -3.0)] == [
        "12000",
        "610.5",
        "0.25",
        "-3",
    ]
