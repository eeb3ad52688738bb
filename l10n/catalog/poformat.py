"""PO file format: a strict reader and a writer whose output GNU gettext leaves unchanged.

`load`/`loads` read a PO or POT file into a `polib.POFile`. The parser is our own and follows
GNU gettext's grammar (read-po), not polib's: polib accepts files gettext rejects (a msgstr
without msgid, duplicate messages, gaps in msgstr[N]), drops `#~|` previous strings of
obsolete entries, knows only some escapes and loses line numbers. Every problem is a
`BadInputError` carrying the file and line. A UTF-8 byte order mark is tolerated (gettext
itself rejects it), the header's charset is honoured, CRLF line ends are accepted.

The objects follow polib's conventions, so the rest of the code can use polib's API:
`tcomment`/`comment` are newline-joined lines, `occurrences` are `(file, line)` string pairs
(`line` is "" when absent), `flags` are strings ("fuzzy", "python-format", "range: 0..9"),
the header entry becomes `POFile.metadata` (in file order), its translator comments
`POFile.header` and its flags `POFile.metadata_is_fuzzy`. Unlike polib, the comments in
front of the first entry belong to that entry unless it is the header (as in gettext).

`dumps` writes exactly what GNU gettext's `msgcat` (0.21, linked to libunistring 1.0) prints
for the same catalog, so `msgcat --force-po` on our output is the identity and a translator's
PO editor or a later msgmerge produces no noise in diffs. It reproduces write-po.c:

* header entry first, then the other entries in list order, obsolete entries (`#~`) last;
  a blank line between entries;
* comments in the order `# ` translator, `#. ` extracted, `#: ` references (`./` stripped,
  duplicates dropped, a new `#:` line when the next reference would pass the width),
  `#, ` flags (fuzzy, then format flags in gettext's fixed order, `range:`, `no-wrap`),
  `#| ` previous msgctxt/msgid/msgid_plural;
* gettext's normalisations: `fuzzy` is dropped from untranslated entries, obsolete
  entries without translation are dropped, flags gettext does not know are dropped;
* strings escaped like gettext (`\\ \" \a \b \f \n \r \t \v`, other characters raw) and
  wrapped like gettext: a string that does not fit or contains a newline before its end
  starts with `""`; it is split after each `\n` and elsewhere at the line-break
  opportunities of libunistring's Unicode line breaking (UAX #14, Unicode 14 tables
  embedded below), never inside an escape sequence or a c-format/python-format
  directive, so that each line including its quotes fits the width (East Asian wide
  characters count two columns).

The default width is 79 columns, gettext's default (`msgcat`/`msgmerge --width`); as in
gettext, 0 means no wrapping and widths below 20 count as 20. The character tables were
extracted from libunistring 1.0 (Unicode character data; the tests compare them and the
line breaker with the installed library).

Known deviations from msgcat 0.21 (none occurs in catalogs this project writes):

* directives are parsed only for c/objc-format and python-format; for other format flags
  (java, python-brace, qt...) a line may be split inside a directive where msgcat would not;
* BIG5-family charsets: Python's codecs map a few characters differently from glibc's
  iconv, which can change their width; UTF-8, ISO-8859-x, KOI8-R, EUC-JP/KR, GB2312 and
  Shift_JIS were checked;
* reading: gettext keeps a trailing CR in comments of CRLF files, we drop it; octal and
  hex escapes must denote ASCII characters; the header entry keeps only its translator
  comments, flags and msgstr (polib has nowhere to put the rest); header values are
  stripped (polib's convention);
* newer gettext releases (0.22+: Unicode 15 line breaking, file names with spaces in
  references) may wrap a few strings differently.
"""

from __future__ import annotations

import base64
import codecs
import functools
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.errors import BadInputError

__all__ = ["DEFAULT_WIDTH", "catalog_codec", "dumpb", "dumps", "load", "loadb", "loads",
           "parse_flags", "parse_references", "python_codec"]

DEFAULT_WIDTH = 79

# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------

_BOM = codecs.BOM_UTF8.decode("utf-8")
_WS = " \t\f\v\r"
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?")
_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
            "\\": "\\", '"': '"'}
_OCTAL = re.compile(r"[0-7]{1,3}")
_HEX = re.compile(r"x([0-9A-Fa-f]+)")
_REF_NUMBER = re.compile(r"[0-9]+")
_REF_TAIL = re.compile(r"(.+):([0-9]+)")
_HEADER_CHARSET = re.compile(r"charset=([^ \t\n]*)")


@dataclass
class _Draft:
    """An entry while its lines are read (gettext's message_ty), made a POEntry later."""

    line: int = 0
    msgid_line: int = 0
    obsolete: bool | None = None
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    refs: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    prev: dict[str, str] = field(default_factory=dict)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    # The field a following "..." continues: ("msgid" etc., "prev_msgid" etc. or "plural",
    # plural index).
    current: tuple[str, int] | None = None

    @property
    def started(self) -> bool:
        return self.msgctxt is not None or self.msgid is not None

    @property
    def complete(self) -> bool:
        return self.msgstr is not None or bool(self.msgstr_plural)

    @property
    def empty(self) -> bool:
        return not (self.started or self.tcomment or self.comment or self.refs or self.flags
                    or self.prev)


