"""A lean scan of PO files for statistics.

Statistics over thousands of catalogs must not cost more than gettext's own
`msgfmt --statistics`, and building a `polib.POEntry` per message (with references,
comments and line numbers nobody reads there) was most of the time. This scan keeps only
what a status needs. Whenever a file leaves the plain shape l10n and gettext write
(another charset, CR line ends, plurals, numeric escapes, any syntax the scan does not
know, any error) it raises `Unsupported` and the caller uses the strict parser
(`poformat.load`), which reports malformed files with file and line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from l10n.catalog.model import belongs, status
from l10n.catalog.poformat import parse_flags, parse_references, python_codec


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
    obsolete: bool = False
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)


_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
            "\\": "\\", '"': '"'}
# A string body the lean scan understands: no bare quote, only the single-letter escapes
# (numeric escapes have charset rules; the strict parser deals with them).
_PLAIN_STRING = re.compile(r'(?:[^"\\]|\\[ntbrfva\\"])*')
_ESCAPE = re.compile(r"\\(.)")
_HEADER_CHARSET = re.compile(r"charset=([^ \t\n]*)")
_KEYWORDS = (('msgid "', "msgid"), ('msgstr "', "msgstr"), ('msgctxt "', "msgctxt"))


def _value(body: str) -> str:
    """The text of a C string literal's body (between the quotes)."""
    if "\\" not in body and '"' not in body:
        return body
    if _PLAIN_STRING.fullmatch(body) is None:
        raise Unsupported
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], body)


def _token(rest: str) -> tuple[str | None, str]:
    """`msgid "…"`, `msgstr "…"`, `msgctxt "…"` or a bare `"…"` (keyword None)."""
    if len(rest) >= 2 and rest[0] == '"' and rest[-1] == '"':
        return None, _value(rest[1:-1])
    for prefix, name in _KEYWORDS:
        if rest.startswith(prefix) and len(rest) > len(prefix) and rest[-1] == '"':
            return name, _value(rest[len(prefix):-1])
    raise Unsupported


def scan_states(data: bytes, owner: str) -> list[tuple[str, int]]:
    """(status, source words) of each entry of the article `owner` (see `model.belongs`);
    raises Unsupported where `scan_entries` does."""
    entries = scan_entries(data, owner)
    try:
        return [(status(entry), len(entry.msgid.split())) for entry in entries]
    except Exception:
        # The strict path parses the whole file before counting, so its parse error must
        # win over whatever status() raised here.
        raise Unsupported from None


def scan_entries(data: bytes, owner: str) -> list[Entry]:
    """The entries of the article `owner` (see `model.belongs`) in a catalog of the shape
    gettext and l10n write, with the fields the catalog model reads; raises Unsupported
    for anything else.

    Follows the grammar of `poformat._Parser` (GNU gettext's) for one string per line and
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
    header = [False]
    # The entry being read: one list of string pieces per field, None until its keyword.
    obsolete: bool | None = None
    msgctxt: list[str] | None = None
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    has_previous = False  # any `#|` keyword, msgctxt included
    flags: list[str] = []
    tcomment: list[str] = []
    refs: list[str] = []
    current: list[str] | None = None  # the field a bare "…" line continues
    current_previous = False
    for line in text.split("\n"):
        if not line:
            continue
        first = line[0]
        if first == '"':  # the most frequent line: a continued string
            if current is None or current_previous or obsolete or len(line) < 2 \
                    or line[-1] != '"':
                raise Unsupported
            body = line[1:-1]
            current.append(body if "\\" not in body and '"' not in body else _value(body))
            continue
        if first == "m":
            name, value = _token(line)
            line_obsolete = line_previous = False
        elif first != "#":
            raise Unsupported
        elif line[1:2] in ("~", "|"):
            line_obsolete = line[1] == "~"
            rest = line[2:]
            line_previous = not line_obsolete or rest[:1] == "|"
            if line_obsolete and line_previous:
                rest = rest[1:]
            if rest[:1] != " ":
                raise Unsupported
            name, value = _token(rest[1:])
        else:  # a comment: it ends a complete entry, and may not interrupt one
            if msgstr is not None:
                _keep(entries, seen, header, owner, obsolete, msgctxt, msgid, msgstr, flags,
                       tcomment, refs)
                obsolete = msgctxt = msgid = msgstr = current = None
                has_previous = current_previous = False
                flags, tcomment, refs = [], [], []
            elif msgctxt is not None or msgid is not None:
                raise Unsupported
            kind = line[1:2]
            if kind in (",", "!"):
                body = line[2:]
                flags.extend(["fuzzy"] if body.strip() == "fuzzy" else parse_flags(body))
            elif kind == ":":
                refs.append(line[2:])
            elif kind != ".":  # extracted comments: not needed
                tcomment.append(line[2:] if kind == " " else line[1:])
            continue
        if name is None:  # a continued string after `#~` or `#|`
            if current is None or current_previous != line_previous \
                    or obsolete != line_obsolete:
                raise Unsupported
            current.append(value)
            continue
        if msgstr is not None and (line_previous or name != "msgstr"):
            _keep(entries, seen, header, owner, obsolete, msgctxt, msgid, msgstr, flags,
                   tcomment, refs)
            obsolete = msgctxt = msgid = msgstr = current = None
            has_previous = False
            flags, tcomment, refs = [], [], []
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
               tcomment, refs)
    elif msgctxt is not None or msgid is not None or has_previous:
        raise Unsupported  # the file ends inside an entry
    return entries


def _keep(entries: list[Entry], seen: set[tuple[str | None, str]], header: list[bool],
           owner: str, obsolete: bool | None, msgctxt: list[str] | None,
           msgid: list[str] | None, msgstr: list[str], flags: list[str], tcomment: list[str],
           refs: list[str]) -> None:
    """Keep one finished entry, after the checks `poformat._build` makes."""
    assert msgid is not None
    text = "".join(msgid)
    context = "".join(msgctxt) if msgctxt is not None else None
    if not obsolete:
        key = (context, text)
        if key in seen:
            raise Unsupported  # a duplicate: the strict parser reports both lines
        seen.add(key)
        if not header[0] and msgctxt is None and not text:
            header[0] = True
            match = _HEADER_CHARSET.search("".join(msgstr))
            try:
                codec = python_codec(match.group(1) if match else None)
            except LookupError:
                raise Unsupported from None
            if codec != "utf-8":  # the text was decoded as UTF-8: read it again properly
                raise Unsupported
            return
    if not text:
        return
    occurrences = [ref for body in refs for ref in parse_references(body)]
    entry = Entry(text, "".join(msgstr), context, flags, "\n".join(tcomment), occurrences,
                  bool(obsolete))
    if belongs(entry, owner):
        entries.append(entry)
