"""The PO writer: `dumps` writes exactly what GNU gettext's `msgcat` (0.21, linked to
libunistring 1.0) prints for the same catalog, so `msgcat --force-po` on our output is the
identity and a translator's PO editor or a later msgmerge produces no noise in diffs.

It reproduces write-po.c:

* header entry first, then the other entries in list order, obsolete entries (`#~`) last;
  a blank line between entries;
* comments in the order `# ` translator, `#. ` extracted, `#: ` references (`./` stripped,
  duplicates dropped, a new `#:` line when the next reference would pass the width),
  `#, ` flags (fuzzy, then format flags in gettext's fixed order, `range:`, `no-wrap`),
  `#| ` previous msgctxt/msgid/msgid_plural;
* gettext's normalisations: `fuzzy` is dropped from untranslated entries, obsolete
  entries without translation are dropped, flags gettext does not know are dropped;
* strings escaped like gettext (`\\ \" \a \b \f \n \r \t \v`, other characters raw) and
  wrapped like gettext (`wrap`).

The default width is 79 columns, gettext's default (`msgcat`/`msgmerge --width`); as in
gettext, 0 means no wrapping and widths below 20 count as 20.

Known deviations from msgcat 0.21 (none occurs in catalogs this project writes):

* format directives: see `directives`;
* BIG5-family charsets: Python's codecs map a few characters differently from glibc's
  iconv, which can change their width; UTF-8, ISO-8859-x, KOI8-R, EUC-JP/KR, GB2312 and
  Shift_JIS were checked;
* newer gettext releases (0.22+: Unicode 15 line breaking, file names with spaces in
  references) may wrap a few strings differently.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import polib

from l10n.catalog.po import syntax
from l10n.catalog.po.syntax import ESCAPE_TABLE
from l10n.catalog.po.wrap import DEFAULT_WIDTH, wrapped

__all__ = ["catalog_codec", "dumpb", "dumps", "warm"]

_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_SET = frozenset(_FORMATS)
_RANGE = re.compile(r"range:\s*([0-9]+)\.\.([0-9]+)")
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


@functools.lru_cache(maxsize=256)
def _interpret_flags(flags: tuple[str, ...]) -> _Flags:
    """Cached: a catalog's entries have a handful of distinct flag sets (mostly none or
    `fuzzy`), and this ran for every entry of every write."""
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
    try:
        return syntax.python_codec(syntax.header_charset(po.metadata.get("Content-Type", "")))
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
    writer = _writer_for(po, width)
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


def warm(po: polib.POFile, *, width: int = DEFAULT_WIDTH) -> None:
    """Wrap each live entry's msgid as `dumps` will, for a catalog about to be filled and
    written: the lines are cached (`wrap.wrapped`), and msgids are most of a write's
    wrapping, so the write that follows has less to do."""
    writer = _writer_for(po, width)
    for entry in po:
        if not entry.obsolete:
            writer.string([], "", "msgid", entry.msgid,
                          _interpret_flags(tuple(entry.flags or ())))


def _writer_for(po: polib.POFile, width: int) -> _Writer:
    width = (1 << 30) if width == 0 else max(width, 20)
    charset = syntax.header_charset(po.metadata.get("Content-Type", ""))
    return _Writer(width=width, cjk=charset is not None and charset.upper() in _CJK_CHARSETS,
                   ref_codec=catalog_codec(po))


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
        info = _interpret_flags(tuple(flags))
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
        info = _interpret_flags(tuple(entry.flags or ()))
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
            if syntax.REF_NUMBER.fullmatch(line):
                line = str(int(line))
            if any(ch.isspace() for ch in name):
                name = f"{syntax.ISOLATE_START}{name}{syntax.ISOLATE_END}"
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
            escaped = value.translate(ESCAPE_TABLE)
            if len(escaped) <= 30:
                # At most 60 columns: fits after any keyword and prefix (at most 16 + 3).
                out.append(f'{prefix}{name} "{escaped}"')
                return
        out.extend(wrapped(prefix, name, value, self.width, not info.no_wrap,
                           info.directive_format, self.cjk))


def _comment_lines(out: list[str], mark: str, text: str) -> None:
    for line in text.split("\n"):
        out.append(f"{mark} {line}" if line else mark)