class _Parser:
    """GNU gettext's PO grammar, line by line; errors carry the line gettext would name."""

    def __init__(self, text: str, path: Path | None) -> None:
        self.text = text
        self.path = path
        self.draft = _Draft()
        self.done: list[_Draft] = []
        # A keyword still waiting for its first string: (keyword, line).
        self.pending: tuple[str, int] | None = None

    def error(self, message: str, line: int, hint: str | None = None) -> BadInputError:
        return BadInputError(message, path=self.path, line=line, hint=hint)

    def entries(self) -> Iterator[_Draft]:
        """Yield finished entries in file order; trailing comments are dropped, as gettext does."""
        lineno = 0
        for lineno, raw in enumerate(self.text.split("\n"), start=1):
            line = raw.strip(_WS)
            if not line:
                continue
            if line[0] != "#":
                self.tokens(line, lineno, obsolete=False, prev=False)
            elif line[1:2] == "~":
                rest = line[2:]
                prev = rest[:1] == "|"
                self.tokens(rest[1:] if prev else rest, lineno, obsolete=True, prev=prev)
            elif line[1:2] == "|":
                self.tokens(line[2:], lineno, obsolete=False, prev=True)
            else:
                body = raw.lstrip(_WS)[1:]
                self.comment(body[:-1] if body.endswith("\r") else body, lineno)
            if self.done:
                yield from self.done
                self.done.clear()
        self.need_string(lineno + 1)
        draft = self.draft
        if draft.complete:
            self.done.append(draft)
        elif draft.started or draft.prev:
            raise self.error("the file ends inside the entry that starts here: its msgstr is "
                             "missing", draft.line, hint="the file looks truncated")
        yield from self.done

    def finish(self) -> _Draft:
        self.done.append(self.draft)
        self.draft = _Draft()
        return self.draft

    def need_string(self, lineno: int) -> None:
        if self.pending is not None:
            keyword, line = self.pending
            raise self.error(f"syntax error: {keyword} without a string", line)

    def tokens(self, line: str, lineno: int, *, obsolete: bool, prev: bool) -> None:
        pos, end = 0, len(line)
        while pos < end:
            char = line[pos]
            if char in _WS:
                pos += 1
            elif char == '"':
                value, pos = self.string(line, pos, lineno)
                self.add_string(value, lineno, obsolete=obsolete, prev=prev)
            elif char == "#" and pos > 0:
                # gettext reads a comment after tokens too; it belongs to the next entry.
                self.comment(line[pos + 1:], lineno)
                return
            else:
                match = _KEYWORD.match(line, pos)
                if match is None or (match.end() < end and line[match.end()] not in _WS + '"'):
                    word = line[pos:].split(None, 1)[0][:40]
                    raise self.error(f"syntax error: unexpected {word!r}", lineno)
                name, index = match.group(1), match.group(2)
                if index is not None and name != "msgstr":
                    raise self.error(f"syntax error: {match.group(0)!r}", lineno)
                self.keyword(name, int(index) if index is not None else None, lineno,
                             obsolete=obsolete, prev=prev)
                pos = match.end()

    def string(self, line: str, start: int, lineno: int) -> tuple[str, int]:
        """Parse the C string literal at line[start] (a quote); return value and end."""
        close = line.find('"', start + 1)
        backslash = line.find("\\", start + 1)
        if close != -1 and (backslash == -1 or backslash > close):
            return line[start + 1:close], close + 1
        out: list[str] = []
        pos, end = start + 1, len(line)
        while True:
            if pos >= end:
                raise self.error("end of line within string (missing closing quote)", lineno)
            char = line[pos]
            if char == '"':
                return "".join(out), pos + 1
            if char != "\\":
                out.append(char)
                pos += 1
                continue
            pos += 1
            code = line[pos:pos + 1]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                pos += 1
                continue
            octal = _OCTAL.match(line, pos)
            hexa = _HEX.match(line, pos)
            if octal:
                value, pos = int(octal.group(0), 8), octal.end()
            elif hexa:
                value, pos = int(hexa.group(1), 16), hexa.end()
            else:
                raise self.error(f"invalid escape sequence '\\{code}' in string", lineno,
                                 hint='write a backslash as "\\\\"')
            # A numeric escape is a byte in the file's charset; only ASCII means the same
            # byte in every charset, and gettext cuts the string at a NUL byte.
            if not 0 < value < 0x80:
                raise self.error(f"unsupported numeric escape for byte {value:#04x} in string",
                                 lineno, hint="write the character itself")
            out.append(chr(value))

    def comment(self, body: str, lineno: int) -> None:
        self.need_string(lineno)
        draft = self.draft
        if draft.complete:
            draft = self.finish()
        elif draft.started:
            raise self.error("syntax error: comment inside an entry, before its msgstr", lineno)
        if draft.empty:
            draft.line = lineno
        kind = body[:1]
        if kind == ".":
            text = body[1:]
            draft.comment.append(text[1:] if text[:1] == " " else text)
        elif kind == ":":
            draft.refs.extend(parse_references(body[1:]))
        elif kind in (",", "!"):
            draft.flags.extend(parse_flags(body[1:]))
        else:
            draft.tcomment.append(body[1:] if kind == " " else body)

    def add_string(self, value: str, lineno: int, *, obsolete: bool, prev: bool) -> None:
        draft = self.draft
        if draft.current is None:
            raise self.error("syntax error: string without a keyword before it", lineno)
        kind, index = draft.current
        if kind.startswith("prev_") != prev or draft.obsolete != obsolete:
            raise self.error("inconsistent use of #~ or #| within one entry", lineno)
        self.pending = None
        if kind.startswith("prev_"):
            draft.prev[kind[5:]] += value
        elif kind == "plural":
            draft.msgstr_plural[index] += value
        else:
            setattr(draft, kind, getattr(draft, kind) + value)

    def keyword(self, name: str, index: int | None, lineno: int, *, obsolete: bool,
                prev: bool) -> None:
        self.need_string(lineno)
        draft = self.draft
        if (prev or name in ("msgctxt", "msgid")) and draft.complete:
            draft = self.finish()
        if prev:
            if draft.started:
                raise self.error(f"syntax error: #| {name} after msgid", lineno)
            if name == "msgstr":
                raise self.error("syntax error: #| msgstr", lineno)
        elif name in ("msgctxt", "msgid"):
            if draft.msgid is not None:
                raise self.error(f"syntax error: {name} after msgid; msgstr is missing", lineno)
            if name == "msgctxt" and draft.msgctxt is not None:
                raise self.error("syntax error: second msgctxt", lineno)
        elif name == "msgid_plural":
            if draft.msgid is None or draft.msgid_plural is not None or draft.complete:
                raise self.error("syntax error: msgid_plural without msgid", lineno)
        elif index is None:
            if draft.msgid is None:
                raise self.error("syntax error: msgstr without msgid", lineno)
            if draft.msgid_plural is not None:
                raise self.error("msgstr after msgid_plural: plural entries need msgstr[N]",
                                 lineno)
            if draft.complete:
                raise self.error("syntax error: msgstr without msgid (this entry already has "
                                 "its msgstr)", lineno)
        else:
            if draft.msgid is None:
                raise self.error(f"syntax error: msgstr[{index}] without msgid", lineno)
            if draft.msgid_plural is None:
                raise self.error(f"msgstr[{index}] without msgid_plural", lineno)
            if index != len(draft.msgstr_plural):
                raise self.error(f"plural form has wrong index: msgstr[{index}] where "
                                 f"msgstr[{len(draft.msgstr_plural)}] was expected", lineno)
        if draft.obsolete is None:
            draft.obsolete = obsolete
        elif draft.obsolete != obsolete:
            raise self.error("inconsistent use of #~ within one entry", lineno)
        if draft.empty:
            draft.line = lineno
        self.pending = ((f"#| {name}" if prev else name), lineno)
        if prev:
            draft.prev[name] = ""
            draft.current = ("prev_" + name, 0)
        elif index is not None:
            draft.msgstr_plural[index] = ""
            draft.current = ("plural", index)
        else:
            if name == "msgid":
                draft.msgid_line = lineno
            setattr(draft, name, "")
            draft.current = (name, 0)


