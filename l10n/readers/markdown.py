"""CommonMark articles, parsed with markdown-it-py.

The parser says which source lines hold which leaf block; the text of headings, paragraphs,
list items and block quotes is segmented with its inline markup kept in the msgid
(translators need to see `*emphasis*` and `[links](…)`). Code, HTML blocks, link reference
definitions and everything between blocks are kept verbatim; of the front matter, only the
values of the configured keys are translated (`l10n.readers.front_matter`).

Containers nested deeper than the parser follows (`MAX_NESTING`) are not dropped: their
lines are read as paragraphs of text, without the container markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from l10n.document import Block, Document
from l10n.readers.front_matter import front_matter_parts
from l10n.readers.segments import split_block
from l10n.readers.settings import DEFAULT, ReadSettings

# Inline spans no sentence boundary may cut: code spans, links and images with their
# targets, autolinks and inline HTML.
_PROTECTED = re.compile(
    r"(?P<code>`+)[\s\S]*?(?P=code)"
    r"|!?\[[^\]\n]*(?:\n[^\]\n]*)*\]\([^)\n]*\)"
    r"|<[^<>\s]+>"
)
# What may stand before a content line on its source line: container and block markers.
_LINE_PREFIX = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+)?[ \t>]*")
# Every container marker before a line's text, and a heading's: what a line nested deeper
# than the parser goes holds before its text.
_ALL_MARKERS = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*"
                          r"(?:#{1,6}(?=[ \t]|$))?[ \t]*")
_ITEM = re.compile(r"[-+*]|\d[.)]")
# markdown-it stops at 20 levels (CommonMark preset) and skips what is deeper. Each level
# costs the parser about two Python frames: 200 stays well inside the recursion limit,
# and a list item counts two levels (list and item), so 100 nested lists are parsed.
MAX_NESTING = 200
_CONTAINERS = {"blockquote_open": "quote", "list_item_open": "list item"}


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

    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.options["maxNesting"] = MAX_NESTING
    return md


def read_markdown(source: str, path: Path, settings: ReadSettings = DEFAULT) -> Document:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for raw_line in lines:
        offsets.append(offsets[-1] + len(raw_line))

    blocks: list[Block] = []
    cursor = 0
    for leaf in _leaves(source, lines):
        if leaf.start > cursor:
            blocks.append(_verbatim("blank", lines, cursor, leaf.start))
        if leaf.kind == "front matter":
            blocks.append(Block(leaf.kind, leaf.start + 1, front_matter_parts(
                "".join(lines[leaf.start:leaf.end]), leaf.start + 1,
                settings.front_matter_keys)))
        elif leaf.content is None:
            blocks.append(_verbatim(leaf.kind, lines, leaf.start, leaf.end))
        else:
            blocks.append(_translatable(leaf, lines, offsets))
        cursor = leaf.end
    if cursor < len(lines):
        blocks.append(_verbatim("blank", lines, cursor, len(lines)))
    return Document(path=path, format="markdown", blocks=tuple(blocks))


def _leaves(source: str, lines: list[str]) -> list[_Leaf]:
    tokens = _parser().parse(source)
    leaves: list[_Leaf] = []
    containers: list[str] = []
    heading = False
    for token in tokens:
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
            if token.level + 1 >= MAX_NESTING and token.map:
                # The parser skipped what this container holds.
                leaves += _too_deep(lines, _CONTAINERS[token.type], *token.map)
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


def _too_deep(lines: list[str], kind: str, start: int, end: int) -> list[_Leaf]:
    """The text of lines the parser skipped: a paragraph per run of lines that hold text,
    and a new one where a line's markers open another quote or item."""
    leaves: list[_Leaf] = []
    run: list[str] = []
    markers = ""
    for index, line in enumerate([*lines[start:end], ""], start):
        line = line.rstrip("\r\n")
        prefix = _ALL_MARKERS.match(line)
        cut = prefix.end() if prefix else 0
        text, opened = line[cut:].rstrip(), "".join(line[:cut].split())
        if run and (not text or (opened and (opened != markers or _ITEM.search(opened)))):
            leaves.append(_Leaf(kind, index - len(run), index, "\n".join(run)))
            run = []
        if text:
            run.append(text)
            markers = opened or markers
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
