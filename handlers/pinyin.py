"""Pinyin of Chinese characters, one character at a time: its first reading, or all of them."""

import os
from functools import lru_cache
from itertools import islice, product

# Every caller reads character by character, so pypinyin's phrase dictionary (2 MB of JSON and
# a segmenter trained on it) would only cost each process about half a second at start-up.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from pypinyin import Style, pinyin

MOST_SPELLINGS = 64


def is_chinese(char: str) -> bool:
    """A character of the CJK Unified Ideographs block."""
    return "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=65536)
def readings(char: str) -> tuple[str, ...]:
    """Every pinyin reading of one Chinese character without tone (重: zhong, chong)."""
    if not is_chinese(char):
        return (char,)
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(found))


def syllable(char: str) -> str:
    """The first pinyin reading of one Chinese character, without tone; any other as it is."""
    return readings(char)[0]


def every_reading(word: str) -> set[tuple[str, ...]]:
    """The word read with each combination of its characters' readings (重庆: zhong qing,
    chong qing), at most MOST_SPELLINGS of them: a place read as its locals say it is among."""
    combinations = product(*(readings(char) for char in word))
    return set(islice(combinations, MOST_SPELLINGS))