# gettext 0.22+ wraps a file name that contains spaces in Unicode isolates.
_ISOLATE_START, _ISOLATE_END = "\u2068", "\u2069"
_ISOLATED = re.compile(f"{_ISOLATE_START}([^{_ISOLATE_END}]*){_ISOLATE_END}(:[0-9]+)?")


def parse_references(body: str) -> list[tuple[str, str]]:
    """`#:` comment → (file, line) pairs, with gettext's tolerance for `file : 12` spacing
    and its quoting of file names with spaces (`⁨my file.txt⁩:12`)."""
    if _ISOLATE_START in body:
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
        if nxt.startswith(":") and _REF_NUMBER.fullmatch(nxt[1:]):
            refs.append((word, str(int(nxt[1:]))))
            i += 2
        elif nxt == ":" and _REF_NUMBER.fullmatch(after):
            refs.append((word, str(int(after))))
            i += 3
        elif word.endswith(":") and len(word) > 1 and _REF_NUMBER.fullmatch(nxt):
            refs.append((word[:-1], str(int(nxt))))
            i += 2
        else:
            match = _REF_TAIL.fullmatch(word)
            refs.append((match.group(1), str(int(match.group(2)))) if match else (word, ""))
            i += 1
    return refs


def parse_flags(body: str) -> list[str]:
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


def _build(drafts: Iterator[_Draft], *, path: Path | None, encoding: str,
           parser: _Parser) -> polib.POFile:
    po = polib.POFile(encoding=encoding, wrapwidth=DEFAULT_WIDTH)
    po.fpath = str(path) if path is not None else None
    seen: dict[tuple[str | None, str], int] = {}
    header_found = False
    for draft in drafts:
        assert draft.msgid is not None
        obsolete = bool(draft.obsolete)
        if not obsolete:
            key = (draft.msgctxt, draft.msgid)
            if key in seen:
                raise parser.error("duplicate message definition", draft.msgid_line,
                                   hint=f"the first definition is at line {seen[key]}")
            seen[key] = draft.msgid_line
            if not header_found and draft.msgctxt is None and draft.msgid == "":
                header_found = True
                _set_header(po, draft)
                continue
        entry = polib.POEntry(
            msgid=draft.msgid,
            msgstr=draft.msgstr if draft.msgstr is not None else "",
            msgid_plural=draft.msgid_plural if draft.msgid_plural is not None else "",
            msgstr_plural=dict(draft.msgstr_plural),
            msgctxt=draft.msgctxt,
            obsolete=obsolete,
            encoding=encoding,
            comment="\n".join(draft.comment),
            tcomment="\n".join(draft.tcomment),
            occurrences=_dedupe(draft.refs),
            flags=list(draft.flags),
            previous_msgctxt=draft.prev.get("msgctxt"),
            previous_msgid=draft.prev.get("msgid"),
            previous_msgid_plural=draft.prev.get("msgid_plural"),
            linenum=draft.line,
        )
        po.append(entry)
    return po


def _dedupe(refs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(refs))


def _set_header(po: polib.POFile, draft: _Draft) -> None:
    po.header = "\n".join(draft.tcomment)
    po.metadata_is_fuzzy = list(draft.flags) if draft.flags else 0
    # polib's convention: "Key: value" lines; a line without a colon continues the value.
    key: str | None = None
    for line in (draft.msgstr or "").split("\n"):
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon:
            key = name
            po.metadata[key] = value.strip()
        elif key is not None:
            po.metadata[key] += "\n" + line.strip()


def python_codec(charset: str | None) -> str:
    """The Python codec for a PO charset ("CHARSET" and a missing one mean UTF-8).

    Raises LookupError for a charset Python does not know.
    """
    if not charset or charset.upper() == "CHARSET":
        return "utf-8"
    return codecs.lookup(charset).name


