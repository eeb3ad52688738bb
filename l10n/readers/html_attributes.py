"""The parts of tags outside msgids that become blocks of their own: the root element's start
tag (an edition sets its `lang`) and the values of `alt` and `title` attributes (entries).
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable
from html import unescape

from l10n.document import Block, Part, Segment
from l10n.readers.html_tokens import START, Token
from l10n.readers.segments import normalize

# Attributes that are text for people: the image description and the tooltip.
ATTRIBUTE_KINDS = {"alt": "alt attribute", "title": "title attribute"}
ROOT_KIND = "root"  # the `<html>` start tag, whose `lang` an edition sets

# An attribute in a start tag: name, then a double-quoted, single-quoted or unquoted value.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'<>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+)))?""")
_TAG_NAME = re.compile(r"<[^\s/>]+")


def own_block_spans(source: str, tokens: list[Token], verbatim: list[bool],
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


def with_own_blocks(blocks: list[Block], cuts: list[tuple[int, int, str]], source: str,
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

