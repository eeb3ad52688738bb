"""A msgid's inline markup, taken apart into plain text and a tree of marks.

`parse("Ich nutze [Google](https://g.de) *jeden* Tag.", "markdown")` gives the plain
sentence `Ich nutze Google jeden Tag.` (what the engine translates) and two marks: a link
around `Google` and an emphasis around `jeden`, each holding its exact source delimiters,
so that putting them back (`l10n.markup.place`) writes the markup as the source spelled it.

Marks nest as a tree; a mark whose delimiters would cross another's (`*a <b>b* c</b>`) is
kept as two standalone marks (atoms) instead, so every tree can be written back balanced.
Atoms (`<br>`, an autolink, a stray tag) have no content: they sit between words. Code
(`` `ls` ``, `<code>`) is verbatim: the engine sees its text, the draft gets it unchanged.

Two syntaxes: "markdown" (CommonMark inline syntax and inline HTML) and "html" (tags and
entities only: an asterisk is an asterisk).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

Syntax = Literal["markdown", "html"]

VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                           "source", "track", "wbr"})
CODE_ELEMENTS = frozenset({"code", "kbd", "samp"})
# Elements that end a word even when no space stands beside them ("jeden<br>Tag").
_WORD_BREAKS = frozenset({"br", "hr", "img"})


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # emphasis, strong, link, image, element, code, atom
    open: str  # exact source text before the content ("**", "[", '<a href="x">')
    close: str  # exact source text after it ("**", "](x)", "</a>"); "" for an atom
    start: int  # content, as offsets into the plain text (start == end for an atom)
    end: int
    children: tuple[Mark, ...] = ()
    content: str = ""  # a code mark's source content, written back untranslated
    # An atom's spacing in the source: "jeden<br>Tag" stays glued, "a <br> b" spaced.
    space_before: bool = True
    space_after: bool = True
    # Its whole source text, where it wraps no words ("**<br>**"): written back as it is.
    whole: str = ""
    span: tuple[int, int] = (0, 0)  # where the whole mark stands in the msgid

    @property
    def atom(self) -> bool:
        return self.kind == "atom"

    @property
    def wordless(self) -> bool:
        """An atom, or a mark around markup only ("**<br>**"): it stands between words."""
        return self.kind == "atom" or bool(self.whole)

    @property
    def verbatim(self) -> bool:
        """Written back as `content`, not translated."""
        return self.kind == "code"


@dataclass(frozen=True, slots=True)
class Marked:
    source: str  # the msgid
    syntax: Syntax
    plain: str  # what the engine translates: no markup, entities and escapes decoded
    marks: tuple[Mark, ...]
    # How the source spelled characters the plain text holds decoded: "\xa0" → "&nbsp;"
    # (Markdown: "*" → "\\*"); the draft spells them the same way.
    spellings: dict[str, str] = field(default_factory=dict)
    # Where each plain character came from in the msgid: (start, end) offsets.
    origin: tuple[tuple[int, int], ...] = ()

    def source_of(self, start: int, end: int) -> tuple[int, int]:
        """The msgid's offsets of the plain text [start, end), the markup around left out."""
        if not self.origin:
            return start, end
        return self.origin[start][0], self.origin[end - 1][1]

    def walk(self) -> list[Mark]:
        out: list[Mark] = []
        stack = list(reversed(self.marks))
        while stack:
            mark = stack.pop()
            out.append(mark)
            stack.extend(reversed(mark.children))
        return out


def shape(marks: tuple[Mark, ...]) -> tuple[tuple[str, str, str, tuple[object, ...]], ...]:
    """What must survive translation: each mark's delimiters (and code), nested as they
    are; the order of siblings may change."""
    return tuple(sorted((m.kind, m.open, m.content + m.close, shape(m.children))
                        for m in marks))


# --- tokens ---------------------------------------------------------------------------------

@dataclass(slots=True)
class _Pair:
    kind: str
    open: tuple[int, int]  # source offsets of the opening delimiter
    close: tuple[int, int] | None  # of the closing one; None for an atom or code
    name: str = ""  # element name


# An attribute's quoted value may hold "<" and ">" (`<abbr title="über > 10">`).
_ATTRIBUTE = r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+{_ATTRIBUTE})*\s*(/?)>")
_COMMENT = re.compile(r"<!--[\s\S]*?-->")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_CODE_RUN = re.compile(r"`+")
_ESCAPABLE = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""