def _declared_charset(text: str, path: Path | None) -> str | None:
    """The charset= of the header entry, found by parsing until the header is read.

    `text` is the file decoded as Latin-1, which maps bytes 1:1 and keeps ASCII intact.
    """
    for draft in _Parser(text, path).entries():
        if not draft.obsolete and draft.msgctxt is None and draft.msgid == "":
            match = _HEADER_CHARSET.search(draft.msgstr or "")
            return match.group(1) if match else None
    return None


def loadb(data: bytes, *, path: Path | None = None) -> polib.POFile:
    """Parse PO file content given as bytes, honouring the header's charset."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    charset = _declared_charset(data.decode("latin-1"), path)
    try:
        codec = python_codec(charset)
    except LookupError:
        raise BadInputError(f"unknown charset {charset!r} in the PO header", path=path,
                            hint="convert the file to UTF-8, e.g. with msgconv") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        declared = f"charset {charset}" if charset else "no charset (read as UTF-8)"
        raise BadInputError(f"invalid bytes for {declared}: {exc.reason}", path=path,
                            line=line, hint="fix the charset in the Content-Type header "
                            "or convert the file, e.g. with msgconv") from None
    po = _parse(text, path, encoding=charset if charset and codec != "utf-8" else "utf-8")
    return po


def loads(text: str, *, path: Path | None = None) -> polib.POFile:
    """Parse PO file content already decoded to text (`path` is only used in errors)."""
    if text.startswith(_BOM):
        text = text[1:]
    return _parse(text, path, encoding="utf-8")


def load(path: Path, *, shown: Path | None = None) -> polib.POFile:
    """Read a PO or POT file. Raises BadInputError for anything gettext would reject;
    messages name the file as `shown` (e.g. relative to the project) when given."""
    path = Path(path)
    where = shown or path
    if not path.exists():
        raise BadInputError("no such file", path=where)
    if not path.is_file():
        raise BadInputError("not a regular file", path=where,
                            hint="give the path of a .po or .pot file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=where) from None
    return loadb(data, path=where)


def _parse(text: str, path: Path | None, *, encoding: str) -> polib.POFile:
    parser = _Parser(text, path)
    return _build(parser.entries(), path=path, encoding=encoding, parser=parser)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

# gettext's format_language[] order (format.c, 0.21): the order of format flags in `#,`.
_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_SET = frozenset(_FORMATS)
_RANGE = re.compile(r"range:\s*([0-9]+)\.\.([0-9]+)")
# The escapes write-po.c emits; every other character is written raw.
_ESCAPE_MAP = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
               "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_ESCAPE_TABLE = str.maketrans(_ESCAPE_MAP)
_CJK_CHARSETS = frozenset({"EUC-JP", "GB2312", "GBK", "EUC-TW", "BIG5", "EUC-KR", "CP949",
                           "JOHAB"})


@dataclass(frozen=True, slots=True)
class _Flags:
    """An entry's `#,` flags as gettext understands them."""

    fuzzy: bool
    formats: tuple[str, ...]  # printed format flags, in gettext's order
    range: str | None
    no_wrap: bool
    directive_format: str | None  # the format whose directives must not be split


def _interpret_flags(flags: list[str]) -> _Flags:
    fuzzy = False
    state: dict[str, str] = {}
    rng: str | None = None
    no_wrap = False
    for flag in flags:
        if flag == "fuzzy":
            fuzzy = True
        elif flag == "wrap":
            no_wrap = False
        elif flag == "no-wrap":
            no_wrap = True
        elif flag.startswith("range:"):
            match = _RANGE.fullmatch(flag)
            if match and int(match.group(1)) <= int(match.group(2)):
                rng = f"range: {int(match.group(1))}..{int(match.group(2))}"
        elif flag.endswith("-format"):
            lang, how = flag[:-7], "yes"
            for prefix in ("no-", "possible-", "impossible-", "undecided-"):
                if lang.startswith(prefix) and lang[len(prefix):] in _FORMAT_SET:
                    lang, how = lang[len(prefix):], prefix[:-1]
                    break
            if lang in _FORMAT_SET:
                state[lang] = how
    formats: list[str] = []
    directive_format = None
    for lang in _FORMATS:
        value = state.get(lang)
        if value in ("yes", "possible"):
            formats.append(f"{lang}-format")
            directive_format = directive_format or lang
        elif value == "no":
            formats.append(f"no-{lang}-format")
    return _Flags(fuzzy, tuple(formats), rng, no_wrap, directive_format)


def catalog_codec(po: polib.POFile) -> str:
    """The header's charset as a Python codec name (UTF-8 when none is declared)."""
    match = _HEADER_CHARSET.search(po.metadata.get("Content-Type", ""))
    try:
        return python_codec(match.group(1) if match else None)
    except LookupError:
        return "utf-8"


def dumpb(po: polib.POFile, *, width: int = DEFAULT_WIDTH) -> bytes:
    """`dumps` encoded in the charset the header declares (what gets written to disk)."""
    return dumps(po, width=width).encode(catalog_codec(po))


def dumps(po: polib.POFile, *, width: int = DEFAULT_WIDTH) -> str:
    """Serialize `po` exactly as GNU gettext's msgcat would print it (see module docstring).

    `width` is msgcat's --width: 0 means no wrapping, and like gettext anything below 20
    counts as 20.
    """
    width = (1 << 30) if width == 0 else max(width, 20)
    match = _HEADER_CHARSET.search(po.metadata.get("Content-Type", ""))
    charset = match.group(1).upper() if match else "UTF-8"
    writer = _Writer(width=width, cjk=charset in _CJK_CHARSETS,
                     ref_codec=catalog_codec(po))
    out: list[str] = []
    writer.header(out, po)
    for entry in po:
        if not entry.obsolete:
            out.append("")
            writer.entry(out, entry)
    for entry in po:
        if entry.obsolete and _first_msgstr(entry):
            out.append("")
            writer.entry(out, entry)
    out.append("")
    return "\n".join(out)


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        plural = entry.msgstr_plural or {}
        return str(plural.get(0) or plural.get("0") or "")
    return entry.msgstr or ""


