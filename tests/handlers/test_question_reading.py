"""The normaliser, the time-word table, project aliases and the glossary."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from handlers.normalize import half_width, is_english, remove_fillers, squeeze, translate
from handlers.project_aliases import derive_aliases
from handlers.timewords import find_month
from handlers.wordlists import glossary

DEPARTMENT = "青岛市住房公积金管理中心（青岛市住房资金管理中心）"
UNIT = "青岛市住房资金管理中心本级"


def test_full_width_text_becomes_half_width() -> None:
    assert half_width("ＩＴ项目　６月底？") == "IT项目 6月底?"


def test_punctuation_and_spaces_go_but_english_words_stay_apart() -> None:
    assert squeeze("请问，人才住房 的预算？！") == "请问人才住房的预算"
    assert squeeze("loan  count!") == "loan count"


def test_fillers_are_removed_but_not_from_inside_a_name() -> None:
    names = "租赁住房达到配租条件的时间\n持续为人才提供租赁住房服务"
    assert remove_fillers("请问贷款笔数目标是多少", "") == "贷款笔数"
    assert remove_fillers("配租条件的时间", names) == "配租条件的时间"
    assert remove_fillers("人才住房的成本", names) == "人才住房成本"
    assert remove_fillers("持续为人才提供", names) == "持续为人才提供"


@pytest.mark.parametrize(
    ("words", "month"),
    [
        ("3月底", 3),
        ("三月", 3),
        ("一季度", 3),
        ("第一季度末", 3),
        ("q1", 3),
        ("march", 3),
        ("end of march", 3),
        ("6月底", 6),
        ("六月末", 6),
        ("上半年", 6),
        ("年中", 6),
        ("半年", 6),
        ("june", 6),
        ("half-year", 6),
        ("6-month", 6),
        ("二季度", 6),
        ("10月底", 10),
        ("十月底", 10),
        ("october", 10),
        ("12月底", 12),
        ("十二月", 12),
        ("年底", 12),
        ("年末", 12),
        ("year-end", 12),
        ("end of the year", 12),
        ("q4", 12),
        ("三季度", 9),
        ("5月份", 5),
    ],
)
def test_time_words_name_checkpoint_months(words: str, month: int) -> None:
    found = find_month(f"人才住房{words}支出", datetime(2022, 5, 20))
    assert found is not None and found.month == month


@pytest.mark.parametrize(
    ("words", "month"),
    [("本月底", 5), ("下个月", 6), ("本季度", 6), ("下季度", 9), ("next month", 6)],
)
def test_relative_time_words_are_read_against_now(words: str, month: int) -> None:
    found = find_month(words, datetime(2022, 5, 20))
    assert found is not None and found.month == month


@pytest.mark.parametrize("text", ["每月每平方米运营费", "12个月以内", "may i ask", "项目完成时间"])
def test_words_that_are_not_checkpoints(text: str) -> None:
    assert find_month(text, datetime(2022, 5, 20)) is None


@pytest.mark.parametrize(
    ("name", "alias"),
    [
        ("人才住房购置及后期管理", "人才住房"),
        ("市住房公积金管理中心政务信息化项目", "信息化项目"),
        ("市住房公积金管理中心政务信息化项目", "信息化"),
        ("住房公积金业务运行专项业务经费", "业务运行经费"),
        ("住房公积金业务运行专项业务经费", "业务运行"),
        ("社区养老服务补助", "社区养老"),
    ],
)
def test_aliases_are_derived_from_the_project_name(name: str, alias: str) -> None:
    assert alias in derive_aliases(name, [DEPARTMENT, UNIT])


def test_aliases_are_never_generic_words() -> None:
    aliases = derive_aliases("住房公积金业务运行专项业务经费", [DEPARTMENT, UNIT])
    assert not {"住房", "项目", "公积金", "经费", "业务"} & set(aliases)


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("loan count", "贷款笔数"),
        ("overdue rate", "逾期率"),
        ("satisfaction", "满意度"),
        ("floor area", "面积"),
        ("units", "套数"),
        ("uptime", "正常运行率"),
        ("availability", "正常运行率"),
        ("cost", "成本"),
        ("budget", "预算"),
        ("spending", "支出"),
        ("talent housing", "人才住房"),
        ("IT project", "信息化项目"),
    ],
)
def test_glossary_turns_the_fields_english_into_chinese(english: str, chinese: str) -> None:
    from handlers.normalize import translate_cased

    text = squeeze(translate(translate_cased(english, glossary()).lower(), glossary()))
    assert text == chinese


def test_english_stopwords_are_dropped() -> None:
    assert squeeze(translate("what is the loan count target", glossary())) == "贷款笔数"


def test_english_detection() -> None:
    assert is_english("what is the budget") and not is_english("人才住房 budget")


def test_a_user_glossary_file_extends_the_bundled_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"phrases": {"mortgage": "贷款"}}), encoding="utf-8")
    assert squeeze(translate("mortgage count", glossary(str(extra)))) == "贷款数量"
    assert "mortgage" not in dict(glossary().phrases)
