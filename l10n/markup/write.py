"""Writing a translation with its marks placed: delimiters around word ranges, atoms in the
gaps, code and copied words in place of words, characters spelled as the source spelled
them."""

from __future__ import annotations

import re

from l10n.markup.inline import Mark, Marked
from l10n.markup.spans import LEADING, TRAILING, Range, edge, glued_to_punctuation


def write(target: str, spans: list[tuple[int, int]], ranges: list[Range], marked: Marked,
          copies: dict[int, str], *, punctuation: bool = True) -> str:
    """`target` with each range's mark written around its words; `copies`: target words
    written as the source wrote them; `punctuation` False puts marks tight around words."""
    n = len(spans)
    texts = [target[s:e] for s, e in spans]
    # Each word's leading and trailing punctuation: a mark takes as much of it inside as its
    # source content had ("„*Es gibt keinen Weg.*“" → "“*There is no way.*”").
    lead = [edge(LEADING, t) for t in texts]
    trail = [edge(TRAILING, t[lead[i]:]) for i, t in enumerate(texts)]
    inserts: list[list[tuple[int, int, float, int, str]]] = [[] for _ in range(n)]  # per word
    # First word → (end, what is written instead): code, or a copied word as the source had it.
    replaced: dict[int, tuple[int, str]] = {t: (t + 1, text) for t, text in copies.items()}
    gaps: dict[int, list[Mark]] = {}

    def visit(r: Range, floor: int, ceiling: int, order: int = 0) -> None:
        """Place `r`; `floor`/`ceiling`: where its parent opens in its first word and closes
        in its last, when they share those words (a child must stay inside)."""
        mark = r.mark
        if mark.atom and r.start == r.end and 0 < r.start <= n and \
                glued_to_punctuation(mark, marked):
            # After the word before it, before that word's punctuation if it has some (the
            # punctuation that followed it in the source).
            word = r.start - 1
            before = " " if mark.space_before else ""
            # After the ends of marks closing there (their keys are ≤ 0), before openings.
            inserts[word].append((len(texts[word]) - trail[word], 0, 1, order,
                                  before + standalone(mark)))
            return
        if mark.wordless or r.start >= r.end:  # no words: the markup stands at the gap
            gaps.setdefault(r.start, []).append(mark)
            return
        content = marked.plain[mark.start:mark.end]
        first, last = r.start, r.end - 1
        opening = lead[first] - min(lead[first], edge(LEADING, content))
        closing = len(texts[last]) - trail[last] + min(trail[last], edge(TRAILING, content))
        if not punctuation:
            opening, closing = lead[first], len(texts[last]) - trail[last]
        opening, closing = max(opening, floor), min(closing, ceiling)
        if mark.verbatim:
            replaced[first] = (r.end, mark.open + mark.content + mark.close)
            return
        inserts[first].append((opening, 1, r.depth, order, mark.open))
        inserts[last].append((closing, 0, -r.depth, order, mark.close))
        for order, child in enumerate(r.children, start=1):
            if (child.mark.wordless or child.start >= child.end) and \
                    child.start in (first, r.end):
                # At its parent's edge a standalone mark goes inside the parent's markup.
                written = standalone(child.mark)
                if child.start == first:
                    after = " " if child.mark.space_after else ""
                    # Between the parent's opening and its other children's (depth + ½).
                    inserts[first].append((opening, 1, r.depth + 0.5, order, written + after))
                else:
                    before = " " if child.mark.space_before else ""
                    inserts[last].append((closing, 0, -r.depth - 0.5, order, before + written))
                continue
            visit(child, opening if child.start == first else 0,
                  closing if child.end == r.end else len(texts[child.end - 1]), order)

    for r in ranges:
        visit(r, 0, len(texts[r.end - 1]) if r.end > r.start else 0)

    out: list[str] = []
    i = 0
    while i <= n:
        if 0 < i < n:
            out.append(_gap(respell(target[spans[i - 1][1]:spans[i][0]], marked),
                            gaps.get(i, [])))
        elif gaps.get(i):
            out.append(_gap("", gaps[i], edge="start" if i == 0 else "end"))
        if i == n:
            break
        if i in replaced:
            end, code = replaced[i]
            last = end - 1
            # The code stands for the words' cores; their outer punctuation stays.
            word = texts[i][:lead[i]] + code + texts[last][len(texts[last]) - trail[last]:]
            tail = len(texts[last]) - trail[last]  # where the last word's punctuation starts

            def moved(insert: tuple[int, int, float, int, str], start: int = i,
                      size: int = len(code), tail: int = tail) -> tuple[int, int, float, int, str]:
                offset = insert[0]
                if offset > lead[start]:
                    offset = lead[start] + size + max(0, offset - tail)
                return (offset, *insert[1:])

            found = inserts[i] + (inserts[last] if last != i else [])
            out.append(_with_inserts(word, sorted(moved(x) for x in found), marked,
                                     keep=(lead[i], lead[i] + len(code))))
            i = end
            continue
        out.append(_with_inserts(texts[i], sorted(inserts[i]), marked))
        i += 1
    return target[:spans[0][0]] + "".join(out) + target[spans[-1][1]:] if n else \
        target + "".join(out)


def _with_inserts(word: str, inserts: list[tuple[int, int, float, int, str]], marked: Marked, *,
                  keep: tuple[int, int] = (0, 0)) -> str:
    """`word` respelled, with markup inserted at its offsets (closes before opens, inner
    closes and outer opens first); the `keep` range (code) is not respelled."""
    out, pos = [], 0
    for offset, _, _, _, text in inserts:
        offset = max(pos, min(offset, len(word)))
        out.append(_respell_outside(word[pos:offset], pos, keep, word, marked))
        out.append(text)
        pos = offset
    out.append(_respell_outside(word[pos:], pos, keep, word, marked))
    return "".join(out)


def _respell_outside(piece: str, at: int, keep: tuple[int, int], word: str,
                     marked: Marked) -> str:
    start, end = keep
    if end <= start or at + len(piece) <= start or at >= end:
        return respell(piece, marked)
    left = respell(word[at:max(at, start)], marked)
    middle = word[max(at, start):min(at + len(piece), end)]
    right = respell(word[min(at + len(piece), end):at + len(piece)], marked)
    return left + middle + right


def standalone(mark: Mark) -> str:
    """A mark that wraps no words of the translation, as the source wrote it."""
    inner = "".join(standalone(child) for child in mark.children)
    return mark.whole or mark.open + mark.content + inner + mark.close


def _gap(space: str, marks: list[Mark], edge: str = "") -> str:
    """The whitespace between two words (or at an edge), with the marks standing there."""
    if not marks:
        return space
    text = ""
    for mark in marks:
        before = mark.space_before if mark.atom else True
        after = mark.space_after if mark.atom else True
        text += (" " if before else "") + standalone(mark) + (" " if after else "")
    text = re.sub(" {2,}", " ", text)
    if edge == "start":
        return text.lstrip(" ")
    if edge == "end":
        return text.rstrip(" ")
    return text


_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def respell(text: str, marked: Marked) -> str:
    """Characters the source spelled as entities or escapes, spelled so again; raw `&`
    and `<` of an HTML text are always escaped."""
    table = dict(_HTML_ESCAPES) if marked.syntax == "html" else {}
    table.update(marked.spellings)
    if not table or not any(ch in text for ch in table):
        return text
    return "".join(table.get(ch, ch) for ch in text)