class _Writer:
    def __init__(self, *, width: int, cjk: bool, ref_codec: str) -> None:
        self.width = width
        self.cjk = cjk
        self.ref_codec = ref_codec

    def header(self, out: list[str], po: polib.POFile) -> None:
        if po.header:
            _comment_lines(out, "#", po.header)
        lines = []
        for key, value in po.metadata.items():
            lines.append(f"{key}: {value}\n")
        msgstr = "".join(lines)
        fuzzy = po.metadata_is_fuzzy
        flags = list(fuzzy) if isinstance(fuzzy, list | tuple) else (["fuzzy"] if fuzzy else [])
        info = _interpret_flags(flags)
        self.flag_line(out, info, translated=bool(msgstr), obsolete=False)
        self.string(out, "", "msgid", "", info)
        self.string(out, "", "msgstr", msgstr, info)

    def entry(self, out: list[str], entry: polib.POEntry) -> None:
        obsolete = bool(entry.obsolete)
        if entry.tcomment:
            _comment_lines(out, "#", entry.tcomment)
        if entry.comment:
            _comment_lines(out, "#.", entry.comment)
        if entry.occurrences:
            self.references(out, entry.occurrences)
        info = _interpret_flags(list(entry.flags or ()))
        self.flag_line(out, info, translated=bool(_first_msgstr(entry)), obsolete=obsolete)
        prev_prefix = "#~| " if obsolete else "#| "
        if entry.previous_msgctxt is not None:
            self.string(out, prev_prefix, "msgctxt", entry.previous_msgctxt, info)
        if entry.previous_msgid is not None:
            self.string(out, prev_prefix, "msgid", entry.previous_msgid, info)
        if entry.previous_msgid_plural is not None:
            self.string(out, prev_prefix, "msgid_plural", entry.previous_msgid_plural, info)
        prefix = "#~ " if obsolete else ""
        if entry.msgctxt is not None:
            self.string(out, prefix, "msgctxt", entry.msgctxt, info)
        self.string(out, prefix, "msgid", entry.msgid, info)
        if entry.msgid_plural:
            self.string(out, prefix, "msgid_plural", entry.msgid_plural, info)
            plural = {int(k): v for k, v in (entry.msgstr_plural or {}).items()}
            if not plural:
                plural = {0: "", 1: ""}
            for index in sorted(plural):
                self.string(out, prefix, f"msgstr[{index}]", plural[index], info)
        else:
            self.string(out, prefix, "msgstr", entry.msgstr or "", info)

    def references(self, out: list[str], occurrences: list[tuple[str, str]]) -> None:
        refs: dict[str, None] = {}
        for occurrence in occurrences:
            name, line = occurrence if len(occurrence) == 2 else (occurrence[0], "")
            name = str(name)
            while name.startswith("./"):
                name = name[2:]
            line = str(line).strip() if line is not None else ""
            if _REF_NUMBER.fullmatch(line):
                line = str(int(line))
            if any(ch.isspace() for ch in name):
                name = f"{_ISOLATE_START}{name}{_ISOLATE_END}"
            refs[f"{name}:{line}" if line else name] = None
        text = "#:"
        column = 2
        for ref in refs:
            size = (len(ref) if ref.isascii()
                    else len(ref.encode(self.ref_codec, errors="replace"))) + 1
            if column > 2 and column + size > self.width:
                out.append(text)
                text, column = "#:", 2
            text += " " + ref
            column += size
        out.append(text)

    @staticmethod
    def flag_line(out: list[str], info: _Flags, *, translated: bool, obsolete: bool) -> None:
        parts: list[str] = []
        if info.fuzzy and translated:
            parts.append("fuzzy")
        parts.extend(info.formats)
        # msgcat 0.21 keeps no range on obsolete entries.
        if info.range and not obsolete:
            parts.append(info.range)
        if info.no_wrap:
            parts.append("no-wrap")
        if parts:
            out.append("#, " + ", ".join(parts))

    def string(self, out: list[str], prefix: str, name: str, value: str, info: _Flags) -> None:
        if len(value) <= 30 and self.width >= 79 and "\n" not in value[:-1]:
            escaped = value.translate(_ESCAPE_TABLE)
            if len(escaped) <= 30:
                # At most 60 columns: fits after any keyword and prefix (at most 16 + 3).
                out.append(f'{prefix}{name} "{escaped}"')
                return
        out.extend(_wrapped(prefix, name, value, self.width, not info.no_wrap,
                            info.directive_format, self.cjk))


def _comment_lines(out: list[str], mark: str, text: str) -> None:
    for line in text.split("\n"):
        out.append(f"{mark} {line}" if line else mark)


# --- string layout -------------------------------------------------------------------

_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2, 3


@functools.lru_cache(maxsize=4096)
def _wrapped(prefix: str, name: str, value: str, page_width: int, do_wrap: bool,
             directive_format: str | None, cjk: bool) -> tuple[str, ...]:
    """The lines write-po.c's wrap() prints for `name "value"`.

    Cached: a msgid is written to the template and again to every language's catalog.
    """
    out: list[str] = []
    if not value:
        out.append(f'{prefix}{name} ""')
        return tuple(out)
    protected = _directive_interiors(value, directive_format) if directive_format else None
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
    escaped = portion.translate(_ESCAPE_TABLE)
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
            pos += 2 if char in _ESCAPE_MAP else 1
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

