"""Read a question: projects named, checkpoint month, kind cues, category and what remains."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from handlers.catalog import Catalog, ProjectEntry
from handlers.name_index import sound_string
from handlers.normalize import (
    find_cue,
    half_width,
    is_english,
    remove_fillers,
    squeeze,
    translate,
    translate_cased,
)
from handlers.timewords import TimeWord, find_month
from handlers.wordlists import Glossary

CUE_KINDS = (
    "help",
    "projects",
    "next",
    "budget",
    "budget_weak",
    "whole_plan",
    "plan",
    "overview",
    "list",
)


@dataclass
class Understanding:
    """What a question asks, before the store is searched."""

    question: str
    english: bool
    text: str = ""
    time: TimeWord | None = None
    projects: list[ProjectEntry] = field(default_factory=list)
    cues: dict[str, str] = field(default_factory=dict)
    category: str | None = None
    remainder: str = ""
    rest: str = ""
    full: str = ""


def _take(text: str, words: str) -> str:
    return text.replace(words, " ", 1)


def _find_projects(text: str, catalog: Catalog) -> tuple[list[ProjectEntry], str]:
    """Projects named by an alias (or an alias that sounds the same), and the text without it."""
    found: list[ProjectEntry] = []
    for alias, projects in catalog.name_index.aliases_in(text):
        if alias in text:
            text = _take(text, alias)
            found += [p for p in projects if p not in found]
    if found:
        return found, text
    if named := _named_by_part(text, catalog):
        project, part = named
        return [project], _take(text, part)
    sounds = sound_string(text)
    for alias, projects in catalog.name_index.aliases_sounding_in(text):
        alias_sounds = catalog.name_index.sounds[alias]
        if len(alias) >= 3 and alias_sounds in sounds:
            index = sounds[: sounds.index(alias_sounds) + 1].count(" ") - 1
            return projects, text[:index] + " " + text[index + len(alias) :]
    return found, text


def _next_words(text: str) -> tuple[str, str] | None:
    """下个 ... 节点, 最近的 ... 检查点: a word for "next" and one for "checkpoint"."""
    prefix = find_cue(text, "next_prefixes")
    point = find_cue(text, "checkpoint_words")
    return (prefix, point) if prefix and point else None


def _named_by_part(text: str, catalog: Catalog) -> tuple[ProjectEntry, str] | None:
    """业务经费 names 住房公积金业务运行专项业务经费: a run of 4+ characters found in exactly one
    project's name and in no indicator's name."""
    best: tuple[ProjectEntry, str] | None = None
    names = catalog.name_index
    for project in (catalog.projects[n] for n in names.names_sharing_run(text)):
        part = longest_common_run(text, project.name)
        if len(part) < 4 or (best and len(best[1]) >= len(part)) or part in catalog.indicator_names:
            continue
        if len(names.names_containing(part)) == 1:
            best = (project, part)
    return best


def longest_common_run(text: str, other: str) -> str:
    """The longest substring of `text` that `other` contains."""
    best = ""
    for start in range(len(text)):
        end = start + len(best) + 1
        while end <= len(text) and text[start:end] in other:
            best = text[start:end]
            end += 1
    return best


def _find_category(text: str, catalog: Catalog, names: str) -> tuple[str | None, str]:
    """A category asked for as a whole (满意度指标, 成本指标有哪些): nothing else may remain."""
    for word, canonical in catalog.categories.items():
        if word in text:
            rest = remove_fillers(_take(text, word).replace("指标", " "), names)
            if not re.sub(r"\s", "", rest):
                return canonical, ""
    return None, text


def _without_fillers(text: str, names: str) -> str:
    """The text without fillers, unless that leaves one character (预期率 holds no filler)."""
    kept = remove_fillers(text, names).replace("指标", "")
    return kept if len(kept) != 1 or len(text) < 2 else text.replace("指标", "")


def _drop_unknown_english(text: str) -> str:
    """Once the glossary found the field's terms, leftover English words are only filler."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    return re.sub(r"[a-z][a-z0-9']*", " ", text)


def understand(question: str, catalog: Catalog, now: datetime, terms: Glossary) -> Understanding:
    """Normalise the question and pull out everything the engine decides on."""
    raw = half_width(question).strip()
    reading = Understanding(question=question, english=is_english(raw))
    text = translate_cased(raw, terms).lower()
    reading.time = find_month(text, now)
    whole = find_cue(text, "whole_plan")
    if reading.time and whole and reading.time.words in whole:
        reading.time = None  # 全年支出计划 asks for the whole plan, not for 12月底
    if reading.time:
        text = _take(text, reading.time.words)
    reading.text = text = _drop_unknown_english(squeeze(translate(text, terms)))
    reading.projects, text = _find_projects(text, catalog)
    for kind in CUE_KINDS:
        if cue := find_cue(text, kind):
            reading.cues[kind] = cue
            text = _take(text, cue)
    if "next" not in reading.cues and (words := _next_words(text)):
        reading.cues["next"] = words[0] + words[1]
        text = _take(_take(text, words[0]), words[1])
    text = text.replace(" ", "")
    reading.full = remove_fillers(reading.text.replace(" ", ""), catalog.names)
    reading.rest = text
    reading.category, text = _find_category(text, catalog, catalog.names)
    reading.remainder = _without_fillers(text, catalog.names)
    return reading
