"""Fuzzy matching of a question against names: characters, pinyin (same-sound typos), rapidfuzz."""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from handlers.pinyin import syllable


class _SyllableTable(dict[int, str]):
    """str.translate table: each character -> its syllable and a space, filled as met."""

    def __missing__(self, code: int) -> str:
        found = self[code] = syllable(chr(code)) + " "
        return found


_SYLLABLE_TABLE = _SyllableTable()


def sound_string(text: str) -> str:
    """The syllables of a text joined by spaces ("zhu fang"), as Text.sound_string holds."""
    return text.translate(_SYLLABLE_TABLE)[:-1]


def syllables(text: str) -> tuple[str, ...]:
    """One pinyin syllable per Chinese character (other characters stay as they are)."""
    return tuple(syllable(char) for char in text)


@dataclass(frozen=True)
class Text:
    """A text prepared for matching: its characters and syllables."""

    text: str
    chars: frozenset[str]
    sounds: tuple[str, ...]
    sound_set: frozenset[str]
    sound_string: str


def prepare(text: str) -> Text:
    """Precompute what matching needs of a text."""
    sounds = syllables(text)
    return Text(text, frozenset(text), sounds, frozenset(sounds), " ".join(sounds))


UNKNOWN_WEIGHT = 2.0


class Weights:
    """Inverse document frequency of characters and syllables over the store's names."""

    def __init__(self, texts: Iterable[Text]) -> None:
        chars: Counter[str] = Counter()
        sounds: Counter[str] = Counter()
        total = 0
        for text in texts:
            total += 1
            chars.update(text.chars)
            sounds.update(text.sound_set)
        self.total = max(total, 1)
        self.chars, self.sounds = chars, sounds

    @classmethod
    def from_counts(cls, chars: Counter[str], sounds: Counter[str], total: int) -> "Weights":
        """Weights from counts already made: texts holding each character and syllable."""
        weights = cls([])
        weights.total, weights.chars, weights.sounds = max(total, 1), chars, sounds
        return weights

    def char(self, char: str) -> float:
        return self._weight(self.chars.get(char, 0))

    def sound(self, sound: str) -> float:
        return self._weight(self.sounds.get(sound, 0))

    def _weight(self, count: int) -> float:
        """Rare in the store weighs more; unknown to the store weighs like a common word: it
        cannot tell two names apart, and a question made only of such words matches nothing."""
        if count == 0:
            return UNKNOWN_WEIGHT
        return math.log((self.total + 1) / (count + 0.5))


def _covered(query: Text, target: Text, weights: Weights) -> tuple[float, float]:
    char_total = sum(weights.char(c) for c in query.text) or 1.0
    char_hit = sum(weights.char(c) for c in query.text if c in target.chars)
    sound_total = sum(weights.sound(s) for s in query.sounds) or 1.0
    sound_hit = sum(weights.sound(s) for s in query.sounds if s in target.sound_set)
    return char_hit / char_total, sound_hit / sound_total


def similarity(query: Text, target: Text, weights: Weights) -> float:
    """How well the target explains the query, 0..~1.2; exact and contained names score highest."""
    if not query.text or not target.text:
        return 0.0
    char_cover, sound_cover = _covered(query, target, weights)
    order = fuzz.partial_ratio(query.sound_string, target.sound_string) / 100
    score = 0.25 * char_cover + 0.45 * sound_cover + 0.30 * order
    if query.text == target.text:
        score += 0.12
    elif query.text in target.text:
        score += 0.06
    tight = len(query.chars & target.chars) / len(target.chars)
    return score + 0.06 * tight