# The pair table of UAX #14 as libunistring 1.0 resolves it: row = class before,
# column = class after; 1 direct break, 2 break only after spaces, 3 no break.
_PAIRS = bytes(int(c) for c in "".join((
    "322222333322222322232222222222222",
    "322222333322222322232222222222222",
    "323212333322112311131111111111111",
    "311212333322112311131111111111111",
    "322222333322222322232222222222222",
    "311212333322112321131111111111111",
    "321212333323112312231111111111111",
    "321212333322112322232111111121211",
    "321212333322112312231111111111111",
    "321212333322112311131111111111111",
    "321212333322112311131111111111111",
    "321212333322112311131111111111111",
    "333333333333333333333333333333333",
    "333333333333333333333333333333333",
    "322222333322332322232222222222222",
    "321212333322112321131111111111111",
    "321212333322212322232111111121211",
    "321212333322222321132111111121211",
    "321212333322222321132222222221222",
    "321212333322112321131111111121111",
    "321212333322212322232111111121211",
    "321212333322112312131111112211111",
    "321212333322112312131111111211111",
    "321212333322112312131111111111111",
    "321212333322112312131111111111112",
    "321212333322112312131221122111111",
    "321212333322112312131111112211111",
    "321212333322112312131111111211111",
    "321212333322212322232111111121211",
    "321212333322112311131111111111111",
    "321212333322212322232112211121222",
    "321212333322112312131111111111112",
    "321212333322112312131111111111111",
)))

