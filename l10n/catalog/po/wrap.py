"""gettext's line wrapping: where msgcat breaks a string over lines of `width` columns.

A string that does not fit or contains a newline before its end starts with `""`; it is
split after each `\n` and elsewhere at the line-break opportunities of libunistring's
Unicode line breaking (UAX #14), never inside an escape sequence or a c-format/python-format
directive (`directives`), so that each line including its quotes fits the width (East
Asian wide characters count two columns).

The tables are libunistring 1.0's (Unicode 14), the library gettext 0.21 wraps with:
`linebreak.txt` beside this module, written by tools/linebreak_table.py and read once, the
first time a string needs the line breaker. The tests compare the tables and the line
breaker with the installed library. gettext 0.22+ (Unicode 15) may wrap a few strings
differently.
"""

from __future__ import annotations

import functools
import re

from l10n.catalog.po.directives import directive_interiors
from l10n.catalog.po.syntax import ESCAPE_TABLE, ESCAPED

DEFAULT_WIDTH = 79  # gettext's default (`msgcat`/`msgmerge --width`)
TABLE_FILE = "linebreak.txt"

_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2, 3


@functools.lru_cache(maxsize=4096)
def wrapped(prefix: str, name: str, value: str, page_width: int, do_wrap: bool,
            directive_format: str | None, cjk: bool) -> tuple[str, ...]:
    """The lines write-po.c's wrap() prints for `name "value"`.

    Cached: a msgid is written to the template and again to every language's catalog, and
    `l10n translate` wraps the msgids of the catalogs it is about to fill while the model
    works (up to 2,048 entries of them: `commands.translate.READ_AHEAD_ENTRIES`). 4,096
    lines are a few MB; more made translate's memory grow with the archive.
    """
    out: list[str] = []
    if not value:
        out.append(f'{prefix}{name} ""')
        return tuple(out)
    protected = directive_interiors(value, directive_format) if directive_format else None
    # Columns available for the escaped text: the page minus the prefix and both quotes.
    avail = (page_width if do_wrap else 1 << 30) - 2 - len(prefix)
    pieces = value.split("\n")
    portions = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        portions.append(pieces[-1])
    first = True
    offset = 0
    last_index = len(portions) - 1
    for index, portion in enumerate(portions):
        startcol = len(name) + 1 if first else 0
        escaped, breaks = _layout(portion, offset, protected, avail, startcol, cjk)
        if first and (index != last_index or startcol > avail or breaks):
            out.append(f'{prefix}{name} ""')
            first = False
            escaped, breaks = _layout(portion, offset, protected, avail, 0, cjk)
        head = f'{prefix}{name} "' if first else f'{prefix}"'
        first = False
        start = 0
        for cut in breaks:
            out.append(f'{head}{escaped[start:cut]}"')
            head = f'{prefix}"'
            start = cut
        out.append(f'{head}{escaped[start:]}"')
        offset += len(portion)
    return tuple(out)


def _layout(portion: str, offset: int, protected: set[int] | None, avail: int, startcol: int,
            cjk: bool) -> tuple[str, list[int]]:
    """Escape one portion and find where gettext breaks it: (escaped text, cut indices)."""
    escaped = portion.translate(ESCAPE_TABLE)
    # Fast path: a portion that fits has no breaks whatever its break opportunities. Below
    # U+1100 no character is wider than one column (outside CJK charsets).
    if startcol + len(escaped) <= avail and not cjk and (
            escaped.isascii() or max(escaped) < "\u1100"):
        return escaped, []
    if startcol + 2 * len(escaped) <= avail:
        return escaped, []
    # Per character of the escaped text: a break override (_UNDEFINED: let UAX #14 decide).
    overrides = bytearray(len(escaped))
    if protected:
        pos = 0
        for index, char in enumerate(portion):
            if offset + index in protected:
                overrides[pos] = _PROHIBITED
            pos += 2 if char in ESCAPED else 1
    # Never inside an escape sequence; every escape is a backslash and one character.
    pos = escaped.find("\\")
    while pos >= 0:
        overrides[pos + 1] = _PROHIBITED
        pos = escaped.find("\\", pos + 2)
    if portion.endswith("\n"):
        # write-po.c never breaks right before the final "\n".
        overrides[-2] = _PROHIBITED
    return escaped, _width_linebreaks(escaped, overrides, avail, startcol, cjk)


# Line breaking classes in libunistring 1.0 (lbrktables.h); 0..32 index the pair table.
(_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP1, _CP2, _EX, _IN, _NS, _OP1, _OP2, _QU, _IS, _NU, _PO,
 _PR, _SY, _AL, _H2, _H3, _ID1, _ID2, _JL, _JV, _JT, _HL, _RI, _ZWJ, _EB, _EM) = range(33)
