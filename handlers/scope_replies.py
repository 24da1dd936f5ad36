"""Replies about scope: nothing there, a project word that names nothing, which year answers."""

from dataclasses import replace

from handlers.catalog import Catalog, ProjectEntry
from handlers.kind_builders import language_of, make_reply
from handlers.question_reading import Understanding
from handlers.reply import Reply
from handlers.scope import project_places
from store.messages import say


def _project_choices(projects: list[ProjectEntry], limit: int = 8) -> list[str]:
    return [f"{p.name}（{p.year}）" for p in projects[:limit]]


def _scope_summary(catalog: Catalog) -> list[str]:
    """2022 青岛: 3 projects ... what the store holds, by year and place."""
    groups: dict[str, int] = {}
    for project in catalog.projects:
        places = "".join(sorted(project_places(project)))
        key = f"{project.year}年{places}"
        groups[key] = groups.get(key, 0) + 1
    return list(groups)


def scope_empty(reading: Understanding, catalog: Catalog) -> Reply:
    """Nothing in the store for the said place, department or year."""
    language = language_of(reading)
    choices = _scope_summary(catalog)
    lines = [say(language, "scope_empty", scope=reading.scope.words.label())]
    lines += [f"• {choice}" for choice in choices]
    return make_reply(reading, "unknown", [], lines, suggestions=choices)


def not_in_scope(reading: Understanding, what: str, found: list[str]) -> Reply:
    """What was asked exists, but only outside the said scope: not found there, with where it is."""
    language = language_of(reading)
    lines = [say(language, "not_in_scope", scope=reading.scope.words.label(), what=what)]
    lines += [f"• {item}" for item in found]
    return make_reply(reading, "unknown", [], lines, suggestions=found)


def project_not_found(reading: Understanding, word: str, scope: list[ProjectEntry]) -> Reply:
    """A project word that names no project in the store: say so, list what there is."""
    language = language_of(reading)
    choices = _project_choices(scope)
    lines = [say(language, "project_not_found", word=word), *(f"• {c}" for c in choices)]
    return make_reply(reading, "unknown", [], lines, suggestions=choices)


def with_year_note(reply: Reply, reading: Understanding, catalog: Catalog) -> Reply:
    """The reply, saying which year answered when older years of its projects were left out."""
    hidden = reading.scope.hidden_years
    if not hidden:
        return reply
    codes = {code for code, _ in reply.projects()}
    years = sorted({p.year for p in catalog.projects if p.code in codes})
    if not hidden or not years:
        return reply
    others = "、".join(str(year) for year in hidden if year not in years)
    if not others:
        return reply
    note = say(
        reply.language,
        "year_note",
        year="、".join(map(str, years)),
        others=others,
        example=hidden[-1],
    )
    lines = (reply.title, *reply.lines) if reply.title else reply.lines
    return replace(reply, title=note, lines=lines)
