"""The strict PO reader: `load`/`loadb`/`loads` read a PO or POT file into a `polib.POFile`.

The parser is our own and follows GNU gettext's grammar (read-po, see `syntax`), not
polib's: polib accepts files gettext rejects (a msgstr without msgid, duplicate messages,
gaps in msgstr[N]), drops `#~|` previous strings of obsolete entries, knows only some
escapes and loses line numbers. Every problem is a `BadInputError` carrying the file and
line. A UTF-8 byte order mark is tolerated (gettext itself rejects it), the header's
charset is honoured, CRLF line ends are accepted.

The objects follow polib's conventions, so the rest of the code can use polib's API:
`tcomment`/`comment` are newline-joined lines, `occurrences` are `(file, line)` string pairs
(`line` is "" when absent), `flags` are strings ("fuzzy", "python-format", "range: 0..9"),
the header entry becomes `POFile.metadata` (in file order), its translator comments
`POFile.header` and its flags `POFile.metadata_is_fuzzy`. Unlike polib, the comments in
front of the first entry belong to that entry unless it is the header (as in gettext).

Known deviations from gettext 0.21: gettext keeps a trailing CR in comments of CRLF files,
we drop it; octal and hex escapes must denote ASCII characters; the header entry keeps only
its translator comments, flags and msgstr (polib has nowhere to put the rest); header
values are stripped (polib's convention).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.catalog.po import syntax
from l10n.catalog.po.syntax import WS, LiteralError
from l10n.catalog.po.wrap import DEFAULT_WIDTH
from l10n.errors import BadInputError

__all__ = ["load", "loadb", "loads"]


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
            line = raw.strip(WS)
            if not line:
                continue
            if line[0] != "#":
                self.tokens(line, lineno, obsolete=False, prev=False)
            elif line[1:2] in syntax.TOKEN_MARKS:
                obsolete, prev, rest = syntax.token_marks(line)
                self.tokens(rest, lineno, obsolete=obsolete, prev=prev)
            else:
                body = raw.lstrip(WS)[1:]
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
            if char in WS:
                pos += 1
            elif char == '"':
                value, pos = self.string(line, pos, lineno)
                self.add_string(value, lineno, obsolete=obsolete, prev=prev)
            elif char == "#" and pos > 0:
                # gettext reads a comment after tokens too; it belongs to the next entry.
                self.comment(line[pos + 1:], lineno)
                return
            else:
                match = syntax.KEYWORD.match(line, pos)
                if match is None or (match.end() < end and line[match.end()] not in WS + '"'):
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
        try:
            return syntax.string_literal(line, start)
        except LiteralError as exc:
            raise self.error(exc.message, lineno, hint=exc.hint) from None

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
        if kind == syntax.EXTRACTED:
            draft.comment.append(syntax.comment_text(body[1:]))
        elif kind == syntax.REFERENCES:
            draft.refs.extend(syntax.parse_references(body[1:]))
        elif kind in syntax.FLAG_MARKS:
            draft.flags.extend(syntax.parse_flags(body[1:]))
        else:
            draft.tcomment.append(syntax.comment_text(body))

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
            if not header_found and syntax.is_header(draft.msgctxt, draft.msgid):
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
    po.metadata.update(syntax.header_fields(draft.msgstr or ""))


def _declared_charset(text: str, path: Path | None) -> str | None:
    """The charset= of the header entry, found by parsing until the header is read.

    `text` is the file decoded as Latin-1, which maps bytes 1:1 and keeps ASCII intact.
    """
    for draft in _Parser(text, path).entries():
        if not draft.obsolete and syntax.is_header(draft.msgctxt, draft.msgid):
            return syntax.header_charset(draft.msgstr or "")
    return None


def loadb(data: bytes, *, path: Path | None = None) -> polib.POFile:
    """Parse PO file content given as bytes, honouring the header's charset."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    charset = _declared_charset(data.decode("latin-1"), path)
    try:
        codec = syntax.python_codec(charset)
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
    if text.startswith(syntax.BOM):
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

