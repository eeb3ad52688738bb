"""German sentence segmentation with exact character offsets.

The rules are the Moses sentence splitter's (package `sentence-splitter`, German
non-breaking prefixes), which measured best on German news here (see DESIGN.md). Around
it:

* Typographic quotes are mapped to ASCII ones before splitting. Moses decides with the
  Unicode classes Initial/Final_Punctuation, but German closes a quote with “ (an
  *initial* quote in Unicode) and French-style »…« the other way round, so `voraus.“
  Leider` would not split. Every replacement is one character for one character, so
  offsets do not move.
* All whitespace, newlines included, is mapped to a plain space: Moses only knows spaces
  and treats a newline as a sentence break.
* The splitter returns strings with spaces collapsed. It only ever breaks at a run of
  spaces and never drops a word, so the i-th sentence is a run of whole whitespace-
  separated words; counting its words maps it back onto the source. Each sentence is
  checked against those words; if the library ever breaks that promise, words are
  grouped by character counts instead (_align), so no text is lost.
* The German prefix list is adjusted (_EXTRA_PREFIXES, _DROPPED_PREFIXES).

Small rules on top (none costs a boundary on the gold data in tests/data/segmentation;
`Hl.` and `III. Die` there are each fixed by one of the adjustments): a blank
line always ends a sentence; a gap made only of no-break spaces never does
(`z.\u00a0B.`); a number of three digits or more keeps its ordinal noun (`100.
Geburtstag`); a small number or Roman numeral followed by an article or pronoun ends a
sentence (`auf 12. Die Polizei`); and no gap inside a `protected` span is a boundary.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentence_splitter import SentenceSplitter

__all__ = ["split_sentences"]

Span = tuple[int, int]

# One character for one character, so offsets survive the mapping.
_QUOTES = "\u201e\u201c\u201d\u201f\u00ab\u00bb\u201a\u2018\u2019\u201b\u2039\u203a"
_ASCII_QUOTES = '"' * 6 + "'" * 6
# Every character for which str.isspace() (and so re's \s) is true, except the space.
_WHITESPACE = (
    "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_TRANSLATION = str.maketrans(_QUOTES + _WHITESPACE, _ASCII_QUOTES + " " * len(_WHITESPACE))

# A writer who typed a no-break space meant "do not break here".
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_WINDOW = 4000
_CONTEXT = 3  # words each side of a gap that Moses may look at, with a margin
_KEEP = 16  # characters kept at each end of a very long token, see _split_window
_LONG_WORD = re.compile(rf"\S{{{2 * _KEEP + 1},}}")
# A paragraph break: a newline, optional horizontal space, another newline.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


# German abbreviations missing from the Moses list; none of them is a word that can end a
# sentence. Moses never breaks after these when a period follows them directly.
_EXTRA_PREFIXES = """
Abb Abk Abs Anh Anm Aufl Bd Bde Bsp bspw Dez Dipl ebd ehem eigtl einschl entspr evang
Fa Febr geb gegr gem gest ggü Hbf Hl hl Hr Hrn Hrsg hrsg Ing inkl insb Jh Jhd Jhdt Kap
kath lt Nrn Pfr röm Str Tel Tsd urspr Verf verh Vors zit Ziff zw zz zzgl
"""
# Entries of the Moses list that are also German words able to end a sentence ("auf seine
# Art.", "einen Bart.", "an BSE.", "der SA."): dropped, or kept only before a number
# (`Art. 5 GG`).
_DROPPED_PREFIXES = frozenset({"Art", "Bart", "BSE", "SA"})
_NUMERIC_ONLY_PREFIXES = ("Art",)

# An ordinal above 99 (Moses already keeps `1.` to `99.`) before a noun that wants one:
# `zum 100. Geburtstag`, `das 175. Jubiläum`, `zum 1000. Mal`.
_ORDINAL_END = re.compile(r"(?<![\w.])\d{3,}\.\Z")
_ORDINAL_REACH = 24  # characters before a boundary worth looking at for _ORDINAL_END
_ORDINAL_NOUN = re.compile(
    r"(?:Geburtstag|Jahrestag|Todestag|Spieltag|Jubiläum|Jahrhundert|Jahrtausend)"
    r"(?:e|es|s|en|n)?\b|(?:Male?|Ausgabe|Auflage|Sitzung|Minute|Folge)\b"
)

# Moses never breaks after 1. to 99. or a Roman numeral, so that `am 10. Februar` and
# `Ludwig XIV.` stay whole; but an ordinal is followed by a noun or an adjective, never by
# an article, a pronoun or a sentence adverb, so before one of those it is a number that
# ends a sentence: `stieg auf 12. Die Polizei`, `Thutmosis III. Die älteste`.
_NUMBER_THEN_SENTENCE = re.compile(
    r"(?<![\w.])(?:\d{1,2}|[IVX]{1,5})\.(?=\s+(?:"
    r"Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Einem|Einer|Eines|"
    r"Ich|Du|Er|Sie|Es|Wir|Ihr|Man|Dies|Diese|Dieser|Dieses|Diesen|Diesem|"
    r"Aber|Auch|Dann|Danach|Daher|Dabei|Damit|Deshalb|Doch|Jedoch|Nun|Jetzt|Und|Oder|"
    r"Trotzdem|Zudem|Außerdem|Allerdings|Inzwischen|Bisher"
    r")\s)"
)


class _CompiledPatterns:
    """Stands in for the `regex` module inside sentence_splitter, whose `split` calls
    regex.search/sub with pattern strings some 60 times a paragraph: regex's own cache
    lookup (flag arithmetic on every call) cost twice the matching itself. Same patterns,
    same flags, each compiled once."""

    def __init__(self, module: Any) -> None:
        self._module = module
        self._compiled: dict[tuple[str, Any], Any] = {}

    def _get(self, pattern: str, flags: Any) -> Any:
        compiled = self._compiled.get((pattern, flags))
        if compiled is None:
            compiled = self._compiled[pattern, flags] = self._module.compile(pattern, flags)
        return compiled

    def search(self, pattern: str, string: str, flags: Any = 0) -> Any:
        return self._get(pattern, flags).search(string)

    def match(self, pattern: str, string: str, flags: Any = 0) -> Any:
        return self._get(pattern, flags).match(string)

    def sub(self, pattern: str, repl: str, string: str, count: int = 0,
            flags: Any = 0) -> str:
        return self._get(pattern, flags).sub(repl, string, count)  # type: ignore[no-any-return]

    def split(self, pattern: str, string: str, maxsplit: int = 0,
              flags: Any = 0) -> list[str]:
        return self._get(pattern, flags).split(string, maxsplit)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


@lru_cache(maxsize=1)
def _splitter() -> SentenceSplitter:
    # Imported and built lazily and once: commands that never segment should not pay for
    # the imports and the prefix file.
    import tempfile
    from importlib import resources

    import regex
    import sentence_splitter
    from sentence_splitter import SentenceSplitter

    if getattr(sentence_splitter, "regex", None) is regex:
        sentence_splitter.regex = _CompiledPatterns(regex)  # type: ignore[attr-defined]

    # The constructor only takes a file, so the adjusted list goes through a temporary one.
    default = resources.files("sentence_splitter") / "non_breaking_prefixes" / "de.txt"
    lines = [
        line
        for line in default.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip() not in _DROPPED_PREFIXES
    ]
    lines += _EXTRA_PREFIXES.split()
    lines += [f"{prefix} #NUMERIC_ONLY#" for prefix in _NUMERIC_ONLY_PREFIXES]
    try:
        with tempfile.TemporaryDirectory(prefix="l10n-segment-") as folder:
            path = Path(folder) / "de.txt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return SentenceSplitter(language="de", non_breaking_prefix_file=str(path))
    except OSError:
        # No writable temporary folder: the stock list is nearly as good.
        return SentenceSplitter(language="de")


def split_sentences(text: str, *, protected: Sequence[Span] = ()) -> list[Span]:
    """Return the (start, end) character span of each sentence of German `text`.

    `text[start:end]` is the sentence without surrounding whitespace; only whitespace lies
    between consecutive spans, and before the first and after the last. Newlines inside a
    paragraph count as spaces; a blank line always ends a sentence. No boundary is put
    inside any of the `protected` (start, end) spans: the sentences around it are merged.
    Text with no words gives [].
    """
    spans: list[Span] = []
    start = 0
    for blank in _BLANK_LINE.finditer(text):
        spans.extend(_split_paragraph(text, start, blank.start()))
        start = blank.end()
    spans.extend(_split_paragraph(text, start, len(text)))
    return _merge(text, _split_after_numbers(text, spans), protected)


def _split_paragraph(text: str, start: int, end: int) -> list[Span]:
    """Split text[start:end], a long one window by window.

    Moses builds its output by repeated string concatenation, which is quadratic in the
    length of its input, so a paragraph longer than _WINDOW characters goes through in
    windows of about that size. Moses decides a gap between two words from at most two
    words on either side (`?` `“` | `(` `Der`), so consecutive windows overlap by
    2 * _CONTEXT words and each gap is taken from the window where it has _CONTEXT words
    on both sides: the result is exactly that of the whole paragraph.
    """
    if end - start <= _WINDOW:
        return _split_window(text, start, end)
    gaps: list[Span] = []
    window = start
    decided = -1  # gaps where the next sentence starts up to here are taken already
    while True:
        cut = _window_end(text, window, end)
        found = _split_window(text, window, cut)
        if cut >= end:
            gaps += [(a[1], b[0]) for a, b in pairwise(found) if b[0] > decided]
            break
        starts = [word.start() for word in _WORD.finditer(text, window, cut)]
        middle = starts[-_CONTEXT]
        gaps += [(a[1], b[0]) for a, b in pairwise(found) if decided < b[0] <= middle]
        decided = middle
        window = starts[-2 * _CONTEXT]
    first = _WORD.search(text, start, end)
    if first is None:
        return []
    spans: list[Span] = []
    sentence = first.start()
    for sentence_end, next_start in gaps:
        spans.append((sentence, sentence_end))
        sentence = next_start
    spans.append((sentence, start + len(text[start:end].rstrip())))
    return spans


def _window_end(text: str, window: int, end: int) -> int:
    """Where the window starting at `window` ends: whitespace near window + _WINDOW.

    The window holds 2 * _CONTEXT + 1 words at least, so that the next one, which starts
    2 * _CONTEXT words before its end, starts further on.
    """
    limit = window + _WINDOW
    if limit >= end:
        return end
    cut = next((i for i in range(limit, window + _WINDOW // 2, -1) if text[i].isspace()), -1)
    if cut < 0:
        space = _SPACE.search(text, limit, end)
        cut = end if space is None else space.start()
    words = list(islice(_WORD.finditer(text, window, end), 2 * _CONTEXT + 1))
    return end if len(words) <= 2 * _CONTEXT else max(cut, words[-1].end())


def _split_window(text: str, start: int, end: int) -> list[Span]:
    mapped = text[start:end].translate(_TRANSLATION)
    words = [m.span() for m in _WORD.finditer(mapped)]
    if not words:
        return []
    # Moses' regular expressions backtrack quadratically inside a long run of dots or
    # quotes; only a token's ends matter to its rules, so the middle of a long one is
    # replaced by letters.
    mapped = _LONG_WORD.sub(_shorten, mapped)
    sentences = _splitter().split(mapped)
    spans: list[Span] = []
    i = 0
    for sentence in sentences:
        n = sentence.count(" ") + 1
        if i + n > len(words) or sentence != " ".join(mapped[a:b] for a, b in words[i : i + n]):
            return _align(words, sentences, start)
        spans.append((start + words[i][0], start + words[i + n - 1][1]))
        i += n
    if i != len(words):
        return _align(words, sentences, start)
    return spans


def _shorten(match: re.Match[str]) -> str:
    word = match[0]
    return word[:_KEEP] + "x" * (len(word) - 2 * _KEEP) + word[-_KEEP:]


def _align(words: list[Span], sentences: list[str], offset: int) -> list[Span]:
    """Group words into sentences by counting non-space characters.

    Only reached if the splitter ever stops returning whole, unchanged words. A sentence
    that ends inside a word is extended to the end of that word, and words left over join
    the last sentence, so no text is lost and spans stay whitespace-separated.
    """
    targets: list[int] = []
    total = 0
    for sentence in sentences:
        total += len(sentence) - sum(ch.isspace() for ch in sentence)
        if not targets or total > targets[-1]:
            targets.append(total)
    spans: list[Span] = []
    seen = 0
    k = 0
    group_start: int | None = None
    for a, b in words:
        if group_start is None:
            group_start = a
        seen += b - a
        if k < len(targets) - 1 and seen >= targets[k]:
            spans.append((offset + group_start, offset + b))
            group_start = None
            while k < len(targets) - 1 and targets[k] <= seen:
                k += 1
    if group_start is not None:
        spans.append((offset + group_start, offset + words[-1][1]))
    return spans


def _split_after_numbers(text: str, spans: list[Span]) -> list[Span]:
    """Break where _NUMBER_THEN_SENTENCE finds a number ending a sentence."""
    result: list[Span] = []
    for start, end in spans:
        for number in _NUMBER_THEN_SENTENCE.finditer(text, start, end):
            following = _WORD.search(text, number.end(), end)
            if following is not None:  # always, by the lookahead
                result.append((start, number.end()))
                start = following.start()
        result.append((start, end))
    return result


def _merge(text: str, spans: list[Span], protected: Sequence[Span]) -> list[Span]:
    """Join sentences whose gap may not be a boundary."""
    if len(spans) < 2:
        return spans
    ranges = sorted((s, e) for s, e in protected if e > s)
    starts = [s for s, _ in ranges]
    # Longest reach of any protected span starting at or before index i.
    reach: list[int] = []
    furthest = -1
    for _, e in ranges:
        furthest = max(furthest, e)
        reach.append(furthest)

    merged = [spans[0]]
    for start, end in spans[1:]:
        gap_start = merged[-1][1]
        gap = text[gap_start:start]
        keep = all(ch in _NO_BREAK_SPACES for ch in gap) or (
            text[gap_start - 2].isdigit()
            and _ORDINAL_END.search(text, max(merged[-1][0], gap_start - _ORDINAL_REACH), gap_start)
            is not None
            and _ORDINAL_NOUN.match(text, start) is not None
        )
        if not keep and ranges:
            # A protected span [s, e) forbids the gap [gap_start, start) if they overlap.
            i = bisect.bisect_left(starts, start) - 1
            keep = i >= 0 and reach[i] > gap_start
        if keep:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
