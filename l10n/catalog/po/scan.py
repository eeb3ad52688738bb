"""A lean scan of PO files for statistics and the gate.

Statistics and the gate over thousands of catalogs must not cost more than gettext's own
`msgfmt --statistics`, and building a `polib.POEntry` per message (with previous msgids,
extracted comments and wrapping nobody reads there) was most of the time. This scan keeps
only what a status, a QA check and a finding's location need. Whenever a file leaves the
plain shape l10n and gettext write (another charset, CR line ends, plurals, several
strings on a line, any syntax the scan does not know, any error) it raises `Unsupported`
and the caller uses the strict parser (`read.loadb`), which reports malformed files with
file and line.

The grammar is the strict reader's (`syntax`): the same line marks, comment kinds,
keywords, string literals, references, flags and header charset; the scan only gives up
sooner.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from l10n.catalog.model import belongs, status
from l10n.catalog.po import syntax
from l10n.catalog.po.syntax import (
    EXTRACTED,
    FLAG_MARKS,
    REFERENCES,
    TOKEN_MARKS,
    LiteralError,
    comment_text,
    parse_flags,
    token_marks,
)


class Unsupported(Exception):
    """The lean scan met something only the strict parser handles (or rejects)."""


@dataclass(slots=True)
class Entry:
    """The fields of a POEntry the catalog model reads, without building a POEntry."""

    msgid: str
    msgstr: str
    msgctxt: str | None
    flags: list[str]
    tcomment: str
    occurrences: list[tuple[str, str]]
    linenum: int  # the entry's first line, as the strict parser counts it
    obsolete: bool = False
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)


# The keywords of the plain shape: with the space and quote that follow, where the quote is.
_KEYWORDS = tuple((f'{name} "', len(name) + 1, name)
                  for name in (syntax.MSGID, syntax.MSGSTR, syntax.MSGCTXT))


def _string(line: str, start: int) -> str:
    """The value of the one string literal from line[start] (a quote) to the line's end."""
    if len(line) - start < 2 or line[-1] != '"':
        raise Unsupported
    body = line[start + 1:-1]
    if "\\" not in body and '"' not in body:
        return body
    try:
        value, end = syntax.string_literal(line, start)
    except LiteralError:
        raise Unsupported from None
    if end != len(line):
        raise Unsupported
    return value


def _token(rest: str) -> tuple[str | None, str]:
    """`msgid "…"`, `msgstr "…"`, `msgctxt "…"` or a bare `"…"` (keyword None)."""
    if rest[:1] == '"':
        return None, _string(rest, 0)
    for prefix, quote, name in _KEYWORDS:
        if rest.startswith(prefix):
            return name, _string(rest, quote)
    raise Unsupported


def scan_states(data: bytes, owner: str) -> list[tuple[str, int]]:
    """(status, source words) of each entry of the article `owner` (see `model.belongs`);
    raises Unsupported where `scan` does."""
    entries = scan(data, owner).entries
    try:
        return [(status(entry), len(entry.msgid.split())) for entry in entries]
    except Exception:
        # The strict path parses the whole file before counting, so its parse error must
        # win over whatever status() raised here.
        raise Unsupported from None


@dataclass(slots=True)
class Scanned:
    header: str  # the header entry's msgstr ("" without one)
    entries: list[Entry]


