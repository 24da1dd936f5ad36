"""The engine's word lists in handlers/data (wordlists, glossary, synonyms), plus GLOSSARY_FILE."""

import json
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Glossary:
    """English phrases -> Chinese, longest first; stopwords dropped."""

    phrases: tuple[tuple[str, str], ...]
    case_sensitive: tuple[tuple[str, str], ...]
    stopwords: frozenset[str]

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Every English word the glossary knows, for correcting typos."""
        known = {w for phrase, _ in self.phrases for w in phrase.replace("-", " ").split()}
        return frozenset(known | self.stopwords)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The known words in a fixed order, for fuzzy look-ups."""
        return tuple(sorted(self.known_words))


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def bundled(name: str) -> dict[str, Any]:
    """One JSON file of the package data in handlers/data, read from the installed package."""
    text = files("handlers").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def word_lists() -> dict[str, Any]:
    """Fillers, cue words, categories and time words."""
    return bundled("wordlists.json")


@cache
def glossary(extra_file: str | None = None) -> Glossary:
    """The bundled glossary, with an optional user file merged over it."""
    data = bundled("glossary.json")
    phrases, stopwords = dict(data["phrases"]), set(data["stopwords"])
    case_sensitive = dict(data.get("case_sensitive", {}))
    if extra_file:
        extra = _read(Path(extra_file))
        phrases.update({k.lower(): v for k, v in extra.get("phrases", {}).items()})
        stopwords.update(extra.get("stopwords", []))
        case_sensitive.update(extra.get("case_sensitive", {}))
    ordered = sorted(phrases.items(), key=lambda pair: -len(pair[0]))
    return Glossary(tuple(ordered), tuple(case_sensitive.items()), frozenset(stopwords))


@cache
def synonym_groups(extra_file: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Groups of words meaning the same (synonyms.json), plus the user file's "synonyms"."""
    groups = [tuple(group) for group in bundled("synonyms.json")["synonyms"]]
    if extra_file:
        groups += [tuple(group) for group in _read(Path(extra_file)).get("synonyms", [])]
    return tuple(groups)
