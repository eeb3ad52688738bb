"""YAML front matter: the values of chosen top-level keys are translated, the rest is kept.

Only top-level `key: value` lines are read (a `title` inside a nested mapping is indented
and stays verbatim), and only values that are one-line scalars holding text: plain,
'single-' or "double-quoted" (`l10n.readers.yaml_scalar`). Block scalars (`|`, `>`),
multi-line scalars, flow collections, anchors and tags are kept verbatim: their line
structure and indentation carry meaning a sentence's translation cannot keep. A value is
one segment, not split into sentences: it is written back as one scalar.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from l10n.document import Part, Segment
from l10n.readers.yaml_scalar import quote_end, read_scalar

# A top-level mapping key (plain or quoted, at column 0), its colon and the blanks after.
_KEY = re.compile(r"""(?P<key>"[^"\\]*"|'[^']*'|[^\s#'"\-?:,\[\]{}&*!|>%@`][^:]*?)"""
                  r"[ \t]*:(?:[ \t]+|$)")
_BLANK = re.compile(r"[ \t]*")


def front_matter_parts(text: str, line: int, keys: Collection[str]) -> tuple[Part, ...]:
    """Parts of a front matter block (`text`, fences included, starting at `line`) with
    the value of each of `keys` as a segment."""
    lines = text.splitlines(keepends=True)
    bodies = [raw.rstrip("\r\n") for raw in lines]
    parts: list[Part] = []
    cursor = offset = 0
    in_quote: str | None = None  # a quoted scalar that goes on over lines
    in_flow = 0  # brackets open in a [flow] or {flow} collection that goes on over lines
    for index, body in enumerate(bodies):
        start, offset = offset, offset + len(lines[index])
        if index == 0 or index == len(lines) - 1:
            continue  # the fences
        if in_quote:
            if _closes(body, in_quote):
                in_quote = None
            continue
        if in_flow:
            in_flow = _flow_depth(body, in_flow)
            continue
        match = _KEY.match(body)
        if match is None:
            continue
        value_at = match.end()
        if body[value_at:value_at + 1] in ("[", "{"):
            in_flow = _flow_depth(body[value_at:], 0)
            continue
        if body[value_at:value_at + 1] in ("'", '"') and quote_end(body, value_at) is None:
            in_quote = body[value_at]
            continue
        if _unquote(match.group("key")) not in keys:
            continue
        scalar = read_scalar(body, value_at)
        if scalar is None or (scalar.style == "plain" and _continues(bodies, index + 1)):
            continue
        parts.append(text[cursor:start + scalar.start])
        parts.append(Segment(scalar.value, body[scalar.start:scalar.end], line + index,
                             encode=scalar.encode))
        cursor = start + scalar.end
    parts.append(text[cursor:])
    return tuple(part for part in parts if part)


def front_matter_value(body: str, key: str) -> str | None:
    """The value of top-level `key` in front matter `body` (without its fences), as it
    would be translated; None when it is not read as a segment."""
    parts = front_matter_parts(f"---\n{body}\n---\n", 1, (key,))
    return next((part.text for part in parts if isinstance(part, Segment)), None)


def _unquote(key: str) -> str:
    return key[1:-1] if key[:1] in ("'", '"') else key


def _closes(body: str, quote: str) -> bool:
    """Whether a quoted scalar that began on an earlier line ends on this one."""
    line = quote + body  # read the line as if the scalar opened just before it
    return quote_end(line, 0) is not None


_FLOW_TOKEN = re.compile(r"""[\[\]{}]|"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|(?:^|[ \t])#.*""")


def _flow_depth(text: str, depth: int) -> int:
    """How many brackets of a flow collection are open after `text` (quoted text and
    comments hold none)."""
    for token in _FLOW_TOKEN.findall(text):
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
    return max(depth, 0)


def _continues(bodies: list[str], index: int) -> bool:
    """Whether a plain scalar goes on at `bodies[index]`: the next line that is not blank
    is indented (the closing fence, at column 0, ends it)."""
    for body in bodies[index:]:
        if not _BLANK.fullmatch(body):
            return body[:1] in (" ", "\t")
    return False
