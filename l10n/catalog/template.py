"""Documents → templates (POT): one entry per distinct sentence, in article order.

A template carries a stamp in its header (`STAMP`): the digest of what it was made from
(the article's path and bytes, the reading settings, the readers' `VERSION`, and the
versions of Python and of the packages the readers use) and of what the gate compares it
by (each live entry's context, msgid and references). The gate recomputes it from the
article and the template as they are; when it matches, those entries are what `extract`
makes of the article now, and the article is not cut into sentences again, which was most
of a cold gate's time. A stamp that does not match (an edited, moved or renamed article,
an edited template, other settings, rules or packages, no stamp) only sends the gate the
long way: it can make the answer come sooner, never change it. After an upgrade of one
of those packages the next `extract` rewrites each template's stamp line, and nothing
else: its creation date and the catalogs stay as they were.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import polib

from l10n import __version__
from l10n.catalog.model import EntryLike
from l10n.document import Document
from l10n.readers.settings import VERSION, ReadSettings
from l10n.state import digest

GENERATOR_NAME = "l10n"
GENERATOR = f"{GENERATOR_NAME} {__version__}"
STAMP = "X-L10n-Source-Digest"


# What cuts articles besides l10n's own rules: a new release of one of these, or another
# Python (its Unicode tables decide what a letter is, html.parser changes in patch
# releases), may cut an article differently.
_READING_PACKAGES = ("sentence-splitter", "regex", "markdown-it-py", "mdit-py-plugins")


@cache
def _rules() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    python = ".".join(map(str, sys.version_info[:3]))
    return " ".join([f"l10n-readers {VERSION}", f"python {python}",
                     f"unicode {unicodedata.unidata_version}",
                     *(f"{name} {installed(name)}" for name in _READING_PACKAGES)])


def stamp(path: str, article: bytes, reading: ReadSettings,
          entries: Iterable[EntryLike]) -> str:
    """The stamp of a template holding the live `entries`, made from the article at
    `path` (as references name it) holding `article`."""
    return digest(_rules(), repr(reading), path, article,
                  *(part for entry in entries
                    for part in (entry.msgctxt, entry.msgid,
                                 "\n".join(f"{file}:{line}" for file, line in entry.occurrences))))


def stamped(header: Mapping[str, str], path: str, article: bytes | None,
            reading: ReadSettings, entries: Sequence[EntryLike]) -> bool:
    """The template (its header's fields and live entries) holds what `extract` makes of
    the article at `path`, holding `article`, with these settings and rules."""
    found = header.get(STAMP)
    return found is not None and article is not None \
        and found == stamp(path, article, reading, entries)


def template(doc: Document, *, project: str, article: bytes | None = None,
             reading: ReadSettings | None = None) -> polib.POFile:
    """The article's template; stamped when given the `article` bytes `doc` was read from
    and the `reading` settings it was read with."""
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    by_text: dict[str, polib.POEntry] = {}
    kinds: dict[str, list[str]] = {}
    for block, seg in doc.segments():
        ref = (doc.path.as_posix(), str(seg.line))
        entry = by_text.get(seg.text)
        if entry is None:
            entry = polib.POEntry(msgid=seg.text, msgstr="", occurrences=[ref])
            by_text[seg.text] = entry
            kinds[seg.text] = [block.kind]
            pot.append(entry)
        else:
            # A repeated sentence is one entry: translated once, used everywhere. Twice on
            # one line is one reference, as gettext reads it back.
            if ref not in entry.occurrences:
                entry.occurrences.append(ref)
            if block.kind not in kinds[seg.text]:
                kinds[seg.text].append(block.kind)
    for entry in pot:
        entry.comment = ", ".join(kinds[entry.msgid])
    if article is not None and reading is not None:
        pot.metadata[STAMP] = stamp(doc.path.as_posix(), article, reading, pot)
    return pot
