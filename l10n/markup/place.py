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
from dataclasses import dataclass, field

from l10n.markup.align import WEIGHTS, Alignment, Matrix, Weights
from l10n.markup.inline import Mark, Marked, parse, shape

_WORD = re.compile(r"\S+")
# Punctuation a mark does not wrap unless its source content did: "*Krieg*." not "*war.*".
_LEADING = re.compile(r"^[\"'“”„‘’‚»«‹›(\[¿¡]+")
_TRAILING = re.compile(r"[\"'“”‘’»«‹›)\].,;:!?…]+$")


@dataclass(frozen=True)
class Placed:
    text: str
    notes: tuple[str, ...] = ()  # why a reviewer should look at the markup


@dataclass(eq=False)  # ranges are told apart by identity
class _Range:
    mark: Mark
    start: int  # target words [start, end); start == end for an atom (a gap index)
    end: int
    depth: int
    children: list[_Range] = field(default_factory=list)
    host: _Range | None = None  # the sibling whose words it had to share, inside it


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


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
        return Placed(_respell(target, marked))
    src_spans = words(marked.plain)
    tgt_spans = words(target)
    if not tgt_spans:  # nothing to put markup around ("** " is no emphasis): as it came
        return Placed(target, ("the translation has no words: its markup is left out",))
    if alignment is None:
        alignment = aligned(marked, target, attention, weights=weights, trust=trust)
    notes: list[str] = []
    if not alignment.sure:
        notes.append("markup placed without the engine's word alignment")
    copies = _copied_words(marked, src_spans, alignment, notes)
    placer = _Placer(marked, src_spans, alignment, notes, copies.dropped)
    ranges = placer.assign(marked.marks, 0, len(tgt_spans), 0)
    wanted = _shape(ranges, copies.holds)
    # Markdown reads delimiters by what stands beside them: a span that takes in
    # punctuation may stop being one. Then the marks go tight around the words instead.
    text = _write(target, tgt_spans, ranges, marked, copies.words)
    if shape(parse(text, marked.syntax).marks) != wanted:
        tight = _write(target, tgt_spans, ranges, marked, copies.words, punctuation=False)
        if shape(parse(tight, marked.syntax).marks) == wanted:
            text = tight
        else:
            notes.append("markup placed, but it may not read as in the source")
    return Placed(text, tuple(notes))


@dataclass
class _Copies:
    """Words the translation copied with markup inside them (`H<sub>2</sub>O`)."""

    words: dict[int, str] = field(default_factory=dict)  # target word → the source's text
    dropped: set[int] = field(default_factory=set)  # ids of the marks that text holds
    # The marks each copied word holds, by the id of the mark they stand in (None: top).
    holds: dict[int | None, list[Mark]] = field(default_factory=dict)


def _copied_words(marked: Marked, src_spans: list[tuple[int, int]], alignment: Alignment,
                  notes: list[str]) -> _Copies:
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
    copies = _Copies()
    for s, (a, b) in enumerate(src_spans):
        word = marked.plain[a:b]
        a += _edge(_LEADING, word)
        b -= _edge(_TRAILING, marked.plain[a:b])
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
                 and (codelike or _core(alignment.target[t]) == marked.plain[a:b])]
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


def _core(word: str) -> str:
    start = _edge(_LEADING, word)
    return word[start:len(word) - _edge(_TRAILING, word[start:])]


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

    def assign(self, marks: tuple[Mark, ...], lo: int, hi: int, depth: int) -> list[_Range]:
        ranges = [self._wanted(mark, lo, hi, depth) for mark in marks
                  if id(mark) not in self.copied]
        # Marks between words (atoms, code aligned to nothing) take no words from others.
        standing = [r for r in ranges if r.mark.wordless or r.end <= r.start]
        spans = sorted((r for r in ranges if r not in standing), key=lambda r: (r.start, r.end))
        self._side_by_side(spans, lo, hi)
        for r in ranges:
            if r in standing:
                r.start = r.end = self._gap_outside(r.start, spans, lo, hi)
            elif r.mark.children and not r.mark.verbatim:
                r.children = self.assign(r.mark.children, r.start, r.end, depth + 1)
        for r in ranges:
            if r.host is not None:
                r.depth = r.host.depth + 1
                _deepen(r)
                r.host.children.append(r)
        return [r for r in ranges if r.host is None]

    def _wanted(self, mark: Mark, lo: int, hi: int, depth: int) -> _Range:
        words = self.source_words(mark)
        if mark.wordless:
            if _glued_to_punctuation(mark, self.marked) and words and words.start > 0:
                # "unter <https://x.de>.": the "." is no word to stand before; the atom
                # goes after the word before it ("at <https://x.de>.").
                targets = self.alignment.targets(range(words.start - 1, words.start))
                gap = max(lo, min(hi, targets[-1] + 1 if targets else hi))
            else:
                gap = self._gap_before(words, lo, hi)
            return _Range(mark, gap, gap, depth)
        # Code replaces the words it was translated to: only words truly aligned to it.
        found = [t for t in self.alignment.targets(words, strict=mark.verbatim) if lo <= t < hi]
        if not found and mark.verbatim:  # code replaces words: never the whole sentence
            gap = self._gap_before(words, lo, hi)
            return _Range(mark, gap, gap, depth)
        if not found:
            if hi > lo:
                where = "the whole sentence" if depth == 0 else "its parent's words"
                self.notes.append(f"markup {_shown(mark)} put around {where} "
                                  "(alignment unsure)")
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
        """Make sibling ranges disjoint and non-empty, each as close to its wish as the
        others let it. Where words are short, code gives up its words first (it needs
        none), then elements and links stand empty, then emphasis goes inside a sibling."""
        rest = list(spans)
        for r in spans:
            if r.mark.verbatim and any(o is not r and o.start < r.end and r.start < o.end
                                       for o in spans):
                r.end = r.start
                rest.remove(r)
        hosted: list[_Range] = []
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
    def _gap_outside(gap: int, spans: list[_Range], lo: int, hi: int) -> int:
        """An atom between siblings, not inside one: move it to the nearer edge."""
        for r in spans:
            if r.start < gap < r.end:
                return r.start if gap - r.start <= r.end - gap else r.end
        return max(lo, min(hi, gap))


