"""One-line YAML scalars: read as a YAML parser reads them, written back in their style.

Front matter values are translated one scalar at a time. Only what a single line holds is
read (plain, 'single-quoted' and "double-quoted" scalars); anything else a value can be
(block scalars, flow collections, anchors, tags, multi-line scalars) is None here and stays
verbatim. The writers are `Segment.encode` functions: a translation goes back in the
scalar's style when that style can hold it, else double-quoted, which can hold anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A plain scalar cannot start with an indicator (YAML 1.2, ns-plain-first; `-`, `?` and
# `:` could, before a non-blank, but quoting them too is simpler and still valid).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Plain scalars YAML resolves to something other than a string (1.1 and 1.2 core schema:
# null, booleans, numbers, dates, 1.1's `=` and `<<`): a translation spelt like one must be quoted.
_NOT_A_STRING = re.compile(
    r"~|=|<<|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off"
    r"|Off|OFF|y|Y|n|N|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN"
    r"|[-+]?(?:0|[1-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0[0-7_]+|0o[0-7]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|\d{4}-\d\d?-\d\d?"
    r"(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?"
)
# Characters only a double-quoted scalar can carry (as escapes). Tab is allowed in quotes.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
# What may follow a closed quoted scalar on its line: blanks and a comment.
_AFTER_QUOTE = re.compile(r"(?:[ \t]+#.*)?[ \t]*")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_WRITE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b",
                  "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e",
                  "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


@dataclass(frozen=True, slots=True)
class Scalar:
    start: int  # offsets of the scalar, quotes included, in the text it was read from
    end: int
    value: str  # what a YAML parser reads
    style: str  # plain, single or double
    encode: Callable[[str], str]  # writes a new value in the scalar's style


def read_scalar(line: str, start: int) -> Scalar | None:
    """The scalar that starts at `line[start]` and ends on this line (a mapping value: the
    rest of the line holds at most a comment), or None when it is not a one-line scalar
    holding a string."""
    first = line[start:start + 1]
    if first == '"':
        return _quoted(line, start, _double_end, _read_double, "double", double_quoted)
    if first == "'":
        return _quoted(line, start, _single_end, lambda body: body.replace("''", "'"),
                       "single", single_quoted)
    if not first or first in _INDICATORS:
        return None  # no value, a block scalar, a flow collection, an anchor, a tag…
    comment = re.search(r"[ \t]#", line[start:])
    end = start + comment.start() if comment else len(line)
    value = line[start:end].rstrip(" \t")
    if not _plain_safe(value):
        return None  # not a string, or not YAML (`: ` inside a plain value)
    return Scalar(start, start + len(value), value, "plain", plain)


def quote_end(line: str, start: int) -> int | None:
    """Offset after the quoted scalar that starts at `line[start]`, None when it goes on to
    the next line."""
    return (_double_end if line[start] == '"' else _single_end)(line, start)


def _quoted(line: str, start: int, find_end: Callable[[str, int], int | None],
            read: Callable[[str], str | None], style: str,
            encode: Callable[[str], str]) -> Scalar | None:
    end = find_end(line, start)
    if end is None or not _AFTER_QUOTE.fullmatch(line, end):
        return None
    value = read(line[start + 1:end - 1])
    if value is None or not value or value != value.strip() or _NEEDS_ESCAPE.search(value):
        return None  # a msgid is one stripped line of text
    return Scalar(start, end, value, style, encode)


def _double_end(line: str, start: int) -> int | None:
    at = start + 1
    while at < len(line):
        if line[at] == "\\":
            at += 2
        elif line[at] == '"':
            return at + 1
        else:
            at += 1
    return None


def _single_end(line: str, start: int) -> int | None:
    at = start + 1
    while (at := line.find("'", at)) >= 0:
        if line.startswith("''", at):
            at += 2
        else:
            return at + 1
    return None


def _read_double(body: str) -> str | None:
    out: list[str] = []
    at = 0
    while (slash := body.find("\\", at)) >= 0:
        out.append(body[at:slash])
        code = body[slash + 1:slash + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            at = slash + 2
        elif code in _HEX_DIGITS:
            digits = body[slash + 2:slash + 2 + _HEX_DIGITS[code]]
            if len(digits) != _HEX_DIGITS[code] or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                return None
            point = int(digits, 16)
            if point > 0x10FFFF:
                return None
            out.append(chr(point))
            at = slash + 2 + len(digits)
        else:
            return None  # not YAML
    out.append(body[at:])
    return "".join(out)


def _plain_safe(text: str) -> bool:
    """Whether `text` reads back as itself, a string, when written as a plain scalar."""
    return (bool(text) and text == text.strip() and text[0] not in _INDICATORS
            and ": " not in text and ":\t" not in text and not text.endswith(":")
            and " #" not in text and "\t" not in text and not _NEEDS_ESCAPE.search(text)
            and not _NOT_A_STRING.fullmatch(text))


def plain(text: str) -> str:
    """`text` as a plain scalar, or double-quoted when a plain one would read differently
    (a `: ` inside, a leading indicator, `yes` or `2024`)."""
    return text if _plain_safe(text) else double_quoted(text)


def single_quoted(text: str) -> str:
    """`text` as a 'single-quoted' scalar (`'` doubled), or double-quoted when it holds a
    character only an escape can write (a line break)."""
    if _NEEDS_ESCAPE.search(text):
        return double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def double_quoted(text: str) -> str:
    """`text` as a "double-quoted" scalar: `"` and `\\` escaped, and every character a YAML
    file cannot hold as it is."""
    out = []
    for char in text:
        if char in _WRITE_ESCAPES:
            out.append(_WRITE_ESCAPES[char])
        elif _NEEDS_ESCAPE.match(char):
            point = ord(char)
            out.append(f"\\x{point:02X}" if point < 0x100 else f"\\u{point:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
