"""Target words and the ranges of them marks are given (`place`), written out (`write`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n.markup.inline import Mark, Marked

_WORD = re.compile(r"\S+")
# Punctuation a mark does not wrap unless its source content did: "*Krieg*." not "*war.*".
LEADING = re.compile(r"^[\"'“”„‘’‚»«‹›(\[¿¡]+")
TRAILING = re.compile(r"[\"'“”‘’»«‹›)\].,;:!?…]+$")


@dataclass(eq=False)  # ranges are told apart by identity
class Range:
    mark: Mark
    start: int  # target words [start, end); start == end for an atom (a gap index)
    end: int
    depth: int
    children: list[Range] = field(default_factory=list)
    host: Range | None = None  # the sibling whose words it had to share, inside it


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def edge(pattern: re.Pattern[str], text: str) -> int:
    """Length of the punctuation `pattern` finds at the edge of `text`, never the whole."""
    found = pattern.search(text)
    if found is None or len(found.group()) >= len(text):
        return 0
    return len(found.group())


def core(word: str) -> str:
    start = edge(LEADING, word)
    return word[start:len(word) - edge(TRAILING, word[start:])]


def glued_to_punctuation(mark: Mark, marked: Marked) -> bool:
    """An atom written right before the punctuation that ends its sentence or clause, as
    `<https://x.de>.` or `Bild<br>,`: in the plain text only punctuation follows it."""
    if not mark.atom or mark.space_after:
        return False
    rest = marked.plain[mark.start:]
    word = rest.split(maxsplit=1)[0] if rest.strip() else ""
    return bool(word) and not any(ch.isalnum() for ch in word)