def scan(data: bytes, owner: str | None) -> Scanned:
    """The header and the entries of the article `owner` (None: every entry but the header)
    in a catalog of the shape gettext and l10n write; raises Unsupported for anything else.

    Follows the grammar of `read._Parser` (GNU gettext's) for one string per line and
    the keywords msgctxt/msgid/msgstr, live, `#~` obsolete or `#|` previous; every state
    the strict parser would reject, and everything else, is Unsupported.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsupported from None
    if "\r" in text:
        raise Unsupported
    entries: list[Entry] = []
    seen: set[tuple[str | None, str]] = set()
    header: list[str] = []
    # The entry being read: one list of string pieces per field, None until its keyword.
    obsolete: bool | None = None
    msgctxt: list[str] | None = None
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    has_previous = False  # any `#|` keyword, msgctxt included
    flags: list[str] = []
    tcomment: list[str] = []
    refs: list[tuple[str, str]] = []
    current: list[str] | None = None  # the field a bare "…" line continues
    current_previous = False
    # The entry's first line, counted as the strict parser does: the last line read while
    # the entry held nothing (an empty `#,` or `#:` line adds nothing).
    start, filled = 0, False
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        first = line[0]
        if first == '"':  # the most frequent line: a continued string
            if current is None or current_previous or obsolete or len(line) < 2 \
                    or line[-1] != '"':
                raise Unsupported
            body = line[1:-1]
            current.append(body if "\\" not in body and '"' not in body else _string(line, 0))
            continue
        if first == "m":
            name, value = _token(line)
            line_obsolete = line_previous = False
        elif first != "#":
            raise Unsupported
        elif line[1:2] in TOKEN_MARKS:
            line_obsolete, line_previous, rest = token_marks(line)
            if rest[:1] != " ":
                raise Unsupported
            name, value = _token(rest[1:])
        else:  # a comment: it ends a complete entry, and may not interrupt one
            if msgstr is not None:
                _keep(entries, seen, header, owner, obsolete, msgctxt, msgid, msgstr, flags,
                       tcomment, refs, start)
                obsolete = msgctxt = msgid = msgstr = current = None
                has_previous = current_previous = False
                flags, tcomment, refs = [], [], []
                filled = False
            elif msgctxt is not None or msgid is not None:
                raise Unsupported
            if not filled:
                start = number
            kind = line[1:2]
            if kind in FLAG_MARKS:
                body = line[2:]
                found = ["fuzzy"] if body.strip() == "fuzzy" else parse_flags(body)
                flags.extend(found)
                filled = filled or bool(found)
            elif kind == REFERENCES:
                found_refs = syntax.parse_references(line[2:])
                refs.extend(found_refs)
                filled = filled or bool(found_refs)
            else:
                if kind != EXTRACTED:  # extracted comments: not needed
                    tcomment.append(comment_text(line[1:]))
                filled = True
            continue
        if name is None:  # a continued string after `#~` or `#|`
            if current is None or current_previous != line_previous \
                    or obsolete != line_obsolete:
                raise Unsupported
            current.append(value)
            continue
        if msgstr is not None and (line_previous or name != "msgstr"):
            _keep(entries, seen, header, owner, obsolete, msgctxt, msgid, msgstr, flags,
                   tcomment, refs, start)
            obsolete = msgctxt = msgid = msgstr = current = None
            has_previous = False
            flags, tcomment, refs = [], [], []
            filled = False
        if not filled:
            start, filled = number, True
        if obsolete is None:
            obsolete = line_obsolete
        elif obsolete != line_obsolete:
            raise Unsupported
        current = [value]
        current_previous = line_previous
        if line_previous:
            if msgctxt is not None or msgid is not None or name == "msgstr":
                raise Unsupported
            has_previous = True
        elif name == "msgstr":
            if msgid is None or msgstr is not None:
                raise Unsupported
            msgstr = current
        elif msgid is not None or (name == "msgctxt" and msgctxt is not None):
            raise Unsupported
        elif name == "msgid":
            msgid = current
        else:
            msgctxt = current
    if msgstr is not None:
        _keep(entries, seen, header, owner, obsolete, msgctxt, msgid, msgstr, flags,
               tcomment, refs, start)
    elif msgctxt is not None or msgid is not None or has_previous:
        raise Unsupported  # the file ends inside an entry
    return Scanned(header[0] if header else "", entries)


def _keep(entries: list[Entry], seen: set[tuple[str | None, str]], header: list[str],
           owner: str | None, obsolete: bool | None, msgctxt: list[str] | None,
           msgid: list[str] | None, msgstr: list[str], flags: list[str], tcomment: list[str],
           refs: list[tuple[str, str]], start: int) -> None:
    """Keep one finished entry, after the checks `read._build` makes."""
    assert msgid is not None
    text = "".join(msgid)
    context = "".join(msgctxt) if msgctxt is not None else None
    if not obsolete:
        key = (context, text)
        if key in seen:
            raise Unsupported  # a duplicate: the strict parser reports both lines
        seen.add(key)
        if not header and syntax.is_header(context, text):
            header.append("".join(msgstr))
            try:
                codec = syntax.python_codec(syntax.header_charset(header[0]))
            except LookupError:
                raise Unsupported from None
            if codec != "utf-8":  # the text was decoded as UTF-8: read it again properly
                raise Unsupported
            return
    if not text and owner is not None:
        return  # never an article's (`model.belongs`)
    # Repeated references are one, as the strict parser keeps them.
    occurrences = list(dict.fromkeys(refs))
    entry = Entry(text, "".join(msgstr), context, flags, "\n".join(tcomment), occurrences,
                  start, bool(obsolete))
    if owner is None or belongs(entry, owner):
        entries.append(entry)
