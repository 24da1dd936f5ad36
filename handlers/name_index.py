"""Look-ups of project names and aliases inside a question without scanning every project."""

from collections.abc import Sequence
from typing import Generic, TypeVar

from handlers import fuzzy
from handlers.fuzzy import syllables

RUN = 4  # a part of a project's name must be this long to name the project
Entry = TypeVar("Entry")


def sound_string(text: str) -> str:
    """The syllables of a text between spaces: ' zhu fang ' (one per character)."""
    return f" {fuzzy.sound_string(text)} "


class NameIndex(Generic[Entry]):
    """Aliases by text and by sound, and project names by their runs of RUN characters."""

    def __init__(
        self, aliases: Sequence[tuple[str, list[Entry]]], names: Sequence[str], least_sound: int
    ) -> None:
        self.aliases = list(aliases)
        self.rank = {alias: number for number, (alias, _) in enumerate(self.aliases)}
        self.longest = max((len(alias) for alias in self.rank), default=0)
        self.sounds = {alias: sound_string(alias) for alias in self.rank}
        self.by_sound: dict[str, list[int]] = {}
        for alias, number in self.rank.items():
            if len(alias) >= least_sound:
                self.by_sound.setdefault(self.sounds[alias].strip(), []).append(number)
        self.least_sound = least_sound
        self.names = list(names)
        self.runs: dict[str, list[int]] = {}
        for number, name in enumerate(self.names):
            for run in {name[i : i + RUN] for i in range(len(name) - RUN + 1)}:
                self.runs.setdefault(run, []).append(number)

    def aliases_in(self, text: str) -> list[tuple[str, list[Entry]]]:
        """The aliases written in the text, longest first (the order of `aliases`)."""
        found = {
            number
            for start in range(len(text))
            for end in range(start + 1, min(len(text), start + self.longest) + 1)
            if (number := self.rank.get(text[start:end])) is not None
        }
        return [self.aliases[number] for number in sorted(found)]

    def aliases_sounding_in(self, text: str) -> list[tuple[str, list[Entry]]]:
        """The aliases of `least_sound` characters or more whose syllables the text holds."""
        sounds, found = syllables(text), set[int]()
        for start in range(len(sounds)):
            stop = min(len(sounds), start + self.longest)
            for end in range(start + self.least_sound, stop + 1):
                found.update(self.by_sound.get(" ".join(sounds[start:end]), ()))
        return [self.aliases[number] for number in sorted(found)]

    def names_sharing_run(self, text: str) -> list[int]:
        """Projects (by number) whose name holds a run of RUN characters of the text."""
        found: set[int] = set()
        for start in range(len(text) - RUN + 1):
            found.update(self.runs.get(text[start : start + RUN], ()))
        return sorted(found)

    def in_one_name(self, part: str) -> bool:
        """Whether exactly one distinct name (of one or more projects) contains `part`."""
        postings = [self.runs.get(part[i : i + RUN], []) for i in range(len(part) - RUN + 1)]
        names = (self.names[n] for n in min(postings, key=len, default=[]))
        first = next((name for name in names if part in name), None)
        return first is not None and all(name == first for name in names if part in name)