def parse(text: str, syntax: Syntax) -> Marked:
    """The plain text and marks of `text`, a msgid in `syntax`."""
    if not _may_hold_markup(text, syntax):
        return Marked(text, syntax, text, ())
    pairs: list[_Pair] = []
    literal: dict[int, tuple[int, str]] = {}  # source offset → (end, decoded text)
    if syntax == "markdown":
        _markdown_tokens(text, pairs, literal)
    else:
        _html_tokens(text, [(0, len(text))], pairs, literal)
    return _build(text, syntax, _nested(pairs), literal)


def _may_hold_markup(text: str, syntax: Syntax) -> bool:
    signs = "<&" if syntax == "html" else "<&*_`[\\"
    return any(sign in text for sign in signs)


def _html_tokens(text: str, ranges: list[tuple[int, int]], pairs: list[_Pair],
                 literal: dict[int, tuple[int, str]], *, entities: bool = True) -> None:
    """Tags (paired by name, innermost first), comments and entities in the `ranges` of
    `text`: a tag may open in one and close in another (across a code span)."""
    open_tags: list[_Pair] = []
    for start, end in ranges:
        _html_range(text, start, end, pairs, literal, open_tags, entities=entities)
    pairs.extend(_Pair("atom", p.open, None, p.name) for p in open_tags)


def _html_range(text: str, start: int, end: int, pairs: list[_Pair],
                literal: dict[int, tuple[int, str]], open_tags: list[_Pair], *,
                entities: bool) -> None:
    pos = start
    while pos < end:
        at = text.find("<", pos, end)
        amp = text.find("&", pos, end) if entities else -1
        if amp >= 0 and (at < 0 or amp < at):
            entity = _ENTITY.match(text, amp)
            if entity and entity.end() <= end:
                literal[amp] = (entity.end(), html.unescape(entity.group()))
                pos = entity.end()
            else:
                pos = amp + 1
            continue
        if at < 0:
            break
        comment = _COMMENT.match(text, at)
        tag = _TAG.match(text, at) if comment is None else None
        if comment is not None and comment.end() <= end:
            pairs.append(_Pair("atom", comment.span(), None))
            pos = comment.end()
            continue
        if tag is None or tag.end() > end:
            pos = at + 1  # a stray "<" is text
            continue
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            opener = next((p for p in reversed(open_tags) if p.name == name), None)
            if opener is None:
                pairs.append(_Pair("atom", tag.span(), None, name))
            else:
                # Tags left open inside this one are standalone: a stray <b> stays itself.
                while open_tags[-1] is not opener:
                    stray = open_tags.pop()
                    pairs.append(_Pair("atom", stray.open, None, stray.name))
                open_tags.pop()
                opener.close = tag.span()
                opener.kind = "code" if name in CODE_ELEMENTS else "element"
                pairs.append(opener)
        elif self_closing or name in VOID_ELEMENTS:
            pairs.append(_Pair("atom", tag.span(), None, name))
        else:
            open_tags.append(_Pair("element", tag.span(), None, name))
        pos = tag.end()


def _markdown_tokens(text: str, pairs: list[_Pair], literal: dict[int, tuple[int, str]]
                     ) -> None:
    """CommonMark's inline constructs: code spans, autolinks, HTML, escapes, links, images
    and emphasis (after the spec's delimiter algorithm, simplified where it does not
    matter for whole sentences)."""
    taken = [False] * (len(text) + 1)  # inside a code span, autolink, tag or escape

    def take(start: int, end: int) -> None:
        for i in range(start, end):
            taken[i] = True

    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] in _ESCAPABLE:
            literal[pos] = (pos + 2, text[pos + 1])
            take(pos, pos + 2)
            pos += 2
        elif ch == "`":
            run = _CODE_RUN.match(text, pos)
            assert run is not None
            close = _closing_run(text, run.end(), run.group())
            if close < 0:
                take(pos, run.end())  # an unmatched run of backticks is literal
                pos = run.end()
                continue
            pairs.append(_Pair("code", (pos, run.end()), (close, close + len(run.group()))))
            take(pos, close + len(run.group()))
            pos = close + len(run.group())
        elif ch == "<":
            auto = _AUTOLINK.match(text, pos)
            if auto is not None:
                pairs.append(_Pair("atom", auto.span(), None))
            found = auto or _COMMENT.match(text, pos) or _TAG.match(text, pos)
            if found is None:
                pos += 1
                continue
            take(pos, found.end())
            pos = found.end()
        elif ch == "&":
            entity = _ENTITY.match(text, pos)
            if entity:
                literal[pos] = (entity.end(), html.unescape(entity.group()))
                take(pos, entity.end())
                pos = entity.end()
            else:
                pos += 1
        else:
            pos += 1

    # Inline HTML outside code spans, paired as in HTML (an autolink is no tag).
    _html_tokens(text, _outside_code(pairs, len(text)), pairs, literal, entities=False)
    _links(text, taken, pairs)
    _emphasis(text, taken, pairs)


