"""Question normalisation: half-width, English through the glossary, punctuation, filler words."""

import re
import unicodedata
from functools import cache

import opencc
from rapidfuzz import fuzz, process

from handlers.wordlists import Glossary, word_lists

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9'\-]*")
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


def correct_typos(text: str, terms: Glossary) -> str:
    """satisfacton -> satisfaction: an unknown English word close to a known one becomes it."""
    known = terms.known_words

    def fix(match: re.Match[str]) -> str:
        word = match[0]
        if len(word) < 4 or word in known:
            return word
        best = process.extractOne(word, terms.words, scorer=fuzz.ratio, score_cutoff=85)
        return best[0] if best else word

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
