"""Question normalisation: half-width, English through the glossary, punctuation, filler words."""

import re
import unicodedata
from functools import cache
from itertools import pairwise

import opencc
from rapidfuzz import fuzz, process

from handlers.wordlists import Glossary, word_lists

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'\-]*")
_VOWELS = frozenset("aeiouy")
VOWEL_COST = 0.5  # a vowel inserted, dropped or changed, or two neighbours swapped
MAX_SOUND_DISTANCE = 1.0  # at most one consonant edit, or two vowel edits or swaps
MIN_SWAPPED_LENGTH = 6  # shorter words with two letters swapped are often other words (from)
_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff%.]+|(?<!\d)\.|\.(?!\d)")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def half_width(text: str) -> str:
    """Full-width to half-width (NFKC), and traditional characters to simplified."""
    simplified: str = _to_simplified().convert(unicodedata.normalize("NFKC", text))
    return simplified


def is_english(text: str) -> bool:
    """True for a question written in Latin letters without Chinese."""
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return letters >= 2 and not _CJK.search(text)


def translate_cased(text: str, terms: Glossary) -> str:
    """Replace the glossary's case-sensitive words (IT, not it) before lower-casing."""
    for phrase, chinese in terms.case_sensitive:
        text = re.sub(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", f" {chinese} ", text)
    return text


def _edit_cost(char: str) -> float:
    return VOWEL_COST if char in _VOWELS else 1.0


def sound_distance(word: str, other: str) -> float:
    """Edit distance weighted as typos sound: inserting, dropping or changing a vowel and
    swapping two neighbours cost VOWEL_COST (half), a consonant 1 (lone~loan 1, traget~target
    0.5)."""
    rows = [[0.0] * (len(other) + 1) for _ in range(len(word) + 1)]
    for i in range(1, len(word) + 1):
        rows[i][0] = rows[i - 1][0] + _edit_cost(word[i - 1])
    for j in range(1, len(other) + 1):
        rows[0][j] = rows[0][j - 1] + _edit_cost(other[j - 1])
    for i, a in enumerate(word, start=1):
        for j, b in enumerate(other, start=1):
            change = 0.0 if a == b else VOWEL_COST if {a, b} <= _VOWELS else 1.0
            best = min(
                rows[i - 1][j] + _edit_cost(a),
                rows[i][j - 1] + _edit_cost(b),
                rows[i - 1][j - 1] + change,
            )
            if i > 1 and j > 1 and a == other[j - 2] and word[i - 2] == b and a != b:
                best = min(best, rows[i - 2][j - 2] + VOWEL_COST)
            rows[i][j] = best
    return rows[-1][-1]


def _closest_sounding(word: str, terms: Glossary) -> tuple[float, str] | None:
    """The one glossary word (same first letter) within MAX_SOUND_DISTANCE; None on a tie."""
    scored = [
        (sound_distance(word, known), known)
        for known in terms.words
        if known[0] == word[0] and abs(len(known) - len(word)) <= 2
    ]
    near = sorted(pair for pair in scored if pair[0] <= MAX_SOUND_DISTANCE)
    if not near or (len(near) > 1 and near[1][0] == near[0][0]):
        return None
    return near[0]


def _phrase_pairs(terms: Glossary) -> frozenset[tuple[str, str]]:
    """Neighbouring words of the glossary's phrases (loan count -> (loan, count))."""
    pairs: set[tuple[str, str]] = set()
    for phrase, _ in terms.phrases:
        words = phrase.replace("-", " ").split()
        pairs.update(pairwise(words))
    return frozenset(pairs)


def _sounds_like(words: list[str], index: int, terms: Glossary) -> str | None:
    """A real word may be close to a glossary word (data~date, three~there), so a correction by
    sound is taken only when it is weighty: it joins a neighbour into a glossary phrase (lone
    count -> loan count), or it only swaps two neighbours of a long word (traget -> target)."""
    found = _closest_sounding(words[index], terms)
    if found is None:
        return None
    distance, known = found
    pairs = _phrase_pairs(terms)
    before = index > 0 and (words[index - 1], known) in pairs
    after = index + 1 < len(words) and (known, words[index + 1]) in pairs
    swapped = sorted(known) == sorted(words[index]) and distance == VOWEL_COST
    return known if before or after or (swapped and len(known) >= MIN_SWAPPED_LENGTH) else None


def correct_typos(text: str, terms: Glossary) -> str:
    """satisfacton -> satisfaction, lone count -> loan count, traget -> target: an unknown
    English word close to a known one (by letters, else by a weighted sound distance) becomes it."""
    known = terms.known_words
    words = _LATIN_WORD.findall(text)
    fixed = iter(range(len(words)))

    def fix(match: re.Match[str]) -> str:
        word, index = match[0], next(fixed)
        if len(word) < 4 or word in known:
            return word
        best = process.extractOne(word, terms.words, scorer=fuzz.ratio, score_cutoff=85)
        return best[0] if best else _sounds_like(words, index, terms) or word

    return _LATIN_WORD.sub(fix, text)


def translate(text: str, terms: Glossary) -> str:
    """Replace (lower-case) English phrases by their Chinese terms and drop English stopwords."""
    text = correct_typos(text.replace("-", " ").replace("_", " "), terms)
    for phrase, chinese in terms.phrases:
        pattern = re.escape(phrase.replace("-", " "))
        text = re.sub(rf"(?<![a-z]){pattern}(?![a-z])", f" {chinese} ", text)
    words = [w for w in _LATIN_WORD.findall(text) if w in terms.stopwords]
    for word in sorted(set(words), key=len, reverse=True):
        text = re.sub(rf"(?<![a-z']){re.escape(word)}(?![a-z'])", " ", text)
    return text


def squeeze(text: str) -> str:
    """Drop punctuation and spaces between Chinese; keep one space between Latin words."""
    text = _NOT_WORD.sub(" ", text.lower()).strip()
    text = re.sub(r"(?<=[^a-z0-9])\s+|\s+(?=[^a-z0-9\s])", "", text)
    return text


def remove_fillers(text: str, names: str) -> str:
    """Remove filler words, except where a filler and its neighbour appear together in a stored
    name (`names`: every name of the store, one a line), e.g. 的 in 配租条件的时间."""
    for filler in sorted(word_lists()["fillers"], key=len, reverse=True):
        start = text.find(filler)
        while start != -1:
            end = start + len(filler)
            before, after = text[max(0, start - 1) : end], text[start : end + 1]
            keep = (start > 0 and before in names) or (end < len(text) and after in names)
            if keep:
                start = text.find(filler, start + 1)
                continue
            text = text[:start] + text[end:]
            start = text.find(filler, start)
    return text.strip()


def find_cue(text: str, kind: str) -> str | None:
    """The first cue word of a kind (help, projects, next, budget, plan ...) found in the text."""
    cues: list[str] = word_lists()["cues"][kind]
    for cue in sorted(cues, key=len, reverse=True):
        if cue in text:
            return cue
    return None


def strip_fillers(text: str) -> str:
    """The text without filler words at its ends: 垃圾分类项目多少 -> 垃圾分类."""
    lists = word_lists()
    words = [w for w in lists["fillers"] if len(w) > 1] + lists["edge_particles"]
    fillers = sorted(words, key=len, reverse=True)
    changed = True
    while changed and text:
        changed = False
        for filler in fillers:
            if text.endswith(filler) and len(text) > len(filler):
                text, changed = text[: -len(filler)], True
            if text.startswith(filler) and len(text) > len(filler):
                text, changed = text[len(filler) :], True
    return text
