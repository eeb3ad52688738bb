"""Put a msgid's marks back around the translated words their words were aligned to.

Each mark gets a range of target words: the words aligned to the source words it wrapped,
from the first to the last. Ranges are then made to nest as the marks do: a child inside
its parent, siblings side by side (a translation may reorder them). A mark whose words the
alignment does not find widens to its parent's words, the whole sentence at the top, and
the draft says so in a note: the markup is never dropped. Code is written back as the
source had it, in place of the words it was translated to. Atoms stand where the word after
them went.

The draft always holds every mark of the msgid, once, nested as in the msgid (unless the
translation has no words at all: then it is left as it came, with a note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from l10n.markup.align import WEIGHTS, Alignment, Matrix, Weights
from l10n.markup.copies import copied_words
from l10n.markup.inline import Mark, Marked, parse, shape
from l10n.markup.spans import Range, glued_to_punctuation, words
from l10n.markup.write import respell, write


@dataclass(frozen=True)
class Placed:
    text: str
    notes: tuple[str, ...] = ()  # why a reviewer should look at the markup


def aligned(marked: Marked, target: str, attention: Matrix | None, *,
            weights: Weights = WEIGHTS, trust: float | None = None) -> Alignment:
    return Alignment(tuple(marked.plain[s:e] for s, e in words(marked.plain)),
                     tuple(target[s:e] for s, e in words(target)), attention, weights, trust)


def place(marked: Marked, target: str, attention: Matrix | None, *,
          weights: Weights = WEIGHTS, trust: float | None = None,
          alignment: Alignment | None = None) -> Placed:
    """`target`, the translation of `marked.plain`, with `marked`'s markup put back.
    `trust`: how far the engine's attention aligns words (`align.trust`), else judged
    from this sentence; `alignment`: the words' alignment, when already made."""
    if not marked.marks:
        return Placed(respell(target, marked))
    src_spans = words(marked.plain)
    tgt_spans = words(target)
    if not tgt_spans:  # nothing to put markup around ("** " is no emphasis): as it came
        return Placed(target, ("the translation has no words: its markup is left out",))
    if alignment is None:
        alignment = aligned(marked, target, attention, weights=weights, trust=trust)
    notes: list[str] = []
    if not alignment.sure:
        notes.append("markup placed without the engine's word alignment")
    copies = copied_words(marked, src_spans, alignment, notes)
    placer = _Placer(marked, src_spans, alignment, notes, copies.dropped)
    ranges = placer.assign(marked.marks, 0, len(tgt_spans), 0)
    wanted = _shape(ranges, copies.holds)
    # Markdown reads delimiters by what stands beside them: a span that takes in
    # punctuation may stop being one. Then the marks go tight around the words instead.
    text = write(target, tgt_spans, ranges, marked, copies.words)
    if shape(parse(text, marked.syntax).marks) != wanted:
        tight = write(target, tgt_spans, ranges, marked, copies.words, punctuation=False)
        if shape(parse(tight, marked.syntax).marks) == wanted:
            text = tight
        else:
            notes.append("markup placed, but it may not read as in the source")
    return Placed(text, tuple(notes))


