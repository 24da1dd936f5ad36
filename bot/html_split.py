"""Cut Telegram HTML into message-sized pieces, each valid HTML on its own."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# a tag, an entity (&amp; &#123;), or one character: the atoms a cut never goes through
_ATOM = re.compile(r"<[^<>]*>|&#?[a-zA-Z0-9]+;|.", re.S)


@dataclass
class _Piece:
    """A piece being filled: the tags it reopens, its atoms, the tags open after each atom."""

    reopened: list[str]
    atoms: list[str] = field(default_factory=list)
    stacks: list[list[str]] = field(default_factory=list)
    last_line_end: int | None = None
    size: int = 0  # of the atoms (sizes add up: characters, or UTF-8 bytes)

    def open_tags(self) -> list[str]:
        return self.stacks[-1] if self.stacks else self.reopened


def _after(stack: list[str], atom: str) -> list[str]:
    """The open tags after `atom`: pushed by a start tag, popped by an end tag."""
    if atom.startswith("</"):
        return stack[:-1]
    if atom.startswith("<") and atom.endswith(">") and len(atom) > 2:
        return [*stack, atom]
    return stack


def _closing(stack: list[str]) -> str:
    return "".join(f"</{tag[1:].split(maxsplit=1)[0].rstrip('>')}>" for tag in reversed(stack))


def _render(reopened: list[str], atoms: list[str], stack: list[str]) -> str:
    return "".join(reopened) + "".join(atoms) + _closing(stack)


def split_html(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """Pieces of at most `limit` (measured by `size`), cut at line ends, inside a line only when
    it alone is too long, never inside a tag or an entity; tags open at a cut are closed at the
    end of the piece and reopened at the start of the next."""
    pieces: list[str] = []
    piece = _Piece([])
    for atom in _ATOM.findall(text):
        while piece.atoms and not _fits(piece, atom, limit, size):
            piece = _cut(piece, pieces, size)
        stack = _after(piece.open_tags(), atom)
        _add(piece, atom, stack, size)
    pieces.append(_render(piece.reopened, piece.atoms, piece.open_tags()))
    return pieces


def _add(piece: _Piece, atom: str, stack: list[str], size: Callable[[str], int]) -> None:
    if atom == "\n":
        piece.last_line_end = len(piece.atoms)
    piece.atoms.append(atom)
    piece.stacks.append(stack)
    piece.size += size(atom)


def _fits(piece: _Piece, atom: str, limit: int, size: Callable[[str], int]) -> bool:
    stack = _after(piece.open_tags(), atom)
    frame = size("".join(piece.reopened)) + size(_closing(stack))
    return frame + piece.size + size(atom) <= limit


def _cut(piece: _Piece, pieces: list[str], size: Callable[[str], int]) -> _Piece:
    """Close the piece at its last line end (dropping the newline) or before the next atom;
    the rest goes to a new piece that reopens the tags open at the cut."""
    at = piece.last_line_end if piece.last_line_end else len(piece.atoms)
    stack = piece.stacks[at - 1]
    pieces.append(_render(piece.reopened, piece.atoms[:at], stack))
    skip = 1 if at < len(piece.atoms) and piece.atoms[at] == "\n" else 0
    rest = _Piece(list(stack))
    for atom, after in zip(piece.atoms[at + skip :], piece.stacks[at + skip :], strict=True):
        _add(rest, atom, after, size)
    return rest
