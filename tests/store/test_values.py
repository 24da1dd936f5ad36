"""The value parser: each written value and the parts people compare against."""

from datetime import date

import pytest

from store.indicator_values import DATE, QUALITATIVE, QUANTITATIVE, cn_number, parse_value

Q, L, D = QUANTITATIVE, QUALITATIVE, DATE

# written value -> kind, comparator, number, number_max, unit, deadline
CASES = [
    ("≥600件", Q, ">=", 600, None, "件", None),
    ("≤0.04%", Q, "<=", 0.04, None, "%", None),
    ("100%", Q, "=", 100, None, "%", None),
    ("≥500万", Q, ">=", 500, None, "万", None),
    ("10辆", Q, "=", 10, None, "辆", None),
    ("95%以上", Q, ">=", 95, None, "%", None),
    ("不低于90%", Q, ">=", 90, None, "%", None),
    (">=95%", Q, ">=", 95, None, "%", None),
    ("＝1个", Q, "=", 1, None, "个", None),
    ("≥20000笔", Q, ">=", 20000, None, "笔", None),
    ("≥1,000人次", Q, ">=", 1000, None, "人次", None),
    ("≤1310.83万元", Q, "<=", 1310.83, None, "万元", None),
    ("≥220万平方米", Q, ">=", 220, None, "万平方米", None),
    ("≤2小时", Q, "<=", 2, None, "小时", None),
    ("＞９０％", Q, ">", 90, None, "%", None),
    ("<5元", Q, "<", 5, None, "元", None),
    ("不超过3天", Q, "<=", 3, None, "天", None),
    ("12个月以内", Q, "<=", 12, None, "个月", None),
    ("90%-95%", Q, "between", 90, 95, "%", None),
    ("1~2个", Q, "between", 1, 2, "个", None),
    ("三个", Q, "=", 3, None, "个", None),
    ("达到98%", Q, ">=", 98, None, "%", None),
    ("≤5元/平方米·月", Q, "<=", 5, None, "元/平方米·月", None),
    ("0.5", Q, "=", 0.5, None, None, None),
    ("持续增长", L, None, None, None, None, None),
    ("降低", L, None, None, None, None, None),
    ("优良", L, None, None, None, None, None),
    ("一流", L, None, None, None, None, None),
    ("较上年有所提高", L, None, None, None, None, None),
    ("2022年12月31日", D, "=", None, None, None, date(2022, 12, 31)),
    ("2022年12月", D, "=", None, None, None, date(2022, 12, 31)),
    ("2023.07-2024.01", D, "=", None, None, None, date(2024, 1, 31)),
    ("2022年10月底前", D, "<=", None, None, None, date(2022, 10, 31)),
    ("2022-06-30", D, "=", None, None, None, date(2022, 6, 30)),
    ("2023年2月", D, "=", None, None, None, date(2023, 2, 28)),
    ("2024年底", D, "=", None, None, None, date(2024, 12, 31)),
    ("2022年6月-9月", D, "=", None, None, None, date(2022, 9, 30)),
]


@pytest.mark.parametrize(
    ("text", "kind", "comparator", "number", "high", "unit", "deadline"), CASES
)
def test_written_value_parses_into_its_parts(
    text: str, kind: str, comparator, number, high, unit, deadline
) -> None:
    parsed = parse_value(text)
    assert (parsed.kind, parsed.comparator, parsed.unit, parsed.deadline) == (
        kind,
        comparator,
        unit,
        deadline,
    )
    assert parsed.number == (None if number is None else pytest.approx(number))
    assert parsed.number_max == (None if high is None else pytest.approx(high))


def test_table_holds_at_least_thirty_values() -> None:
    assert len(CASES) >= 30


def test_impossible_dates_are_not_dates() -> None:
    assert parse_value("2022年13月").kind != DATE
    assert parse_value("2022年2月30日").kind != DATE


@pytest.mark.parametrize(("text", "number"), [("十二", 12), ("两百", 200), ("七", 7), ("3.5", 3.5)])
def test_chinese_numerals_are_numbers(text: str, number: float) -> None:
    assert cn_number(text) == number
