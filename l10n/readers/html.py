"""HTML articles (a CMS export: a whole page or a fragment), read with `html.parser`.

The translated blocks are the title, headings, paragraphs, list items, the own text of block
quotes, figure captions, table cells and definition lists (`html_elements.BLOCK_KINDS`).
A block's inline markup stays in its msgids as written, entities included: translators see
`<a href="…">` and `&nbsp;` and give them back. Sentence boundaries never fall inside a tag
or an inline element, so every msgid holds whole elements; an element wrapping a block's
whole content (`<p><strong>…</strong></p>`) stays outside it. Comments inside a block are
left out of its msgids (a comment between two sentences stays between them; one inside a
sentence is dropped by its translation). The `alt` and `title` attributes of tags outside
any msgid are entries of their own. Everything else (head, scripts, styles, `pre`, the
markup between blocks) is kept verbatim, so the parts concatenate to the source exactly.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from l10n.document import Block, Document, Part, Segment
from l10n.readers.html_elements import (
    BLOCK_KINDS,
    CLOSES_P,
    HEADINGS,
    IMPLIED_BY,
    INLINE,
    SCOPE,
    TABLE_PARTS,
    TABLE_SCOPE,
    VERBATIM,
    VOID,
)
from l10n.readers.html_tokens import COMMENT, END, START, TEXT, Token, tokenize
from l10n.readers.segments import normalize, split_block

# Attributes that are text for people: the image description and the tooltip.
ATTRIBUTE_KINDS = {"alt": "alt attribute", "title": "title attribute"}
ROOT_KIND = "root"  # the `<html>` start tag, whose `lang` an edition sets
LITERAL_KIND = "markup"


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive inline content of one block element: text, inline tags, comments."""

    kind: str
    tokens: tuple[Token, ...]


def read_html(source: str, path: Path) -> Document:
    tokens = tokenize(source)
    owners, verbatim = _owners(tokens)
    line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]

    def line(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    blocks: list[Block] = []
    cursor = 0
    # Where the segmented content lies, in order. Sentences cover every word and tag of it
    # (only blanks and comments fall between them), so a tag in there is in a msgid.
    segmented: list[tuple[int, int]] = []
    for run in _runs(tokens, owners):
        kept = _trimmed(run.tokens, source)
        if kept is None:
            continue
        start, end = kept[0].start, kept[-1].end
        if start > cursor:
            blocks.append(Block(LITERAL_KIND, line(cursor), (source[cursor:start],)))
        pieces, protected = _pieces(kept, start)
        blocks.append(Block(run.kind, line(start), split_block(
            source[start:end], line(start), pieces, protected=protected)))
        segmented.append((start, end))
        cursor = end
    if cursor < len(source):
        blocks.append(Block(LITERAL_KIND, line(cursor), (source[cursor:],)))
    cuts = _cuts(source, tokens, verbatim, segmented)
    return Document(path=path, format="html", blocks=tuple(_cut(blocks, cuts, source, line)))


def _owners(tokens: list[Token]) -> tuple[list[str | None], list[bool]]:
    """For each token, the kind of the innermost open translated element (None outside one or
    inside verbatim content), and whether it lies in verbatim content."""
    stack: list[str] = []
    owners: list[str | None] = []
    verbatim: list[bool] = []
    for token in tokens:
        # A verbatim element's own start tag is not its content: its title is translated.
        enclosed = any(tag in VERBATIM for tag in stack)
        if token.kind == START:
            _open(stack, token)
        elif token.kind == END:
            _close(stack, token.tag)
        # Tags are looked at with the stack as it is after them; a block element's own tags
        # are never inline, so they break runs whatever owner they get.
        verbatim.append(enclosed)
        owner = next((BLOCK_KINDS[tag] for tag in reversed(stack) if tag in BLOCK_KINDS), None)
        inside = enclosed or any(tag in VERBATIM for tag in stack)
        owners.append(None if inside else owner)
    return owners, verbatim


def _open(stack: list[str], token: Token) -> None:
    tag = token.tag
    if stack and stack[-1] == "title" and tag not in INLINE:
        stack.pop()  # an unclosed title ends where the page's structure goes on
    if tag in CLOSES_P:
        _pop_to(stack, frozenset({"p"}), SCOPE | {"button"})
    if tag in IMPLIED_BY:
        closes, boundary = IMPLIED_BY[tag]
        _pop_to(stack, closes, boundary | SCOPE)
    if tag in HEADINGS and stack and stack[-1] in HEADINGS:
        stack.pop()
    if tag == "body" and "head" in stack:
        _pop_to(stack, frozenset({"head"}), frozenset())
    if tag not in VOID and not token.self_closing:
        stack.append(tag)


def _close(stack: list[str], tag: str) -> None:
    if tag in INLINE:
        # A misnested inline end tag (`<b><p>…</b>`) does not end the block around it.
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] == tag:
                if all(t in INLINE for t in stack[i + 1:]):
                    del stack[i:]
                return
            if stack[i] not in INLINE:
                return
        return
    wanted = HEADINGS if tag in HEADINGS else frozenset({tag})
    # A table's end tags close the cells and rows left open inside it (HTML's table scope).
    boundary = TABLE_SCOPE if tag in TABLE_PARTS else SCOPE - wanted
    _pop_to(stack, wanted, boundary)


