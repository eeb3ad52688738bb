"""Words a translation copied with markup inside them: written back as the source had them."""

from __future__ import annotations

from dataclasses import dataclass, field

from l10n.markup.align import Alignment
from l10n.markup.inline import Mark, Marked
from l10n.markup.spans import LEADING, TRAILING, core, edge


@dataclass
class Copies:
    """Words the translation copied with markup inside them (`H<sub>2</sub>O`)."""

    words: dict[int, str] = field(default_factory=dict)  # target word → the source's text
    dropped: set[int] = field(default_factory=set)  # ids of the marks that text holds
    # The marks each copied word holds, by the id of the mark they stand in (None: top).
    holds: dict[int | None, list[Mark]] = field(default_factory=dict)


def copied_words(marked: Marked, src_spans: list[tuple[int, int]], alignment: Alignment,
                  notes: list[str]) -> Copies:
    """Marks inside one word (`H<sub>2</sub>O`, `` `Strg`+`C` ``) cannot go around target
    words. Where the translation copied that word as it was, or the word is code and
    symbols only, the target word is written as the source wrote it, marks and all."""
    parents: dict[int, Mark | None] = {}
    stack: list[tuple[Mark, Mark | None]] = [(m, None) for m in marked.marks]
    while stack:
        mark, parent = stack.pop()
        parents[id(mark)] = parent
        stack.extend((child, mark) for child in mark.children)
    everything = marked.walk()
    copies = Copies()
    for s, (a, b) in enumerate(src_spans):
        word = marked.plain[a:b]
        a += edge(LEADING, word)
        b -= edge(TRAILING, marked.plain[a:b])
        inside = [m for m in everything if (a < m.start < b if m.wordless else
                                            a <= m.start and m.end <= b
                                            and (m.start, m.end) != (a, b))]
        if not inside:
            continue
        ids = {id(m) for m in inside}
        top = [m for m in inside if id(parents[id(m)]) not in ids]
        in_letters = any(_inside_letters(marked.plain, m, a, b) for m in top)
        # A word of code and symbols only (`` `Strg`+`C` ``) is code: it stays as it was.
        outside = "".join(marked.plain[i] for i in range(a, b)
                          if not any(m.start <= i < m.end for m in top))
        codelike = all(m.kind == "code" for m in top) and not any(c.isalnum() for c in outside)
        found = [t for t, source in enumerate(alignment.source_of)
                 if source == s and t not in copies.words
                 and (codelike or core(alignment.target[t]) == marked.plain[a:b])]
        # A mark crossing the word's edge from inside, or marks under different parents:
        # no copy can keep them whole.
        crossing = any(id(m) not in ids and (a < m.start < b or a < m.end < b)
                       for m in everything)
        if not found or crossing or len({id(parents[id(m)]) for m in top}) > 1:
            # A part of a compound up to a hyphen ("<abbr>OVKS</abbr>-Gipfel") is a word of
            # its own in the translation as well; a mark inside letters is not.
            if in_letters or crossing:
                notes.append(f"markup inside the word {marked.plain[a:b]!r} put around the "
                             "whole word")
            continue
        start, end = marked.source_of(a, b)
        start = min(start, *(m.span[0] for m in top))
        end = max(end, *(m.span[1] for m in top))
        copies.words[found[0]] = marked.source[start:end]
        copies.dropped.update(id(m) for m in top)
        parent = parents[id(top[0])]
        copies.holds.setdefault(None if parent is None else id(parent), []).extend(top)
    return copies


def _inside_letters(plain: str, mark: Mark, a: int, b: int) -> bool:
    """Whether the mark touches a letter or digit of its word on the outside."""
    return (mark.start > a and plain[mark.start - 1].isalnum()) or \
        (mark.end < b and plain[mark.end].isalnum())