# Per code point: line breaking class << 2 | (uc_width + 1), run-length coded, zlib, base85.
_TABLE_DATA = (
    "c-rk*O>A6O71q7?{mq-1H}>Su8OM&3I+K4paoRYTwn?YdrB2m0cUsyC>Ah-Fs47$;r4<MvWdcMLiGuPbY8R0x(xjfn^#"
    "%!vsvA@x5DO5nfT{}?WyOL8T>%T!@_pw$yLN~w*k^I(-gke_J%9I{bI+(ex~6LCHGNfmuX#<~P;IrOtXfga_+3&9YFfV"
    "TS33cZ#T|XWv8p|3F|(qkr`RT{rEG9bU2R=c0lt^bin4l$eM7-j*B01TFw#`k$Cw$ag<Y843;4a^vZmqW5DSN)^@^=lH"
    "D~POx$<jy=-2beYUf!HVLcaG<uLEI13pkT%t!ocW5o%sNVL-=+8xh9Tn=IiXsbMOlb1Z_UDCGdf(yo)Wqm*TGH2RH?T$"
    "R|sAb&&Rry6QO62MS*vqwG@zBN{p36~{Pus~{yJv~PCNA#mvz1(^#7^y0u2*(qkHV<32H<0L1G{(QOA8NG>pKX-=?j62"
    "@*{Qv=gs75a2nXvfYh5olzZsu0jY^Whfd<oxRnt{xqvpe6F3UF7|4ldb0_F^dO+ZJ<kY~UY@8t$(2JeRz7=J!Xkv7lr@"
    "Fv;Td?X45X{aDbdD8RZ*qf?kh;OyA#vuEp0aU?t0L#AEx7y*3VmQJ){#caq`^~!I#LxnN?*C#bGsRrNNWqnp<v$1aRj<"
    "#HFz{amxorD7Nw=napP)~fyf=-1M*zZ7eI>Cb%izt?ZI*|6O~-Tu-(`?chnmsgfj|SNQF}c4?+#NYgP(PHaBC4H}Mq~X"
    "Ok;p83gN^C}f0QothY|%lWWaDs`_up&PtlZV;Eduy#4H>r!ok+X-7}iqwUcI>nBG5y?aDI2D?uJZ#OK7^zh~3RgV`{fw"
    "ej=(?km15S^y8sGya%6=?sE30axWt?Nds@R_MMl(3igImx|6#x<y_-!~5+&t<l0A5H!?r;eUa5exvptNSeRf0PX8%lKU"
    "^A@^U+EW7F@}Q6su{I&g;D9?m@<2yGT0oOVOS(N9q3?~%>KNwhLa$y8q>Vd9+O|l>7wMd^&%N;Z7oU0Q5wRV;;f>foT("
    "<jeGsk=XnX><&<;}rNG6`9?U{hbfNI;DzALA+|Eqd0Lap$c`s<>87x{pD{ZKHArI;mhp=QUR^mCpX%!cw>z3CYz}ov1m"
    "8JK-@fRgOaJP^6^^={Dvm`nI?xU*(*87H2_N`F;_&@0M|0=$>fGxY&c@N(3+rPh5>|$DL_WZPgtcd9F30p{NmNMvF8yx"
    "is3I#_6OD;#d_*U^c-hUZsf(O@IV=_U0#XS=3-&+@CKl(3eXX;WVlX29v~as1=L8T<~ct*M7jh5eI!tc5AtqGB$|ZAsf"
    "Mwa+PsD94Ie&+?fTI3V1#W(O2OhsgyeQgmmLHA>bn>%HmyR&*g9EQc>-)jY<`-!(NQtgO=(}WR0TML`yJ-Cf9^8bd#vp"
    "LESergH!-sV#Z93m}?k!mo&nmIReA}E~F4d%Q83Aa{<E(ZDX!Ry+Rt$L!y*-0hcWo2R)3$dKg5#^*$`cxDatY0eAq-7!"
    "PQy?8_UZjzM6^7H)u{cm>XayN8F+`o$P9)`p&qhYk7mTs%Be1nc2ZX*DotS!v2~oP%GlSYP5G1k(B#!-W{e<qn=x7Ytm"
    "h1)61BFV|E7y8*C~BNKMrB?OW@=nShC)#T5?dKZf`ovQ4V-3{gLa6jg`kK()oz%eFg#FD9m;IlZx+h~o@$~9wvN<mi_X"
    "j4^k=oRZTV8ED3)n%O`u%}+hqi<{7n&3AD&#7ow`jB6?&8lv3zUt!q?l^Gysm_3b7`wp8HUlNx3BX8suF3+AWSj?;I9r"
    "j9EW|$0pX$E83?I_H3qbtfhwV*cgC)81so9X+?O>WzcOl(w0`O(+-rMfD{^^Krg|i#0XQcNdP}@Bv6snuvum$_YgnM5z"
    "L!!rR8#=JIN;do8GnRRQN)ot_UA7{A_S0Y{PnM#>5h7v5kxN>x+E&_dm6*3B1USLiNKY-4JJB~3-K|_D`&}zjYtLr2wf"
    "9ukTB~K=nri4tXlEV(YrGY1Gdiyp^<<pEk6rgO1<>=N-8IZ)TVXd~@22lS0PEL~lwm~w&pW(~>;1K(AU_2>2^Pk<a_vw"
    "S4L>}cowKjM#SQ<AGPAarRo3Ppgdb>10~#4)+_&4^yyUoXJ_CpUgk&Fn61m?{S?h_FZzqrzDM=0KS$EmOU$bxMLzkIY-"
    "HmXq+Yw^Sf*r#=dI=*#6KSt%GC_?ydn~+ovJ1gp530aD^@5?-mWZLtIA8`y?vf%UjXO*Lk$SAg2<J>e4l|t}Xn_hnACo"
    "u63rR}oP4{5+DT!D{k^x^LE59cg=_DdxcVZ;zj3o{f@QEqj3-9={EfPq9L`f_pKkDhpFW!MWa0l+d9k>Jk57gYQ7d?0K"
    "rK=rx#mhoG$9*P6mk@_8;q7t>u@-=Dr%Q-0y==$a-w-~LuOL3V(~>>SI6NShjUCI?StKiG^+8EQjs|OExqsWV<-b#yFv"
    "AyN4e7^0wPja?Gy)^%)x!!25mHF^suaZ(h7W3)D3It9NfjB1$<)C~j^cZ&Y)iB)by~OZqD|wu<Eft8n;I9SdIJo;anyN"
    "}>GO=hF|&d<ksFguJhAx-D+)#pP?6aE?wgPsvIKV=FQaE{@j_B|9^WeewsKSWJZT%qFeeepXA#<`v7v4K+(!>0PFR0H>"
    "VRDFh<lT~F}BajVvp}l<TF({y|JlWRo(LapnF>b^G=W(Aw}Y2@rYDn9xAE<=pQTVQaoUnocl0PSL}(BA>ZxeY|@h4_#A"
    "R$&uz!rc|Pm$K=$#V_R2EBl++#YbkF(dWnLS)bFhR1mi0W}28lXSfqmeqnC!&bN#JZ*R`+Tk_zCxjU38~x9T0*}4+&b_"
    ";j6tQn{QdZ_8$}OcOplt*qyFvNkH4}L8{1Py(rY(V;ecsY!VxHR9RrHNG^B0C|xqkvg!iTa^zU*f_A&5z!+f7tYvK=0)"
    "xo!n3@k*-n^?Q6E%s4+2sk~sW2;)q+TUnStgXyVpHDDIK2uAr6enrf}(OzJOWs9dSFu#r_dZrQh{T>$<nMZ6zNYXPl{Y"
    "56Z8f}ancOd3yD6fE%*vqmB_!Z+&xn7)vUa6gFNr0>_HNcK2JL`6%@0QLPK*_^q{D6DS)m|AZJc=+t>zjVV&=nt<fePS"
    "q3Nd_2xErv@AI561ldl%A9tS&@Z!Kmd^ZDk2&(lB+=*{S|-I?lt-S29kH%h6CtRwFhT)L*r2Fh7Iof21)>I%RDf<-b{t"
    "%<R!gnBP>&i+O7)k9aL5W-d}%bL=)rl|Uomg;IVsy9^=CN*Y}a9{uWBi29<Z$EC>KZx-A`g1x{X(+soK-j7K@x*QA+KR"
    "4c)bY+(-eG#oI71j-<qba>b1G2gPh5RVmnF#m}^q>Oi@DTS-xS%6iM=xH>Ai5!x@iuhKM<s{5s~zuoRGV&Z+g(HBf>7H"
    ";~JC-vWP<brPfRH{b4I;nR5dawIkG5>Y@&V%k959jgz$vY=`TzY{cUo4Bp&^c@?kus`{rC?0%cHm-fvp@0O)0SrNC3oI"
    ">Qf*!w;I`*=_z^q}{i@T~6ZfzAEOJ+Z>^;*x;wsr+A97w7XaE{;Q)kDWnIFf7$h~H=t4;S6V5c{wlZgv+$a(wzJnQD5<"
    "6U@my<+cm{~$#NF@LY63JnZp40adh(@^t$c8BZ8pC&hWNo%0Af=l|Ua!-N&hu8m%C~q9^X05!Z<nMv9&>EHBd&>Lkmw%"
    "CP?2p{|7Jn8xS3J9jd$b@=!9>b_ym<`@(KYfvM3C`c#01=UuBD~Y{rpc#;zyW=;{W;9d{;9*<m0#>9$XE)^2!IryU^Q+"
    "K+64!q(eaYVfQ)y%fw<Dw=d*@`>X_Jwd~nP-F@~K#m32Uvnu04Tp}zAj{z&`TMCipmi4#7`kYsa$lHXExW^eDOOcJ+yR"
    "rU<Se&ZtVCwarPiwtKssXB(um;sTkjB0G(4^BtZI_0|vZrq9VSKYWROy*s>uV;fUp$t17b{tKQD@1;AiJS1?#pUvB~$4"
    "#0NF%8$)c16tR0!|A`1bSJ`#iiF6-3C`ti)LES8$g|IXQ>1jd3_R_*V|w)K%h^gZmtias$a!K%8d1YhRa*WDGV4~E^bE"
    "a}!Wmg`iCxpV@j=*wWXzav#>b-#{v^C@C<imRWl05?wWx2;(+bDq5mIL9ysPWpZpU>~W|q_AhQDvNqO4}6;5E4J2q%6e"
    "(ot7TqKWsP3Vdc89?>cuwbA#C<=b$dE}4C4jYQ5N+Bw3RF-FR5^qp1{a`nZ}3~4#$P#dVhcRBu+@68c0qc%qqPpv{j+S"
    "^y6Nf1wCNxh5btJI@P^s4~W<JDC}wX(Z`^Ct@!=cl|%3f)9$(aigF*S{Mx^(?mw}(0c`"
)
_table: bytes | None = None
# Runs of letters that are class AL and one column wide (checked in the tests), then
# spaces: after the first character none allows a break, so the line breaker takes the
# rest of such a run at once.
_RUNS = re.compile("([A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+|.)( *)", re.DOTALL)
_ASCII_RUNS = re.compile("([A-Za-z]+|.)( *)", re.DOTALL)