def _pop_to(stack: list[str], wanted: frozenset[str], boundary: frozenset[str]) -> None:
    """Pop the innermost element named in `wanted` and everything opened inside it, unless
    an element of `boundary` comes first."""
    for i in range(len(stack) - 1, -1, -1):
        if stack[i] in wanted:
            del stack[i:]
            return
        if stack[i] in boundary:
            return


def _runs(tokens: list[Token], owners: list[str | None]) -> list[_Run]:
    runs: list[_Run] = []
    current: list[Token] = []
    kind: str | None = None
    for token, owner in zip(tokens, owners, strict=True):
        inline = token.kind in (TEXT, COMMENT) or (
            token.kind in (START, END) and token.tag in INLINE)
        if owner is not None and inline and (owner == kind or not current):
            current.append(token)
            kind = owner
            continue
        if current and kind is not None:
            runs.append(_Run(kind, tuple(current)))
        current, kind = ([token], owner) if owner is not None and inline else ([], None)
    if current and kind is not None:
        runs.append(_Run(kind, tuple(current)))
    return runs


def _trimmed(tokens: tuple[Token, ...], source: str) -> tuple[Token, ...] | None:
    """The run's tokens from its first to its last word, without a wrapping element; None
    when it holds no text at all."""

    def has_text(token: Token) -> bool:
        return token.kind == TEXT and bool(unescape(source[token.start:token.end]).strip())

    if not any(has_text(t) for t in tokens):
        return None
    while True:
        kept = [i for i, t in enumerate(tokens) if t.kind != COMMENT and
                (t.kind != TEXT or has_text(t))]
        tokens = tokens[kept[0]:kept[-1] + 1]
        head, tail = tokens[0], tokens[-1]
        if (head.kind == START and tail.kind == END and head.tag == tail.tag
                and not head.self_closing and head.tag not in VOID
                and _matching_end(tokens) == len(tokens) - 1):
            tokens = tokens[1:-1]  # the wrapper stays outside, as literal text
            continue
        return tokens


def _matching_end(tokens: tuple[Token, ...]) -> int | None:
    """Index of the end tag that closes tokens[0], a start tag."""
    depth = 0
    tag = tokens[0].tag
    for i, token in enumerate(tokens):
        if token.tag != tag or token.self_closing:
            continue
        if token.kind == START:
            depth += 1
        elif token.kind == END:
            depth -= 1
            if depth == 0:
                return i
    return None


def _pieces(tokens: tuple[Token, ...], base: int) -> tuple[list[tuple[int, int]],
                                                          list[tuple[int, int]]]:
    """split_block's content pieces (everything but comments, offsets from `base`) and the
    protected spans (each inline element, start tag to end tag) in the joined text."""
    pieces: list[tuple[int, int]] = []
    for token in tokens:
        if token.kind == COMMENT:
            continue
        if pieces and pieces[-1][1] == token.start - base:
            pieces[-1] = (pieces[-1][0], token.end - base)
        else:
            pieces.append((token.start - base, token.end - base))

    # split_block joins the pieces with one "\n" each: where each piece starts in that text.
    piece_starts = [start for start, _ in pieces]
    joined_starts: list[int] = []
    total = 0
    for start, end in pieces:
        joined_starts.append(total)
        total += end - start + 1

    def joined(offset: int) -> int:
        """The joined-text offset of raw offset `offset` (in a piece, or at its end)."""
        at = max(bisect.bisect_right(piece_starts, offset) - 1, 0)
        return joined_starts[at] + offset - piece_starts[at]

    protected: list[tuple[int, int]] = []
    open_tags: list[Token] = []
    for token in tokens:
        if token.kind == START and token.tag not in VOID and not token.self_closing:
            open_tags.append(token)
        elif token.kind == END:
            at = next((i for i in range(len(open_tags) - 1, -1, -1)
                       if open_tags[i].tag == token.tag), None)
            if at is None:  # a stray end tag: at least keep it whole
                protected.append((joined(token.start - base), joined(token.end - base)))
            else:
                protected.append((joined(open_tags[at].start - base),
                                  joined(token.end - base)))
                del open_tags[at:]
        elif token.kind == START:
            protected.append((joined(token.start - base), joined(token.end - base)))
    end = joined(tokens[-1].end - base)
    # An element left open runs to the end of the block: no boundary may cut it either.
    protected += [(joined(t.start - base), end) for t in open_tags]
    return pieces, protected


