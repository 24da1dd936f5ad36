"""Loose names of a project derived from its full name: 人才住房, 信息化项目, 业务运行经费."""

import re

from handlers.normalize import half_width, squeeze
from handlers.wordlists import word_lists

# a qualifier closing a name: 经费（2023年）, 项目（二期）, 经费（031-19）
_TRAILING_QUALIFIER = re.compile(r"[（(][^（）()]{1,20}[）)]$")


def _rules() -> dict[str, list[str]]:
    rules: dict[str, list[str]] = word_lists()["project_names"]
    return rules


def _owner_prefix(name: str, owner: str, least: int = 4) -> str:
    """The start of `name` (after at most one character such as 市) that `owner` contains."""
    for skip in (0, 1):
        end = skip
        while end < len(name) and name[skip : end + 1] in owner:
            end += 1
        if end - skip >= least:
            return name[:end]
    return ""


def _without_owner(name: str, owners: list[str]) -> str:
    """Drop the department or unit words a project name starts with (市住房公积金管理中心...)."""
    core = name
    for owner in owners:
        if (prefix := _owner_prefix(core, owner)) and len(prefix) < len(core) - 1:
            core = core[len(prefix) :]
    return core


def _strip_ends(text: str) -> list[str]:
    """The text and what remains as generic suffixes and prefixes come off, one by one."""
    rules, found = _rules(), [text]
    changed = True
    while changed:
        changed = False
        for suffix in rules["generic_suffixes"]:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text, changed = text[: -len(suffix)], True
                found.append(text)
        for prefix in rules["generic_prefixes"]:
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                text, changed = text[len(prefix) :], True
                found.append(text)
    return found


def _split(text: str) -> list[str]:
    parts = [text]
    for connector in _rules()["connectors"]:
        parts = [piece for part in parts for piece in part.split(connector)]
    return [p for p in parts if p]


def derive_aliases(name: str, owners: list[str | None]) -> list[str]:
    """Aliases of a project name, longest first; `owners` are its department and unit names."""
    rules = _rules()
    core = _without_owner(name, [o for o in owners if o])
    bare = _TRAILING_QUALIFIER.sub("", core)
    bases = {core, *_split(core), bare, *_split(bare)} - {""}
    for infix in rules["generic_infixes"]:
        bases |= {b.replace(infix, "") for b in list(bases) if infix in b[1:]}
    aliases = {name}
    for base in bases:
        for stem in _strip_ends(base):
            if len(stem) >= 3 and stem not in rules["too_generic"]:
                aliases |= {stem, stem if stem.endswith("项目") else stem + "项目"}
    aliases |= {squeeze(half_width(alias)) for alias in aliases}  # as a question is read
    return sorted(aliases - {""}, key=lambda alias: (-len(alias), alias))
