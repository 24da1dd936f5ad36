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
from handlers.scope import Scoped, ScopeWords, english_places, read_scope, scoped_projects
from handlers.synonyms import store_words
from handlers.timewords import TimeWord, find_month
from handlers.wordlists import Glossary, synonym_groups, word_lists

CUE_KINDS = (
    "total",
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


RANK_CUES = ("rank_order_least", "rank_order", "rank_which", "rank_least", "rank_most")
_TOTAL_OF_BUDGET = "总(?=预算|经费|资金|金额|投资|支出)"


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
    scope: Scoped = field(default_factory=lambda: Scoped(ScopeWords(), []))
    elsewhere: list[ProjectEntry] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)


def _take(text: str, words: str) -> str:
    return text.replace(words, " ", 1)


def _find_projects(text: str, catalog: Catalog) -> tuple[list[ProjectEntry], str]:
    """Projects named by an alias (or an alias that sounds the same), and the text without it."""
    found: list[ProjectEntry] = []
    for alias, projects in catalog.name_index.aliases_in(text):
        if alias in text:
            text = _take(text, _whole_run(text, alias, projects[0].name))
            found += [p for p in projects if all(p is not f for f in found)]
    if found:
        return found, text
    if named := _named_by_part(text, catalog):
        projects, part = named
        return projects, _take(text, part)
    sounds = sound_string(text)
    for alias, projects in catalog.name_index.aliases_sounding_in(text):
        alias_sounds = catalog.name_index.sounds[alias]
        if len(alias) >= 3 and alias_sounds in sounds:
            index = sounds[: sounds.index(alias_sounds) + 1].count(" ") - 1
            return projects, text[:index] + " " + text[index + len(alias) :]
    return found, text


def _whole_run(text: str, alias: str, name: str) -> str:
    """The alias grown to the longest run of the question around it that the project's name
    holds: 公积金业务运行 rather than 业务运行."""
    start = text.index(alias)
    end = start + len(alias)
    head = next((n for n in range(len(alias), 0, -1) if alias[:n] in name), 1)
    while start > 0 and text[start - 1 : start + head] in name:
        start, head = start - 1, head + 1
    tail = next((n for n in range(len(alias), 0, -1) if alias[-n:] in name), 1)
    while end < len(text) and text[end - tail : end + 1] in name:
        end, tail = end + 1, tail + 1
    return text[start:end]


def _rank_words(text: str) -> tuple[str, str] | None:
    """哪个项目 ... 最多, 排名: a ranking asked (the "which" word, the order word)."""
    if order := find_cue(text, "rank_order_least") or find_cue(text, "rank_order"):
        return "", order
    which = find_cue(text, "rank_which")
    extreme = find_cue(text, "rank_least") or find_cue(text, "rank_most")
    return (which, extreme) if which and extreme else None


def _next_words(text: str) -> tuple[str, str] | None:
    """下个 ... 节点, 最近的 ... 检查点: a word for "next" and one for "checkpoint"."""
    prefix = find_cue(text, "next_prefixes")
    point = find_cue(text, "checkpoint_words")
    return (prefix, point) if prefix and point else None


def _named_by_part(text: str, catalog: Catalog) -> tuple[list[ProjectEntry], str] | None:
    """业务经费 names 住房公积金业务运行专项业务经费: a run of 4+ characters found in one project
    name (of one or more years) and in no indicator's name."""
    best: tuple[str, str] | None = None
    index = catalog.name_index
    sharing = dict.fromkeys(catalog.projects[n].name for n in index.names_sharing_run(text))
    judged: dict[str, bool] = {}  # many names share the same run of the question: judge it once
    for name in sharing:
        part = longest_common_run(text, name)
        if len(part) < 4 or (best and len(best[1]) >= len(part)):
            continue
        if part not in judged:
            judged[part] = part not in catalog.indicator_names and index.in_one_name(part)
        if judged[part]:
            best = (name, part)
    if best is None:
        return None
    return [p for p in catalog.projects if p.name == best[0]], best[1]


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


def _drop_unknown_english(text: str) -> tuple[str, list[str]]:
    """Once the glossary found the field's terms, leftover English words are only filler (and
    they are kept aside: a project question about them names no known project)."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text, []
    return re.sub(r"[a-z][a-z0-9']*", " ", text), re.findall(r"[a-z][a-z0-9']*", text)


def _named_in_scope(reading: Understanding, text: str, catalog: Catalog) -> str:
    """The projects named (first, so that a department inside a project's name stays in it),
    then the scope words; named projects outside the scope are kept apart (reading.elsewhere).
    reading.text is the question without its scope words."""
    named, rest = _find_projects(text, catalog)
    words, rest = read_scope(rest, catalog)
    for word in words.words:
        text = text.replace(word, " ", 1)
    reading.text = text.strip()
    reading.scope = scoped_projects(words, catalog)
    inside = {id(p) for p in reading.scope.projects} if named else set()
    reading.projects = [p for p in named if id(p) in inside]
    if not reading.projects:
        reading.elsewhere = named
    return rest


def understand(
    question: str,
    catalog: Catalog,
    now: datetime,
    terms: Glossary,
    synonyms_file: str | None = None,
) -> Understanding:
    """Normalise the question and pull out everything the engine decides on."""
    raw = half_width(question).strip()
    reading = Understanding(question=question, english=is_english(raw))
    text = english_places(translate_cased(raw, terms).lower(), catalog)
    reading.time = find_month(text, now)
    whole = find_cue(text, "whole_plan")
    if reading.time and whole and reading.time.words in whole:
        reading.time = None  # 全年支出计划 asks for the whole plan, not for 12月底
    if reading.time:
        text = _take(text, reading.time.words)
    text, reading.unknown_words = _drop_unknown_english(squeeze(translate(text, terms)))
    text = store_words(text, synonym_groups(synonyms_file), catalog.names)
    text = re.sub(word_lists()["counted_projects"], " ", text)
    text = _named_in_scope(reading, text, catalog)
    if total := re.search(_TOTAL_OF_BUDGET, text):
        reading.cues["total"] = total[0]
        text = _take(text, total[0])
    for kind in CUE_KINDS:
        while cue := find_cue(text, kind):
            reading.cues.setdefault(kind, cue)
            text = _take(text, cue)
    if rank := _rank_words(text):
        reading.cues["rank"] = rank[1]
        for kind in RANK_CUES:
            while cue := find_cue(text, kind):
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