def _shape(ranges: list[_Range], holds: dict[int | None, list[Mark]],
           parent: int | None = None) -> tuple[tuple[str, str, str, tuple[object, ...]], ...]:
    """`inline.shape` of the marks as placed (one may have had to go inside a sibling),
    with the marks copied words hold where they stood."""
    out = list(shape(tuple(holds.get(parent, ()))))
    for r in ranges:
        out.append((r.mark.kind, r.mark.open, r.mark.content + r.mark.close,
                    _shape(r.children, holds, id(r.mark))))
    return tuple(sorted(out))


def _deepen(r: _Range) -> None:
    for child in r.children:
        child.depth = r.depth + 1
        _deepen(child)


def _may_be_empty(mark: Mark, marked: Marked) -> bool:
    """Whether the mark still reads as itself around nothing: an HTML element or a link
    does ("<em></em>", "[](url)"); Markdown emphasis does not ("****" is text)."""
    return marked.syntax == "html" or mark.kind in ("link", "image", "element")


def _glued_to_punctuation(mark: Mark, marked: Marked) -> bool:
    """An atom written right before the punctuation that ends its sentence or clause, as
    `<https://x.de>.` or `Bild<br>,`: in the plain text only punctuation follows it."""
    if not mark.atom or mark.space_after:
        return False
    rest = marked.plain[mark.start:]
    word = rest.split(maxsplit=1)[0] if rest.strip() else ""
    return bool(word) and not any(ch.isalnum() for ch in word)


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


# --- writing --------------------------------------------------------------------------------

def _write(target: str, spans: list[tuple[int, int]], ranges: list[_Range], marked: Marked,
           copies: dict[int, str], *, punctuation: bool = True) -> str:
    n = len(spans)
    texts = [target[s:e] for s, e in spans]
    # Each word's leading and trailing punctuation: a mark takes as much of it inside as its
    # source content had ("„*Es gibt keinen Weg.*“" → "“*There is no way.*”").
    lead = [_edge(_LEADING, t) for t in texts]
    trail = [_edge(_TRAILING, t[lead[i]:]) for i, t in enumerate(texts)]
    inserts: list[list[tuple[int, int, float, int, str]]] = [[] for _ in range(n)]  # per word
    # First word → (end, what is written instead): code, or a copied word as the source had it.
    replaced: dict[int, tuple[int, str]] = {t: (t + 1, text) for t, text in copies.items()}
    gaps: dict[int, list[Mark]] = {}

    def visit(r: _Range, floor: int, ceiling: int, order: int = 0) -> None:
        """Place `r`; `floor`/`ceiling`: where its parent opens in its first word and closes
        in its last, when they share those words (a child must stay inside)."""
        mark = r.mark
        if mark.atom and r.start == r.end and 0 < r.start <= n and \
                _glued_to_punctuation(mark, marked):
            # After the word before it, before that word's punctuation if it has some (the
            # punctuation that followed it in the source).
            word = r.start - 1
            before = " " if mark.space_before else ""
            # After the ends of marks closing there (their keys are ≤ 0), before openings.
            inserts[word].append((len(texts[word]) - trail[word], 0, 1, order,
                                  before + _standalone(mark)))
            return
        if mark.wordless or r.start >= r.end:  # no words: the markup stands at the gap
            gaps.setdefault(r.start, []).append(mark)
            return
        content = marked.plain[mark.start:mark.end]
        first, last = r.start, r.end - 1
        opening = lead[first] - min(lead[first], _edge(_LEADING, content))
        closing = len(texts[last]) - trail[last] + min(trail[last], _edge(_TRAILING, content))
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
                written = _standalone(child.mark)
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
            out.append(_gap(_respell(target[spans[i - 1][1]:spans[i][0]], marked),
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


def _edge(pattern: re.Pattern[str], text: str) -> int:
    """Length of the punctuation `pattern` finds at the edge of `text`, never the whole."""
    found = pattern.search(text)
    if found is None or len(found.group()) >= len(text):
        return 0
    return len(found.group())


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
        return _respell(piece, marked)
    left = _respell(word[at:max(at, start)], marked)
    middle = word[max(at, start):min(at + len(piece), end)]
    right = _respell(word[min(at + len(piece), end):at + len(piece)], marked)
    return left + middle + right


def _standalone(mark: Mark) -> str:
    """A mark that wraps no words of the translation, as the source wrote it."""
    inner = "".join(_standalone(child) for child in mark.children)
    return mark.whole or mark.open + mark.content + inner + mark.close


def _gap(space: str, marks: list[Mark], edge: str = "") -> str:
    """The whitespace between two words (or at an edge), with the marks standing there."""
    if not marks:
        return space
    text = ""
    for mark in marks:
        before = mark.space_before if mark.atom else True
        after = mark.space_after if mark.atom else True
        text += (" " if before else "") + _standalone(mark) + (" " if after else "")
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
