"""Plain-text articles in the shape news sites export.

A title line, blank-line separated paragraphs, photo captions ending in a bracketed credit
(`… dankte. [Kremlin pool/EPA/EFE]`), a bracketed byline (`[Bearbeitet von Alice Taylor]`)
and, after the byline, web boilerplate that is not part of the article and is kept verbatim.
"""

from __future__ import annotations

import re
from pathlib import Path

from l10n.document import Block, Document, Part
from l10n.readers.segments import split_block
from l10n.readers.settings import DEFAULT, ReadSettings

# A paragraph is a maximal run of lines holding something other than whitespace.
_PARAGRAPH = re.compile(r"(?:^[ \t]*\S[^\r\n]*(?:\r?\n|\Z))+", re.MULTILINE)
# A credit or byline: bracketed text with no sentence punctuation inside.
_BRACKETED = r"\[[^\[\]\r\n.!?]*\]"
_TRAILING_CREDIT = re.compile(r"[ \t]+" + _BRACKETED + r"[ \t]*$")
_BYLINE = re.compile(r"^\[(?P<inner>[^\[\]]+)\]$")


def read_text(source: str, path: Path, settings: ReadSettings = DEFAULT) -> Document:
    blocks: list[Block] = []
    cursor = 0
    after_byline = False
    for match in _PARAGRAPH.finditer(source):
        if match.start() > cursor:
            blocks.append(_literal("blank", source, cursor, match.start()))
        block_text = match.group()
        line = source.count("\n", 0, match.start()) + 1
        if after_byline:
            blocks.append(Block("boilerplate", line, (block_text,)))
        else:
            kind, parts = _paragraph(block_text, line, first=not blocks or _only_blank(blocks))
            blocks.append(Block(kind, line, parts))
            after_byline = kind == "byline"
        cursor = match.end()
    if cursor < len(source):
        blocks.append(_literal("blank", source, cursor, len(source)))
    return Document(path=path, format="text", blocks=tuple(blocks))


def _only_blank(blocks: list[Block]) -> bool:
    return all(b.kind == "blank" for b in blocks)


def _literal(kind: str, source: str, start: int, end: int) -> Block:
    return Block(kind, source.count("\n", 0, start) + 1, (source[start:end],))


def _paragraph(text: str, line: int, *, first: bool) -> tuple[str, tuple[Part, ...]]:
    """Kind and parts of one paragraph; content pieces are its lines without line ends."""
    pieces: list[tuple[int, int]] = []
    offset = 0
    for raw_line in text.splitlines(keepends=True):
        body = raw_line.rstrip("\r\n")
        pieces.append((offset, offset + len(body)))
        offset += len(raw_line)

    stripped = text.strip()
    byline = _BYLINE.match(stripped)
    if byline and "\n" not in stripped:
        # Translate what is inside the brackets, keep the brackets themselves.
        start = text.index("[") + 1
        return "byline", split_block(text, line, [(start, start + len(byline.group("inner")))])
    kind = "title" if first else "paragraph"
    last_start, last_end = pieces[-1]
    credit = _TRAILING_CREDIT.search(text, last_start, last_end)
    if credit and not first:
        # The photo credit is a name list, not prose: it stays out of the catalog.
        pieces[-1] = (last_start, credit.start())
        kind = "caption"
    return kind, split_block(text, line, pieces)
