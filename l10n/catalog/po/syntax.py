"""The PO grammar both readers share (GNU gettext's read-po): keywords, the marks that
start a line, C string literals, `#:` references, `#,` flags and the header's charset.

`read` (the strict reader) and `scan` (the lean scanner) classify lines and decode strings
with these functions, so that a file means the same to both; `write` escapes with the
inverse table.
"""

from __future__ import annotations

import codecs
import re

BOM = codecs.BOM_UTF8.decode("utf-8")
WS = " \t\f\v\r"  # what gettext skips around tokens

MSGCTXT, MSGID, MSGID_PLURAL, MSGSTR = "msgctxt", "msgid", "msgid_plural", "msgstr"
# A keyword, with the plural index of msgstr[N] (longest names first).
KEYWORD = re.compile(rf"({MSGCTXT}|{MSGID_PLURAL}|{MSGID}|{MSGSTR})(?:\[([0-9]+)\])?")

# Line marks: `#~ ` obsolete entries, `#| ` previous strings (`#~| ` both), so a line
# whose `#` is followed by one of TOKEN_MARKS holds tokens; any other `#` starts a
# comment, whose kind is the character after the `#`.
OBSOLETE, PREVIOUS = "~", "|"
TOKEN_MARKS = (OBSOLETE, PREVIOUS)
EXTRACTED, REFERENCES, FLAG_MARKS = ".", ":", (",", "!")

# The single-character escapes of a string literal, and the inverse the writer uses
# (write-po.c escapes exactly these; every other character is written raw).
ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
           "\\": "\\", '"': '"'}
ESCAPED = {char: "\\" + code for code, char in ESCAPES.items()}
ESCAPE_TABLE = str.maketrans(ESCAPED)
_OCTAL = re.compile(r"[0-7]{1,3}")
_HEX = re.compile(r"x([0-9A-Fa-f]+)")

REF_NUMBER = re.compile(r"[0-9]+")
_REF_TAIL = re.compile(r"(.+):([0-9]+)")
# gettext 0.22+ wraps a file name that contains spaces in Unicode isolates.
ISOLATE_START, ISOLATE_END = "\u2068", "\u2069"
_ISOLATED = re.compile(f"{ISOLATE_START}([^{ISOLATE_END}]*){ISOLATE_END}(:[0-9]+)?")
_HEADER_CHARSET = re.compile(r"charset=([^ \t\n]*)")


class LiteralError(ValueError):
    """A string literal gettext rejects; the reader adds file and line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def token_marks(line: str) -> tuple[bool, bool, str]:
    """For a `#~`, `#~|` or `#|` line (`line[1:2] in TOKEN_MARKS`): obsolete, previous,
    and the tokens after the marks."""
    if line[1] == PREVIOUS:
        return False, True, line[2:]
    rest = line[2:]
    if rest[:1] == PREVIOUS:
        return True, True, rest[1:]
    return True, False, rest


def string_literal(line: str, start: int) -> tuple[str, int]:
    """The value of the C string literal at line[start] (a quote) and the index after it.

    Numeric escapes must denote ASCII characters: only those mean the same byte in every
    charset (and gettext cuts a string at a NUL byte). Raises LiteralError.
    """
    out: list[str] = []
    pos = start + 1
    close = -1
    while True:
        # Jump from escape to escape: the text between them is taken as it is.
        if close < pos:
            close = line.find('"', pos)
        backslash = line.find("\\", pos)
        if backslash == -1 or -1 < close < backslash:
            if close == -1:
                raise LiteralError("end of line within string (missing closing quote)")
            if not out:
                return line[pos:close], close + 1
            out.append(line[pos:close])
            return "".join(out), close + 1
        out.append(line[pos:backslash])
        pos = backslash + 1
        code = line[pos:pos + 1]
        if code in ESCAPES:
            out.append(ESCAPES[code])
            pos += 1
            continue
        octal = _OCTAL.match(line, pos)
        hexa = _HEX.match(line, pos)
        if octal:
            value, pos = int(octal.group(0), 8), octal.end()
        elif hexa:
            value, pos = int(hexa.group(1), 16), hexa.end()
        else:
            raise LiteralError(f"invalid escape sequence '\\{code}' in string",
                               hint='write a backslash as "\\\\"')
        if not 0 < value < 0x80:
            raise LiteralError(f"unsupported numeric escape for byte {value:#04x} in string",
                               hint="write the character itself")
        out.append(chr(value))


def comment_text(body: str) -> str:
    """A translator or extracted comment's text: `body` (after `#` or `#.`) less the one
    space that follows the mark."""
    return body[1:] if body[:1] == " " else body


def parse_references(body: str) -> list[tuple[str, str]]:
    """`#:` comment → (file, line) pairs, with gettext's tolerance for `file : 12` spacing
    and its quoting of file names with spaces (`⁨my file.txt⁩:12`)."""
    if ISOLATE_START in body:
        refs: list[tuple[str, str]] = []
        last = 0
        for quoted in _ISOLATED.finditer(body):
            refs += parse_references(body[last:quoted.start()])
            number = quoted.group(2)
            refs.append((quoted.group(1), str(int(number[1:])) if number else ""))
            last = quoted.end()
        return refs + parse_references(body[last:])
    refs = []
    words = body.split()
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        after = words[i + 2] if i + 2 < len(words) else ""
        if nxt.startswith(":") and REF_NUMBER.fullmatch(nxt[1:]):
            refs.append((word, str(int(nxt[1:]))))
            i += 2
        elif nxt == ":" and REF_NUMBER.fullmatch(after):
            refs.append((word, str(int(after))))
            i += 3
        elif word.endswith(":") and len(word) > 1 and REF_NUMBER.fullmatch(nxt):
            refs.append((word[:-1], str(int(nxt))))
            i += 2
        else:
            match = _REF_TAIL.fullmatch(word)
            refs.append((match.group(1), str(int(match.group(2)))) if match else (word, ""))
            i += 1
    return refs


def parse_flags(body: str) -> list[str]:
    """`#,` comment → flags, without repeats ("fuzzy", "python-format", "range: 0..9")."""
    words = [w for w in re.split(r"[\s,]+", body) if w]
    flags: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "range:" and i + 1 < len(words):
            word = f"range: {words[i + 1]}"
            i += 1
        elif word.startswith("range:") and len(word) > 6:
            word = f"range: {word[6:]}"
        if word not in flags:
            flags.append(word)
        i += 1
    return flags


def is_header(msgctxt: str | None, msgid: str | None) -> bool:
    """The entry can be the header: no context, an empty msgid (the first such live
    entry is the header)."""
    return msgctxt is None and msgid == ""


def header_fields(msgstr: str) -> dict[str, str]:
    """The fields of a header entry's msgstr, polib's way: "Key: value" lines, and a line
    without a colon continues the value before it."""
    fields: dict[str, str] = {}
    key: str | None = None
    for line in msgstr.split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon:
            key = name
            fields[key] = value.strip()
        elif key is not None:
            fields[key] += "\n" + line.strip()
    return fields


def header_charset(text: str) -> str | None:
    """The `charset=` of a header's msgstr or Content-Type, None when there is none."""
    match = _HEADER_CHARSET.search(text)
    return match.group(1) if match else None


def python_codec(charset: str | None) -> str:
    """The Python codec for a PO charset ("CHARSET" and a missing one mean UTF-8).

    Raises LookupError for a charset Python does not know.
    """
    if not charset or charset.upper() == "CHARSET":
        return "utf-8"
    return codecs.lookup(charset).name