def _outside_code(pairs: list[_Pair], length: int) -> list[tuple[int, int]]:
    """Source ranges outside code spans and autolinks."""
    skipped = sorted((p.open[0], p.close[1] if p.close else p.open[1]) for p in pairs)
    out, pos = [], 0
    for start, end in skipped:
        out.append((pos, start))
        pos = end
    out.append((pos, length))
    return [(s, e) for s, e in out if e > s]


def _closing_run(text: str, start: int, run: str) -> int:
    """Where the backtick run closing a code span opened by `run` starts, or -1."""
    for match in _CODE_RUN.finditer(text, start):
        if match.group() == run:
            return match.start()
    return -1


_LINK_TAIL = re.compile(
    r"\(\s*(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|\[[^\[\]]*\]")


def _links(text: str, taken: list[bool], pairs: list[_Pair]) -> None:
    """`[text](target)`, `[text][ref]` and images: the text stays, the rest is markup."""
    openers: list[int] = []
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if taken[pos]:
            pos += 1
            continue
        if ch == "[":
            openers.append(pos)
        elif ch == "]" and openers:
            start = openers.pop()
            tail = _LINK_TAIL.match(text, pos + 1)
            if tail is not None and not any(taken[tail.start():tail.end()]):
                image = start > 0 and text[start - 1] == "!" and not taken[start - 1]
                begin = start - 1 if image else start
                pairs.append(_Pair("image" if image else "link", (begin, start + 1),
                                   (pos, tail.end())))
                for i in range(tail.start(), tail.end()):
                    taken[i] = True
                taken[start] = taken[pos] = True
                if image:
                    taken[begin] = True
                else:
                    # Links do not nest in links; an image's description may hold one.
                    openers[:] = [o for o in openers if o > 0 and text[o - 1] == "!"
                                  and not taken[o - 1]]
                pos = tail.end()
                continue
        pos += 1


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    punct_before = _punctuation(before)
    punct_after = _punctuation(after)
    left = not after.isspace() and (not punct_after or before.isspace() or punct_before)
    right = not before.isspace() and (not punct_before or after.isspace() or punct_after)
    if text[start] == "_":
        return left and (not right or punct_before), right and (not left or punct_after)
    return left, right


def _punctuation(ch: str) -> bool:
    return not ch.isalnum() and not ch.isspace()


@dataclass(slots=True)
class _Run:
    char: str
    start: int
    end: int  # shrinks from both sides as delimiters are used
    can_open: bool
    can_close: bool
    length: int  # original length (the rule of three)


def _emphasis(text: str, taken: list[bool], pairs: list[_Pair]) -> None:
    runs: list[_Run] = []
    for match in re.finditer(r"\*+|_+", text):
        start, end = match.span()
        if any(taken[start:end]):
            continue
        can_open, can_close = _flanking(text, start, end)
        if can_open or can_close:
            runs.append(_Run(match.group()[0], start, end, can_open, can_close, end - start))
    # Emphasis is matched within one link text or outside all links, not across.
    scopes = [(p.open[1], p.close[0]) for p in pairs if p.kind in ("link", "image") and p.close]

    def scope(at: int) -> tuple[int, int] | None:
        inner = [s for s in scopes if s[0] <= at < s[1]]
        return min(inner, key=lambda s: s[1] - s[0]) if inner else None

    found: list[_Pair] = []
    for index, closer in enumerate(runs):
        while closer.can_close and closer.end > closer.start:
            opener = _opener_for(runs, index, closer, scope)
            if opener is None:
                break
            use = 2 if (opener.end - opener.start >= 2 and closer.end - closer.start >= 2) else 1
            opener.end -= use
            found.append(_Pair("strong" if use == 2 else "emphasis",
                               (opener.end, opener.end + use),
                               (closer.start, closer.start + use)))
            closer.start += use
            # Runs between a matched pair can no longer match outside it.
            for between in runs[runs.index(opener) + 1:index]:
                between.can_open = between.can_close = False
    pairs.extend(found)


def _opener_for(runs: list[_Run], index: int, closer: _Run, scope) -> _Run | None:  # type: ignore[no-untyped-def]
    for opener in reversed(runs[:index]):
        if opener.char != closer.char or not opener.can_open or opener.end <= opener.start:
            continue
        if scope(opener.start) != scope(closer.start):
            continue
        both = opener.can_close or closer.can_open
        if both and (opener.length + closer.length) % 3 == 0 and not (
                opener.length % 3 == 0 and closer.length % 3 == 0):
            continue
        return opener
    return None


