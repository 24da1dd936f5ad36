"""Loose names of a project derived from its full name: 人才住房, 信息化项目, 业务运行经费."""

from handlers.language import language


def _rules() -> dict[str, list[str]]:
    return language()["project_names"]


def _common_runs(name: str, other: str, least: int = 4) -> list[str]:
    """Substrings of `name` of at least `least` characters that `other` contains too."""
    runs, start = [], 0
    while start < len(name):
        end = start
        while end < len(name) and name[start : end + 1] in other:
            end += 1
        if end - start >= least:
            runs.append(name[start:end])
            start = end
        else:
            start += 1
    return runs


def _without_owner(name: str, owners: list[str]) -> str:
    """Drop the department or unit words a project name repeats (市住房公积金管理中心...)."""
    core = name
    for owner in owners:
        for run in _common_runs(core, owner):
            core = core.replace(run, "", 1)
    return core or name


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
    bases = {core, *_split(core)}
    for infix in rules["generic_infixes"]:
        bases |= {b.replace(infix, "") for b in list(bases) if infix in b[1:]}
    aliases = {name}
    for base in bases:
        for stem in _strip_ends(base):
            if len(stem) >= 3 and stem not in rules["too_generic"]:
                aliases |= {stem, stem if stem.endswith("项目") else stem + "项目"}
    return sorted(aliases, key=lambda alias: (-len(alias), alias))
