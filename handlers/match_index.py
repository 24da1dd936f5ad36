"""Inverted index of the store's distinct texts (characters and syllables -> texts), scored with
fuzzy.similarity()'s formula over the few candidates that can still win, not over every text."""

from collections import Counter
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from handlers.fuzzy import Text, Weights, sound_string
from handlers.pinyin import syllable

ORDER = 0.30  # similarity()'s weight of the syllable order, the one part the index cannot bound
EQUAL, CONTAINED = 0.12, 0.06
UNTOUCHED = ORDER + 1e-9  # a text sharing no character or syllable scores at most this
FIRST_BATCH = 64  # candidates scored in full at first; each next batch is twice as big
MOST_CANDIDATES = 1024  # texts scored in full per question, at most
DESCRIPTION_WEIGHT = 0.9  # a description explains a question a little less than a name
UNIT_BONUS = 0.05  # 多少平方米 points at the indicator measured in 平方米


def _postings(keys: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """(distinct keys, for each the sorted distinct texts holding it) from parallel arrays."""
    if not keys.size:
        return np.zeros(0, dtype=np.int64), []
    pairs = np.sort((keys.astype(np.uint64) << np.uint64(32)) | texts.astype(np.uint64))
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    keys, texts = (pairs >> np.uint64(32)).astype(np.int64), (pairs & 0xFFFFFFFF).astype(np.int32)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.split(texts, starts[1:])


class TextTable:
    """Each distinct text once, its characters and syllables posted to the texts holding them."""

    def __init__(self, texts: Sequence[str], uses: np.ndarray) -> None:
        self.texts = list(texts)
        self.numbers = {text: number for number, text in enumerate(self.texts)}
        lengths = np.array([len(t) for t in self.texts], dtype=np.int64)
        codes = np.frombuffer("".join(self.texts).encode("utf-32-le"), dtype=np.uint32)
        owners = np.repeat(np.arange(len(self.texts), dtype=np.int32), lengths)
        char_codes, char_texts = _postings(codes, owners)
        self.chars = {
            chr(code): ids for code, ids in zip(char_codes.tolist(), char_texts, strict=True)
        }
        self.distinct_chars = np.maximum(
            np.bincount(np.concatenate([owners[:0], *char_texts]), minlength=len(self.texts)), 1
        ).astype(np.float64)
        sound_names = sorted({syllable(char) for char in self.chars})
        sound_number = {sound: n for n, sound in enumerate(sound_names)}
        by_char = [sound_number[syllable(char)] for char in self.chars]
        sound_keys = np.repeat(np.array(by_char, dtype=np.int64), [len(i) for i in char_texts])
        numbers, sound_texts = _postings(sound_keys, np.concatenate([owners[:0], *char_texts]))
        self.sounds = {
            sound_names[n]: ids for n, ids in zip(numbers.tolist(), sound_texts, strict=True)
        }
        self._sound_strings: dict[int, str] = {}
        self.weights = self._weights(np.array(uses, dtype=np.float64))

    def _weights(self, uses: np.ndarray) -> Weights:
        """Document frequency counts every use of a text, as if each indicator held its own."""
        chars = {c: int(uses[ids].sum()) for c, ids in self.chars.items()}
        sounds = {s: int(uses[ids].sum()) for s, ids in self.sounds.items()}
        return Weights.from_counts(Counter(chars), Counter(sounds), int(uses.sum()))

    def __len__(self) -> int:
        return len(self.texts)

    def sound_string(self, number: int) -> str:
        """The text's syllables between spaces, made the first time it is a candidate."""
        if (found := self._sound_strings.get(number)) is None:
            found = self._sound_strings[number] = sound_string(self.texts[number])
        return found

    def bounds(self, query: Text) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(similarity() of every text without its order term and bonuses, the most the text
        can score, which texts share at least one character or syllable with the query)."""
        partial, shared, touched = self._partial(query)
        whole = shared >= len(query.chars)  # holds every character: may contain the query
        bound = np.where(touched, partial + ORDER + CONTAINED * whole, UNTOUCHED)
        if (equal := self.numbers.get(query.text)) is not None:
            bound[equal] += EQUAL - CONTAINED
        return partial, bound, touched

    def _partial(self, query: Text) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        weights, size = self.weights, len(self.texts)
        score, shared, touched = np.zeros(size), np.zeros(size), np.zeros(size, dtype=bool)
        char_total = sum(weights.char(c) for c in query.text) or 1.0
        for char, times in Counter(query.text).items():
            if (ids := self.chars.get(char)) is not None:
                score[ids] += 0.25 * times * weights.char(char) / char_total
                shared[ids] += char in query.chars
                touched[ids] = True
        sound_total = sum(weights.sound(s) for s in query.sounds) or 1.0
        for sound, times in Counter(query.sounds).items():
            if (ids := self.sounds.get(sound)) is not None:
                score[ids] += 0.45 * times * weights.sound(sound) / sound_total
                touched[ids] = True
        return score + 0.06 * shared / self.distinct_chars, shared, touched

    def finish(self, query: Text, numbers: np.ndarray, partial: np.ndarray) -> np.ndarray:
        """similarity() of the given texts: the partial score plus order and bonuses."""
        choices = [self.sound_string(n) for n in numbers.tolist()]
        order = process.cdist(
            [query.sound_string], choices, scorer=fuzz.partial_ratio, dtype=np.float64
        )[0]
        bonus = [
            EQUAL if text == query.text else CONTAINED if query.text in text else 0.0
            for text in (self.texts[n] for n in numbers.tolist())
        ]
        scores: np.ndarray = partial[numbers] + ORDER * order / 100 + np.array(bonus)
        return scores


class IndicatorIndex:
    """Which texts match each indicator: its name, its description (weighed down) and its name
    with its unit (when the question names the unit). Indicators holding the same texts share a
    signature, scored once: (name, description, name with unit, unit), -1 for none."""

    def __init__(
        self, table: TextTable, roles: np.ndarray, units: Sequence[str], projects: np.ndarray
    ) -> None:
        self.table, self.units, self.projects = table, list(units), projects
        self.signatures, inverse = np.unique(roles, axis=0, return_inverse=True)
        self.signature_of = inverse.reshape(-1)

    def members(self, project_numbers: Sequence[int] | None) -> np.ndarray:
        """The indicators of the given projects (all of them for None)."""
        if project_numbers is None:
            return np.arange(len(self.signature_of))
        return np.flatnonzero(np.isin(self.projects, np.array(project_numbers, dtype=np.int32)))

    def _unit_named(self, raw: str) -> np.ndarray:
        """Per signature: its unit (平方米, 公里 ...) is written in the question."""
        named = np.array([unit in raw for unit in self.units] + [False])
        per_signature: np.ndarray = named[self.signatures[:, 3]]
        return per_signature

    def _combine(self, value: np.ndarray, unit_named: np.ndarray) -> np.ndarray:
        names, descriptions, with_unit = (self.signatures[:, k] for k in range(3))
        score = np.maximum(value[names], DESCRIPTION_WEIGHT * value[descriptions])
        score[unit_named] = np.maximum(score[unit_named], value[with_unit[unit_named]])
        combined: np.ndarray = score + UNIT_BONUS * unit_named
        return combined

    def search(
        self, query: Text, raw: str, members: np.ndarray, keep: int, tie: float, floor: float
    ) -> list[tuple[int, float]]:
        """(indicator, score) of every member within `tie` of the best and of the `keep` best,
        best first, none under `floor`; the same scores as fuzzy.similarity() over them all."""
        table, sigs = self.table, self.signatures
        sizes = np.bincount(self.signature_of[members], minlength=len(sigs))
        partial, value, touched = table.bounds(query)
        done = ~touched  # untouched texts stay at their bound: too low to decide anything
        unit_named = self._unit_named(raw)
        live = sizes > 0
        needed = np.zeros(len(table), dtype=bool)
        needed[sigs[live, 0]] = needed[sigs[live, 1]] = True
        needed[sigs[live & unit_named, 2]] = True
        queue = np.flatnonzero(needed & touched)
        queue = queue[np.argsort(-value[queue], kind="stable")]
        batch_size, scored = FIRST_BATCH, 0
        while True:
            score = self._combine(value, unit_named)
            exact = live & done[sigs[:, 0]] & done[sigs[:, 1]] & (~unit_named | done[sigs[:, 2]])
            threshold = _threshold(score, sizes, exact, keep, tie, floor)
            pending = live & ~exact
            if not queue.size or not pending.any() or score[pending].max() < threshold:
                break
            if scored >= MOST_CANDIDATES:
                break  # the rest score too little on characters and syllables to catch up
            batch, queue = queue[:batch_size], queue[batch_size:]
            batch_size, scored = batch_size * 2, scored + batch.size
            value[batch] = table.finish(query, batch, partial)
            done[batch] = True
        return self._hits(members, score, exact & (score >= threshold))

    def _hits(
        self, members: np.ndarray, score: np.ndarray, chosen: np.ndarray
    ) -> list[tuple[int, float]]:
        picked = members[chosen[self.signature_of[members]]]
        scores = score[self.signature_of[picked]]
        order = np.lexsort((picked, -scores))
        return list(zip(picked[order].tolist(), scores[order].tolist(), strict=True))


def _threshold(
    score: np.ndarray, sizes: np.ndarray, exact: np.ndarray, keep: int, tie: float, floor: float
) -> float:
    """The lowest score still wanted: within `tie` of the best, or among the `keep` best."""
    known = np.flatnonzero(exact & (score >= floor))
    if not known.size:
        return floor
    ranked = known[np.argsort(-score[known], kind="stable")]
    counts = np.cumsum(sizes[ranked])
    best = float(score[ranked[0]])
    kth = float(score[ranked[min(int(np.searchsorted(counts, keep)), len(ranked) - 1)]])
    if counts[-1] < keep:
        kth = floor
    return max(min(best - tie, kth), floor)