def _char_table() -> bytes:
    global _table
    if _table is None:
        packed = zlib.decompress(base64.b85decode("".join(_TABLE_DATA)))
        table = bytearray()
        pos = 0
        while pos < len(packed):
            length = shift = 0
            while True:
                byte = packed[pos]
                pos += 1
                length |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            table += bytes((packed[pos],)) * length
            pos += 1
        _table = bytes(table)
    return _table


def _width_linebreaks(text: str, overrides: bytearray, avail: int, startcol: int,
                      cjk: bool) -> list[int]:
    """libunistring's ulc_width_linebreaks: UAX #14 opportunities, then greedy filling.

    Returns the indices before which a new line starts.
    """
    table = _char_table()
    pairs = _PAIRS
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


# --- format directives ---------------------------------------------------------------


def _directive_interiors(value: str, language: str) -> set[int] | None:
    """Indices inside format directives (not their first character), where gettext
    never breaks a line. Only c/objc and python formats are parsed; see the module notes."""
    if language in ("c", "objc"):
        spans = _c_directives(value)
    elif language == "python":
        spans = _python_directives(value)
    else:
        return None
    interiors: set[int] = set()
    for start, end in spans:
        interiors.update(range(start + 1, end + 1))
    return interiors or None


def _digits(text: str, pos: int) -> int:
    while pos < len(text) and "0" <= text[pos] <= "9":
        pos += 1
    return pos


def _python_directives(text: str) -> list[tuple[int, int]]:
    """(first, last) index of each valid directive before the first invalid one
    (gettext's format-python.c: an invalid directive ends the parse)."""
    spans: list[tuple[int, int]] = []
    named = unnamed = 0
    pos, end = 0, len(text)
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            return spans
        start = pos
        pos += 1
        is_named = False
        if pos < end and text[pos] == "(":
            depth = 0
            pos += 1
            while pos < end:
                if text[pos] == "(":
                    depth += 1
                elif text[pos] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                pos += 1
            if pos >= end:
                return spans
            pos += 1
            is_named = True
        while pos < end and text[pos] in "-+ #0":
            pos += 1
        for part in ("width", "precision"):
            if part == "precision":
                if pos >= end or text[pos] != ".":
                    break
                pos += 1
            if pos < end and text[pos] == "*":
                # A '*' takes an unnamed argument.
                if named:
                    return spans
                unnamed += 1
                pos += 1
            else:
                pos = _digits(text, pos)
        if pos < end and text[pos] in "hlL":
            pos += 1
        if pos >= end:
            return spans
        conversion = text[pos]
        if conversion != "%":
            if conversion not in "csriduoxXeEfFgG":
                return spans
            if is_named:
                if unnamed:
                    return spans
                named += 1
            else:
                if named:
                    return spans
                unnamed += 1
        spans.append((start, pos))
        pos += 1


def _c_directives(text: str) -> list[tuple[int, int]]:
    """Like _python_directives, for gettext's format-c.c (ISO C plus `%1$d` and `I`)."""
    spans: list[tuple[int, int]] = []
    numbered = unnumbered = 0
    pos, end = 0, len(text)
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            return spans
        start = pos
        pos += 1
        number, pos = _argument_number(text, pos)
        if number == 0:
            return spans
        while pos < end and text[pos] in " +-#0'I":
            pos += 1
        for part in ("width", "precision"):
            if part == "precision":
                if pos >= end or text[pos] != ".":
                    break
                pos += 1
            if pos < end and text[pos] == "*":
                star, pos = _argument_number(text, pos + 1)
                if star == 0:
                    return spans
                # Numbered and unnumbered arguments are exclusive.
                if star is None:
                    if numbered:
                        return spans
                    unnumbered += 1
                else:
                    if unnumbered:
                        return spans
                    numbered += 1
            else:
                pos = _digits(text, pos)
        while pos < end and text[pos] in "hlLqjzZt":
            pos += 1
        if pos >= end or text[pos] not in "%mcCsSdiouxXeEfFgGaApn":
            return spans
        if text[pos] not in "%m":
            if number is None:
                if numbered:
                    return spans
                unnumbered += 1
            else:
                if unnumbered:
                    return spans
                numbered += 1
        spans.append((start, pos))
        pos += 1


def _argument_number(text: str, pos: int) -> tuple[int | None, int]:
    """A `N$` argument number at `pos`: (N, position after it), or (None, pos) if absent."""
    after = _digits(text, pos)
    if after > pos and after < len(text) and text[after] == "$":
        return int(text[pos:after]), after + 1
    return None, pos
