"""Read a question's synonyms as the words the store uses: 人才公寓 -> 人才住房."""

from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=256)  # `known` is the store's names (megabytes at city size): search once
def _used(group: tuple[str, ...], known: str) -> tuple[str, ...]:
    return tuple(word for word in group if word in known)


def store_words(text: str, groups: Iterable[tuple[str, ...]], known: str) -> str:
    """Each word of a group that `known` (the store's names) lacks, replaced by one it has."""
    for group in groups:
        used = _used(group, known)
        if not used:
            continue
        for word in sorted(group, key=len, reverse=True):
            if word in text and word not in used and not any(u in text for u in used):
                text = text.replace(word, used[0])
    return text