class _Placer:
    def __init__(self, marked: Marked, src_spans: list[tuple[int, int]], alignment: Alignment,
                 notes: list[str], copied: set[int] | None = None) -> None:
        self.marked = marked
        self.src = src_spans
        self.alignment = alignment
        self.notes = notes
        self.copied = copied or set()  # ids of marks a copied word writes back itself

    def source_words(self, mark: Mark) -> range:
        """The source words a mark's content touches (an atom: the word after it)."""
        if mark.start < mark.end:
            hit = [i for i, (s, e) in enumerate(self.src) if s < mark.end and e > mark.start]
            if hit:
                return range(hit[0], hit[-1] + 1)
        after = next((i for i, (s, _) in enumerate(self.src) if s >= mark.start), None)
        if after is None:
            return range(len(self.src), len(self.src))
        return range(after, after + 1)

    def assign(self, marks: tuple[Mark, ...], lo: int, hi: int, depth: int) -> list[Range]:
        ranges = [self._wanted(mark, lo, hi, depth) for mark in marks
                  if id(mark) not in self.copied]
        # Marks between words (atoms, code aligned to nothing) take no words from others.
        standing = [r for r in ranges if r.mark.wordless or r.end <= r.start]
        spans = sorted((r for r in ranges if r not in standing), key=lambda r: (r.start, r.end))
        self._side_by_side(spans, lo, hi)
        last_atom = lo
        for r in ranges:
            if r in standing:
                r.start = r.end = self._gap_outside(r.start, spans, lo, hi)
                if r.mark.atom:
                    # Standalone markup keeps its order ("</b>" never before its "<b>"):
                    # one that would stand before an earlier one stands after it instead.
                    if r.start < last_atom:
                        r.start = r.end = self._gap_after(last_atom, spans, hi)
                    last_atom = r.start
            elif r.mark.children and not r.mark.verbatim:
                r.children = self.assign(r.mark.children, r.start, r.end, depth + 1)
        for r in ranges:
            if r.host is not None:
                r.depth = r.host.depth + 1
                _deepen(r)
                r.host.children.append(r)
        return [r for r in ranges if r.host is None]

    def _wanted(self, mark: Mark, lo: int, hi: int, depth: int) -> Range:
        words = self.source_words(mark)
        if mark.wordless:
            if glued_to_punctuation(mark, self.marked) and words and words.start > 0:
                # "unter <https://x.de>.": the "." is no word to stand before; the atom
                # goes after the word before it ("at <https://x.de>.").
                targets = self.alignment.targets(range(words.start - 1, words.start))
                gap = max(lo, min(hi, targets[-1] + 1 if targets else hi))
            else:
                gap = self._gap_before(words, lo, hi)
            return Range(mark, gap, gap, depth)
        # Code replaces the words it was translated to: only words truly aligned to it.
        found = [t for t in self.alignment.targets(words, strict=mark.verbatim) if lo <= t < hi]
        if not found and mark.verbatim:  # code replaces words: never the whole sentence
            gap = self._gap_before(words, lo, hi)
            return Range(mark, gap, gap, depth)
        if not found:
            if hi > lo:
                where = "the whole sentence" if depth == 0 else "its parent's words"
                self.notes.append(f"markup {_shown(mark)} put around {where} "
                                  "(alignment unsure)")
            return Range(mark, lo, hi, depth)
        if mark.verbatim:
            found = _first_run(found)
        return Range(mark, found[0], found[-1] + 1, depth)

    def _gap_before(self, words: range, lo: int, hi: int) -> int:
        if not words or words.start >= len(self.src):
            previous = len(self.src) - 1
            if previous < 0:
                return hi
            targets = self.alignment.targets(range(previous, previous + 1))
            return max(lo, min(hi, targets[-1] + 1 if targets else hi))
        targets = self.alignment.targets(words)
        return max(lo, min(hi, targets[0] if targets else hi))

    def _side_by_side(self, spans: list[Range], lo: int, hi: int) -> None:
        """Make sibling ranges disjoint and non-empty, each as close to its wish as the
        others let it. Where words are short, code gives up its words first (it needs
        none), then elements and links stand empty, then emphasis goes inside a sibling."""
        rest = list(spans)
        for r in spans:
            if r.mark.verbatim and any(o is not r and o.start < r.end and r.start < o.end
                                       for o in spans):
                r.end = r.start
                rest.remove(r)
        hosted: list[Range] = []
        for may_give_way in (lambda r: _may_be_empty(r.mark, self.marked), lambda r: True):
            while len(rest) > hi - lo and any(may_give_way(r) for r in rest):
                r = next(r for r in reversed(rest) if may_give_way(r))
                rest.remove(r)
                hosts = [o for o in rest if not o.mark.verbatim]
                if _may_be_empty(r.mark, self.marked) or not hosts:
                    r.start = r.end = max(lo, min(hi, r.start))
                    self.notes.append(f"markup {_shown(r.mark)} has no words of its own")
                else:
                    r.host = min(hosts, key=lambda o: abs(o.start - r.start))
                    hosted.append(r)
                    self.notes.append(f"markup {_shown(r.mark)} shares the words of "
                                      f"{_shown(r.host.mark)}")
        end = lo
        for r in rest:  # left to right: no overlaps, none empty
            r.start = max(r.start, end)
            r.end = max(r.end, r.start + 1)
            end = r.end
        start = hi
        for r in reversed(rest):  # right to left: pull back what ran past the end
            r.end = min(r.end, start)
            r.start = min(r.start, r.end - 1)
            start = r.start
        for r in hosted:
            assert r.host is not None
            r.start, r.end = r.host.start, r.host.end

    @staticmethod
    def _gap_after(gap: int, spans: list[Range], hi: int) -> int:
        """The first gap at or after `gap` that is not inside a sibling."""
        for r in spans:
            if r.start < gap < r.end:
                return r.end
        return min(gap, hi)

    @staticmethod
    def _gap_outside(gap: int, spans: list[Range], lo: int, hi: int) -> int:
        """An atom between siblings, not inside one: move it to the nearer edge."""
        for r in spans:
            if r.start < gap < r.end:
                return r.start if gap - r.start <= r.end - gap else r.end
        return max(lo, min(hi, gap))


def _shape(ranges: list[Range], holds: dict[int | None, list[Mark]],
           parent: int | None = None) -> tuple[tuple[str, str, str, tuple[object, ...]], ...]:
    """`inline.shape` of the marks as placed (one may have had to go inside a sibling),
    with the marks copied words hold where they stood."""
    out = list(shape(tuple(holds.get(parent, ()))))
    for r in ranges:
        out.append((r.mark.kind, r.mark.open, r.mark.content + r.mark.close,
                    _shape(r.children, holds, id(r.mark))))
    return tuple(sorted(out))


def _deepen(r: Range) -> None:
    for child in r.children:
        child.depth = r.depth + 1
        _deepen(child)


def _may_be_empty(mark: Mark, marked: Marked) -> bool:
    """Whether the mark still reads as itself around nothing: an HTML element or a link
    does ("<em></em>", "[](url)"); Markdown emphasis does not ("****" is text)."""
    return marked.syntax == "html" or mark.kind in ("link", "image", "element")


def _first_run(found: list[int]) -> list[int]:
    run = [found[0]]
    for t in found[1:]:
        if t != run[-1] + 1:
            break
        run.append(t)
    return run


def _shown(mark: Mark) -> str:
    """A mark named briefly (review notes must fit one comment line): `<a>`, `[…](…)`."""
    tag = re.match(r"</?([A-Za-z][A-Za-z0-9-]*)", mark.open)
    if tag:
        return f"<{tag.group(1).lower()}>"
    if mark.kind in ("link", "image"):
        return f"{mark.open}…](…)"
    return f"{mark.open}…{mark.close}" if mark.close else mark.open[:20]