# --- the tree -------------------------------------------------------------------------------

def _nested(pairs: list[_Pair]) -> list[_Pair]:
    """Pairs that nest properly; a pair crossing an earlier-kept one becomes two atoms."""
    kept: list[_Pair] = []
    # Outer pairs first (earlier start, later end), so that inner ones are tested against them.
    for pair in sorted(pairs, key=lambda p: (p.open[0], -(_outer_end(p)))):
        if pair.close is None or all(_compatible(pair, k) for k in kept if k.close):
            kept.append(pair)
        else:
            kept.append(_Pair("atom", pair.open, None, pair.name))
            kept.append(_Pair("atom", pair.close, None, pair.name))
    return kept


def _outer_end(pair: _Pair) -> int:
    return pair.close[1] if pair.close else pair.open[1]


def _compatible(a: _Pair, b: _Pair) -> bool:
    """Disjoint, or one strictly inside the other's content."""
    a0, a1 = a.open[0], _outer_end(a)
    b0, b1 = b.open[0], _outer_end(b)
    if a1 <= b0 or b1 <= a0:
        return True
    assert a.close and b.close
    inside = lambda x, y: x.open[0] >= y.open[1] and _outer_end(x) <= y.close[0]  # noqa: E731
    return inside(a, b) or inside(b, a)


def _build(text: str, syntax: Syntax, pairs: list[_Pair],
           literal: dict[int, tuple[int, str]]) -> Marked:
    """Walk the source once, writing the plain text and noting each mark's plain offsets."""
    delimiters: dict[int, tuple[int, _Pair, bool]] = {}  # start → (end, pair, opens)
    for pair in pairs:
        delimiters[pair.open[0]] = (pair.open[1], pair, True)
        if pair.close:
            delimiters[pair.close[0]] = (pair.close[1], pair, False)
    plain: list[str] = []
    length = 0
    starts: dict[int, int] = {}  # id(pair) → plain offset where its content starts
    ends: dict[int, int] = {}
    spellings: dict[str, str] = {}
    origin: list[tuple[int, int]] = []
    code_end = -1  # inside code, entities and escapes are what they are
    pos = 0
    while pos < len(text):
        if pos in delimiters:
            end, pair, opens = delimiters[pos]
            (starts if opens else ends)[id(pair)] = length
            if pair.name in _WORD_BREAKS and plain and not plain[-1].isspace():
                plain.append(" ")
                origin.append((pos, pos))
                length += 1
            if opens and pair.kind == "code" and pair.close:
                code_end = pair.close[0]
            pos = end
            continue
        if pos in literal and pos >= code_end:
            end, decoded = literal[pos]
            spellings.setdefault(decoded, text[pos:end])
            plain.append(decoded)
            origin.extend([(pos, end)] * len(decoded))
            length += len(decoded)
            pos = end
            continue
        plain.append(text[pos])
        origin.append((pos, pos + 1))
        length += 1
        pos += 1
    joined = "".join(plain)
    return Marked(text, syntax, joined, _tree(text, joined, pairs, starts, ends), spellings,
                  tuple(origin))


def _tree(text: str, plain: str, pairs: list[_Pair], starts: dict[int, int],
          ends: dict[int, int]) -> tuple[Mark, ...]:
    ordered = sorted(pairs, key=lambda p: (p.open[0], -_outer_end(p)))

    def make(pair: _Pair, children: tuple[Mark, ...]) -> Mark:
        start = starts[id(pair)]
        end = ends.get(id(pair), start)
        if pair.close is None:
            begin, end = pair.open
            return Mark("atom", text[begin:end], "", start, start,
                        space_before=begin == 0 or text[begin - 1].isspace(),
                        space_after=end == len(text) or text[end].isspace(),
                        span=(begin, end))
        content = text[pair.open[1]:pair.close[0]] if pair.kind == "code" else ""
        whole = text[pair.open[0]:pair.close[1]] if not plain[start:end].strip() else ""
        return Mark(pair.kind, text[pair.open[0]:pair.open[1]],
                    text[pair.close[0]:pair.close[1]], start, end, children, content,
                    whole=whole, span=(pair.open[0], pair.close[1]))

    def build(items: list[_Pair]) -> tuple[Mark, ...]:
        out: list[Mark] = []
        index = 0
        while index < len(items):
            pair = items[index]
            inner: list[_Pair] = []
            index += 1
            while pair.close and index < len(items) and items[index].open[0] < pair.close[0]:
                inner.append(items[index])
                index += 1
            out.append(make(pair, build(inner) if pair.kind != "code" else ()))
        return tuple(out)

    return build(ordered)
