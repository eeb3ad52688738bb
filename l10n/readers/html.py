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
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from l10n.document import Block, Document
from l10n.readers.html_attributes import (
    ATTRIBUTE_KINDS,
    ROOT_KIND,
    own_block_spans,
    with_own_blocks,
)
from l10n.readers.html_elements import INLINE, VOID
from l10n.readers.html_tokens import COMMENT, END, START, TEXT, Token, tokenize
from l10n.readers.html_tree import block_owners
from l10n.readers.segments import split_block
from l10n.readers.settings import DEFAULT, ReadSettings

__all__ = ["ATTRIBUTE_KINDS", "ROOT_KIND", "read_html"]

LITERAL_KIND = "markup"


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive inline content of one block element: text, inline tags, comments."""

    kind: str
    tokens: tuple[Token, ...]


def read_html(source: str, path: Path, settings: ReadSettings = DEFAULT) -> Document:
    del settings  # front matter keys are a Markdown matter
    tokens = tokenize(source)
    owner_of, verbatim = block_owners(tokens)
    line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]

    def line(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    blocks: list[Block] = []
    cursor = 0
    # Where the segmented content lies, in order. Sentences cover every word and tag of it
    # (only blanks and comments fall between them), so a tag in there is in a msgid.
    segmented: list[tuple[int, int]] = []
    for run in _runs(tokens, owner_of):
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
    own_blocks = own_block_spans(source, tokens, verbatim, segmented)
    return Document(path=path, format="html",
                    blocks=tuple(with_own_blocks(blocks, own_blocks, source, line)))


def _runs(tokens: list[Token], owner_of: list[str | None]) -> list[_Run]:
    runs: list[_Run] = []
    current: list[Token] = []
    kind: str | None = None
    for token, owner in zip(tokens, owner_of, strict=True):
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