# An attribute in a start tag: name, then a double-quoted, single-quoted or unquoted value.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+)))?""")
_TAG_NAME = re.compile(r"<[^\s/>]+")


def _cuts(source: str, tokens: list[Token], verbatim: list[bool],
          segmented: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Spans of literal text that become blocks of their own: the root element's start tag
    and the values of `alt` and `title` attributes outside msgids."""
    cuts: list[tuple[int, int, str]] = []
    starts = [start for start, _ in segmented]

    def in_msgid(offset: int) -> bool:
        at = bisect.bisect_right(starts, offset) - 1
        return at >= 0 and offset < segmented[at][1]

    root_done = False
    for token, in_verbatim in zip(tokens, verbatim, strict=True):
        if token.kind != START or in_verbatim:
            continue
        if token.tag == "html" and not root_done:
            cuts.append((token.start, token.end, ROOT_KIND))
            root_done = True
            continue
        if not any(name in ATTRIBUTE_KINDS for name, _ in token.attrs):
            continue
        if in_msgid(token.start):
            continue  # the tag is in a msgid, attributes and all
        for name, start, end in _attribute_values(source, token):
            value = source[start:end]
            if name in ATTRIBUTE_KINDS and unescape(value).strip():
                cuts.append((start, end, ATTRIBUTE_KINDS[name]))
    return cuts


def _attribute_values(source: str, token: Token) -> list[tuple[str, int, int]]:
    """(name, start, end) of each attribute value in the start tag, or [] when the tag does
    not read the way the parser read it (then its attributes stay literal)."""
    text = source[token.start:token.end]
    name = _TAG_NAME.match(text)
    if name is None:
        return []
    found: list[tuple[str, int, int]] = []
    read: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTE.finditer(text, name.end()):
        group = next((g for g in ("dq", "sq", "uq") if match.group(g) is not None), None)
        attr = match.group("name").lower()
        if group is None:
            read.append((attr, None))
            continue
        read.append((attr, unescape(match.group(group))))
        found.append((attr, token.start + match.start(group), token.start + match.end(group)))
    return found if tuple(read) == token.attrs else []


def _cut(blocks: list[Block], cuts: list[tuple[int, int, str]], source: str,
         line: Callable[[int], int]) -> list[Block]:
    """`blocks` with each cut span made a block of its own, inside the literal parts that
    hold it (a cut always lies inside one literal part: it is part of a tag outside msgids)."""
    if not cuts:
        return blocks
    pending = deque(sorted(cuts))
    out: list[Block] = []
    offset = 0
    for block in blocks:
        current: list[Part] = []
        current_start = offset
        for part in block.parts:
            size = len(part) if isinstance(part, str) else len(part.raw)
            if isinstance(part, str):
                at = offset
                while pending and pending[0][0] < offset + size:
                    start, end, kind = pending.popleft()
                    if start < at or end > offset + size:
                        continue  # not seen: a cut lies inside one literal part
                    if start > at:
                        current.append(source[at:start])
                    if current:
                        out.append(Block(block.kind, line(current_start), tuple(current)))
                    value = source[start:end]
                    out.append(Block(kind, line(start), (value,) if kind == ROOT_KIND else (
                        Segment(text=normalize(value), raw=value, line=line(start)),)))
                    current, current_start, at = [], end, end
                if offset + size > at:
                    current.append(source[at:offset + size])
            else:
                current.append(part)
            offset += size
        if current:
            out.append(Block(block.kind, line(current_start), tuple(current)))
    return out
