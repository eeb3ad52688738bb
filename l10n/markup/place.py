"""Put a msgid's marks back around the translated words their words were aligned to.

Each mark gets a range of target words: the words aligned to the source words it wrapped,
from the first to the last. Ranges are then made to nest as the marks do: a child inside
its parent, siblings side by side (a translation may reorder them). A mark whose words the
alignment does not find widens to its parent's words, the whole sentence at the top, and
the draft says so in a note: the markup is never dropped. Code is written back as the
source had it, in place of the words it was translated to. Atoms stand where the word after
them went.

The draft always holds every mark of the msgid, once, nested as in the msgid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n.markup.align import WEIGHTS, Alignment, Matrix, Weights
from l10n.markup.inline import Mark, Marked

_WORD = re.compile(r"\S+")
# Punctuation a mark does not wrap unless its source content did: "*Krieg*." not "*war.*".
_LEADING = re.compile(r"^[\"'“”„‘’‚»«‹›(\[¿¡]+")
_TRAILING = re.compile(r"[\"'“”‘’»«‹›)\].,;:!?…]+$")


@dataclass(frozen=True)
class Placed:
    text: str
    notes: tuple[str, ...] = ()  # why a reviewer should look at the markup


@dataclass
class _Range:
    mark: Mark
    start: int  # target words [start, end); start == end for an atom (a gap index)
    end: int
    depth: int
    children: list[_Range] = field(default_factory=list)


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def aligned(marked: Marked, target: str, attention: Matrix | None, *,
            weights: Weights = WEIGHTS, trust: float | None = None) -> Alignment:
    return Alignment(tuple(marked.plain[s:e] for s, e in words(marked.plain)),
                     tuple(target[s:e] for s, e in words(target)), attention, weights, trust)


def place(marked: Marked, target: str, attention: Matrix | None, *,
          weights: Weights = WEIGHTS, trust: float | None = None) -> Placed:
    """`target`, the translation of `marked.plain`, with `marked`'s markup put back.
    `trust`: how far the engine's attention aligns words (`align.trust`), else judged
    from this sentence."""
    if not marked.marks:
        return Placed(_respell(target, marked))
    src_spans = words(marked.plain)
    tgt_spans = words(target)
    alignment = aligned(marked, target, attention, weights=weights, trust=trust)
    notes: list[str] = []
    if not alignment.sure:
        notes.append("markup placed without word alignment from the engine")
    placer = _Placer(marked, src_spans, alignment, notes)
    ranges = placer.assign(marked.marks, 0, len(tgt_spans), 0)
    return Placed(_write(target, tgt_spans, ranges, marked), tuple(notes))


class _Placer:
    def __init__(self, marked: Marked, src_spans: list[tuple[int, int]], alignment: Alignment,
                 notes: list[str]) -> None:
        self.marked = marked
        self.src = src_spans
        self.alignment = alignment
        self.notes = notes

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

    def assign(self, marks: tuple[Mark, ...], lo: int, hi: int, depth: int) -> list[_Range]:
        ranges: list[_Range] = []
        for mark in marks:
            ranges.append(self._wanted(mark, lo, hi, depth))
        spans = sorted((r for r in ranges if not r.mark.atom), key=lambda r: (r.start, r.end))
        self._side_by_side(spans, lo, hi)
        for r in ranges:
            if r.mark.atom:
                r.start = r.end = self._gap_outside(r.start, spans, lo, hi)
            elif r.mark.children:
                r.children = self.assign(r.mark.children, r.start, r.end, depth + 1)
        return ranges

    def _wanted(self, mark: Mark, lo: int, hi: int, depth: int) -> _Range:
        words = self.source_words(mark)
        if mark.atom or mark.start == mark.end:
            gap = self._gap_before(words, lo, hi)
            return _Range(mark, gap, gap, depth)
        found = [t for t in self.alignment.targets(words) if lo <= t < hi]
        if not found:
            if hi > lo:
                self.notes.append(f"markup {_shown(mark)} put around "
                                  f"{'the whole sentence' if depth == 0 else 'its parent'}: "
                                  "the alignment did not find its words")
            return _Range(mark, lo, hi, depth)
        if mark.verbatim:
            found = _first_run(found)
        return _Range(mark, found[0], found[-1] + 1, depth)

    def _gap_before(self, words: range, lo: int, hi: int) -> int:
        if not words or words.start >= len(self.src):
            previous = len(self.src) - 1
            if previous < 0:
                return hi
            targets = self.alignment.targets(range(previous, previous + 1))
            return max(lo, min(hi, targets[-1] + 1 if targets else hi))
        targets = self.alignment.targets(words)
        return max(lo, min(hi, targets[0] if targets else hi))

    def _side_by_side(self, spans: list[_Range], lo: int, hi: int) -> None:
        """Make sibling ranges disjoint and non-empty, keeping each as close to its wish."""
        previous: _Range | None = None
        for r in spans:
            if previous is not None and r.start < previous.end:
                r.start = previous.end
                if r.end <= r.start:
                    r.end = r.start + 1
                if r.end > hi and previous.end - previous.start > 1:
                    previous.end -= 1  # make room: the earlier sibling gives up its last word
                    r.start, r.end = previous.end, previous.end + 1
                if r.end > hi:
                    r.start, r.end = hi, hi
                    self.notes.append(f"markup {_shown(r.mark)} has no words of its own "
                                      "in the translation")
            previous = r

    @staticmethod
    def _gap_outside(gap: int, spans: list[_Range], lo: int, hi: int) -> int:
        """An atom between siblings, not inside one: move it to the nearer edge."""
        for r in spans:
            if r.start < gap < r.end:
                return r.start if gap - r.start <= r.end - gap else r.end
        return max(lo, min(hi, gap))


def _first_run(found: list[int]) -> list[int]:
    run = [found[0]]
    for t in found[1:]:
        if t != run[-1] + 1:
            break
        run.append(t)
    return run


def _shown(mark: Mark) -> str:
    return f"{mark.open}…{mark.close}" if mark.close else mark.open


# --- writing --------------------------------------------------------------------------------

def _write(target: str, spans: list[tuple[int, int]], ranges: list[_Range], marked: Marked
           ) -> str:
    n = len(spans)
    lead = [""] * n
    trail = [""] * n
    core = [target[s:e] for s, e in spans]
    for i, text in enumerate(core):
        if m := _LEADING.match(text):
            if m.end() < len(text):
                lead[i], core[i] = m.group(), text[m.end():]
        if m := _TRAILING.search(core[i]):
            if m.start() > 0:
                core[i], trail[i] = core[i][:m.start()], m.group()
    core = [_respell(c, marked) for c in core]
    # Per word: markup written before/after its leading and trailing punctuation.
    outer_open = [""] * n
    inner_open = [""] * n
    inner_close = [""] * n
    outer_close = [""] * n
    replaced: dict[int, tuple[int, str]] = {}  # first word → (end, code written instead)
    gaps: dict[int, list[Mark]] = {}

    def visit(r: _Range, parent_inner_start: bool, parent_inner_end: bool) -> None:
        mark = r.mark
        if mark.atom:
            gaps.setdefault(r.start, []).append(mark)
            return
        if r.start >= r.end:  # no words at all: the markup stands empty at the gap
            gaps.setdefault(r.start, []).append(mark)
            return
        if mark.verbatim:
            replaced[r.start] = (r.end, mark.open + mark.content + mark.close)
            return
        content = marked.plain[mark.start:mark.end]
        inner_start = parent_inner_start or not _LEADING.match(content)
        inner_end = parent_inner_end or not _TRAILING.search(content)
        (inner_open if inner_start else outer_open)[r.start] += mark.open
        for child in r.children:
            visit(child, inner_start and child.start == r.start,
                  inner_end and child.end == r.end)
        # Closers go inside-out: children were visited first, so prepend the parent's.
        last = r.end - 1
        if inner_end:
            inner_close[last] = inner_close[last] + mark.close
        else:
            outer_close[last] = outer_close[last] + mark.close

    for r in ranges:
        visit(r, False, False)

    out: list[str] = []
    i = 0
    while i <= n:
        if i > 0 and i < n:
            out.append(_gap(_respell(target[spans[i - 1][1]:spans[i][0]], marked),
                            gaps.get(i, [])))
        elif gaps.get(i):
            out.append(_gap("", gaps[i], edge="start" if i == 0 else "end"))
        if i == n:
            break
        if i in replaced:
            end, code = replaced[i]
            last = end - 1
            out.append(outer_open[i] + lead[i] + inner_open[i] + code + inner_close[last]
                       + trail[last] + outer_close[last])
            i = end
            continue
        out.append(outer_open[i] + lead[i] + inner_open[i] + core[i] + inner_close[i]
                   + trail[i] + outer_close[i])
        i += 1
    return target[:spans[0][0]] + "".join(out) + target[spans[-1][1]:] if n else \
        target + "".join(out)


def _gap(space: str, marks: list[Mark], edge: str = "") -> str:
    """The whitespace between two words (or at an edge), with the marks standing there."""
    if not marks:
        return space
    text = ""
    for mark in marks:
        before = mark.space_before if mark.atom else True
        after = mark.space_after if mark.atom else True
        text += (" " if before else "") + mark.open + mark.close + (" " if after else "")
    text = re.sub(" {2,}", " ", text)
    if edge == "start":
        return text.lstrip(" ")
    if edge == "end":
        return text.rstrip(" ")
    return text


_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _respell(text: str, marked: Marked) -> str:
    """Characters the source spelled as entities or escapes, spelled so again; raw `&`
    and `<` of an HTML text are always escaped."""
    table = dict(_HTML_ESCAPES) if marked.syntax == "html" else {}
    table.update(marked.spellings)
    if not table or not any(ch in text for ch in table):
        return text
    return "".join(table.get(ch, ch) for ch in text)