_BK, _CR, _LF, _CM, _ZW, _SP, _CB, _AI, _SA, _XX = range(33, 43)
_HL_BA = 100  # a Hebrew letter followed by a hyphen or break-after character (LB21a)
# Their names, in that order, as the data file spells them.
CLASSES = ("WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1",
           "OP2", "QU", "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL",
           "JV", "JT", "HL", "RI", "ZWJ", "EB", "EM", "BK", "CR", "LF", "CM", "ZW", "SP", "CB",
           "AI", "SA", "XX")


@functools.cache
def _tables() -> tuple[bytes, bytes]:
    """The data file, read once: per code point `class << 2 | (column width + 1)`, and
    the UAX #14 pair table (row: class before, column: class after; 1 direct break,
    2 break only after spaces, 3 no break)."""
    from importlib import resources  # only writing needs it, and only for some strings

    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    number = {name: index for index, name in enumerate(CLASSES)}
    chars = bytearray(0x110000)
    pairs = bytearray()
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        if ":" in line:
            pairs += bytes(int(digit) for digit in line.partition(": ")[2])
            continue
        span, name, width = line.split()
        first, _, last = span.partition("..")
        start, end = int(first, 16), int(last, 16) + 1
        chars[start:end] = bytes((number[name] << 2 | (int(width) + 1),)) * (end - start)
    return bytes(chars), bytes(pairs)


def _char_table() -> bytes:
    return _tables()[0]


# Runs of letters that are class AL and one column wide (checked in the tests), then
# spaces: after the first character none allows a break, so the line breaker takes the
# rest of such a run at once.
_RUNS = re.compile("([A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+|.)( *)", re.DOTALL)
_ASCII_RUNS = re.compile("([A-Za-z]+|.)( *)", re.DOTALL)


def _width_linebreaks(text: str, overrides: bytearray, avail: int, startcol: int,
                      cjk: bool) -> list[int]:
    """libunistring's ulc_width_linebreaks: UAX #14 opportunities, then greedy filling.

    Returns the indices before which a new line starts.
    """
    table, pairs = _tables()
    ai_class = _ID1 if cjk else _AL
    attached = frozenset((_CM, _ZWJ))
    hyphens = frozenset((_HY, _BA))
    # UAX #14 state.
    prev = _BK  # class of the previous character
    last = _BK  # class of the last character that is not a space
    space_seen = False
    ri_count = 0
    # Greedy filling state.
    cuts: list[int] = []
    last_opportunity = -1
    column = startcol
    piece = 0
    index = 0
    for head, spaces in (_ASCII_RUNS if cjk else _RUNS).findall(text):
        code = ord(head[0])
        packed = table[code]
        cls = packed >> 2
        brk = _PROHIBITED
        if _BK <= cls <= _LF:  # BK, CR, LF
            brk = _MANDATORY
            prev = cls
            last = _BK
            space_seen = False
        else:
            if cls >= _CB:
                cls = ai_class if cls == _AI else (_ID1 if cls == _CB else _AL)
            if cls == _SP:
                space_seen = True
            elif cls == _ZW:
                last = _ZW
                space_seen = False
            elif cls in attached:
                if last == _BK:
                    last = _AL
                    space_seen = False
                elif last == _ZW or space_seen:
                    brk = _POSSIBLE
                    last = _AL
                    space_seen = False
            else:
                if last == _BK:
                    pass
                elif last == _ZW:
                    brk = _POSSIBLE
                elif prev == _ZWJ:
                    pass
                elif last == _RI and cls == _RI:
                    if space_seen or ri_count % 2 == 0:
                        brk = _POSSIBLE
                elif prev == _HL_BA:
                    pass
                else:
                    rule = pairs[last * 33 + cls]
                    if rule == 1 or (rule == 2 and space_seen):
                        brk = _POSSIBLE
                last = cls
                space_seen = False
            prev = _HL_BA if prev == _HL and cls in hyphens else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        override = overrides[index]
        if override:
            brk = override
        # Greedy: an atomic piece ends before each opportunity; break at the last
        # opportunity when the piece that ends here would pass the width.
        if brk >= _POSSIBLE and last_opportunity >= 0 and column + piece > avail:
            if not cuts or cuts[-1] != last_opportunity:
                cuts.append(last_opportunity)
            column = 0
        if brk == _MANDATORY:
            last_opportunity = -1
            column = 0
            piece = 0
        else:
            if brk == _POSSIBLE:
                last_opportunity = index
                column += piece
                piece = 0
            width = (packed & 3) - 1
            if cjk and width == 1 and 0xA1 <= code < 0xFF61 and code != 0x20A9:
                width = 2
            if width > 0:
                piece += width
        # The rest of a run of letters: no break between them, one column each; then
        # the spaces after it, which only make the next character breakable.
        size = len(head)
        if size > 1:
            piece += size - 1
        if spaces:
            size += len(spaces)
            piece += len(spaces)
            prev = _SP
            space_seen = True
            ri_count = 0
        index += size
    if last_opportunity >= 0 and column + piece > avail and (
            not cuts or cuts[-1] != last_opportunity):
        cuts.append(last_opportunity)
    return cuts

