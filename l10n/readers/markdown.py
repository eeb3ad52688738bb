"""CommonMark articles, parsed with markdown-it-py.

The parser says which source lines hold which leaf block; the text of headings, paragraphs,
list items and block quotes is segmented with its inline markup kept in the msgid
(translators need to see `*emphasis*` and `[links](…)`). Front matter, code, HTML blocks,
link reference definitions and everything between blocks are kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from l10n.document import Block, Document
from l10n.readers.segments import split_block

# Inline spans no sentence boundary may cut: code spans, links and images with their
# targets, autolinks and inline HTML.
_PROTECTED = re.compile(
    r"(?P<code>`+)[\s\S]*?(?P=code)"
    r"|!?\[[^\]\n]*(?:\n[^\]\n]*)*\]\([^)\n]*\)"
    r"|<[^<>\s]+>"
)
# What may stand before a content line on its source line: container and block markers.
_LINE_PREFIX = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+)?[ \t>]*")


@dataclass(frozen=True, slots=True)
class _Leaf:
    kind: str
    start: int  # first line index (0-based)
    end: int  # one past the last line
    content: str | None  # inline source, or None for a verbatim block


@cache
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin)


def read_markdown(source: str, path: Path) -> Document:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for raw_line in lines:
        offsets.append(offsets[-1] + len(raw_line))

    blocks: list[Block] = []
    cursor = 0
    for leaf in _leaves(source):
        if leaf.start > cursor:
            blocks.append(_verbatim("blank", lines, cursor, leaf.start))
        if leaf.content is None:
            blocks.append(_verbatim(leaf.kind, lines, leaf.start, leaf.end))
        else:
            blocks.append(_translatable(leaf, lines, offsets))
        cursor = leaf.end
    if cursor < len(lines):
        blocks.append(_verbatim("blank", lines, cursor, len(lines)))
    return Document(path=path, format="markdown", blocks=tuple(blocks))


def _leaves(source: str) -> list[_Leaf]:
    tokens = _parser().parse(source)
    leaves: list[_Leaf] = []
    containers: list[str] = []
    heading = False
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open"):
            containers.append("quote" if token.type == "blockquote_open" else "list item")
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline" and token.map:
            kind = "heading" if heading else (containers[-1] if containers else "paragraph")
            leaves.append(_Leaf(kind, token.map[0], token.map[1], token.content))
        elif token.map and token.type in ("fence", "code_block", "html_block", "front_matter",
                                          "hr"):
            kind = {"fence": "code", "code_block": "code", "html_block": "html",
                    "front_matter": "front matter", "hr": "rule"}[token.type]
            leaves.append(_Leaf(kind, token.map[0], token.map[1], None))
    return leaves


def _verbatim(kind: str, lines: list[str], start: int, end: int) -> Block:
    return Block(kind, start + 1, ("".join(lines[start:end]),))


def _translatable(leaf: _Leaf, lines: list[str], offsets: list[int]) -> Block:
    raw = "".join(lines[leaf.start:leaf.end])
    base = offsets[leaf.start]
    content_lines = (leaf.content or "").split("\n")
    pieces: list[tuple[int, int]] = []
    for index, content in enumerate(content_lines):
        if leaf.start + index >= leaf.end:
            break
        raw_line = lines[leaf.start + index].rstrip("\r\n")
        at = _locate(raw_line, content)
        if at < 0:
            # The parser rewrote this line (tabs expanded inside a container, say): keep the
            # block verbatim rather than risk a msgid that does not match the source.
            return Block(leaf.kind, leaf.start + 1, (raw,))
        line_start = offsets[leaf.start + index] - base
        pieces.append((line_start + at, line_start + at + len(content)))
    joined = "\n".join(content_lines[:len(pieces)])
    protected = [m.span() for m in _PROTECTED.finditer(joined)]
    return Block(leaf.kind, leaf.start + 1,
                 split_block(raw, leaf.start + 1, pieces, protected=protected))


def _locate(raw_line: str, content: str) -> int:
    """Offset of `content` in its source line, after the container and block markers."""
    prefix_end = _LINE_PREFIX.match(raw_line)
    start = prefix_end.end() if prefix_end else 0
    at = raw_line.find(content, start)
    if at < 0:
        at = raw_line.find(content)
    return at
