"""The catalog model: which entries are an article's, what state each is in, who wrote it.

Every command asks this module and decides nothing itself, so that extract, translate,
build, check, stats and the review sheet can never disagree about an entry.

**Whose entry.** An entry is the article's when it has no msgctxt, no plural and a
reference (`#:`) to the article file: l10n writes exactly such entries. Anything else a
translator or another tool added (context entries, plurals, entries without references or
with references elsewhere) is theirs: no command fills, replaces, obsoletes, counts or
checks it.

**Who wrote the text.** A machine draft carries its provenance in a translator comment,
the one kind of comment every PO editor and gettext tool keeps:

    # l10n-mt: argos translate-de_en 1.9; score 0.873; digest 5e6f7a8b-1a2b3c4d

The digest fingerprints the msgid that was translated and the msgstr l10n wrote. No PO
editor removes the comment when a reviewer edits or approves the draft, and some drop the
`#| msgid` of a changed source (Babel, XLIFF round trips), so the flags and comments alone
cannot say whose text it is; the fingerprints can. An entry is
- reviewed: translated (every plural form) and not fuzzy: a cleared fuzzy flag is a
  human approval, whatever produced the text;
- draft: fuzzy, and both fingerprints match: l10n's own unedited output for this source;
- fuzzy: fuzzy otherwise: a human's unfinished text, or a translation whose source changed
  (a draft for an older source included);
- untranslated: some form empty;
- obsolete: history (`#~`).

When l10n next writes a catalog, the provenance of entries that are no longer drafts
becomes a neutral `l10n-history:` note (`settle`), so that a later source change makes a
human fuzzy, never a draft.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, TypeVar

import polib

Status = Literal["reviewed", "draft", "fuzzy", "untranslated", "obsolete"]
STATUSES: tuple[Status, ...] = ("reviewed", "draft", "fuzzy", "untranslated", "obsolete")

PROVENANCE = "l10n-mt:"
HISTORY = "l10n-history:"
REPLACED = "l10n-replaced:"
# Why a machine draft needs a closer look (its markup placed without sure alignment); it goes
# with the draft's provenance once someone approves or edits the draft. Each note ends with
# a period, so that one Babel wrapped at 76 columns is known to its last line.
REVIEW = "l10n-review:"
# A translator's entry whose msgid became one of the article's sentences (see merge).
DISPLACED = "l10n-displaced:"
# Origin of pseudo-localized drafts: layout tests, not translations (QA skips them).
PSEUDO_ORIGIN = "pseudo-localization"

_FIELDS = re.compile(
    r"^(?P<origin>.*?)(?:;\s*score\s+(?P<score>[0-9]+(?:\.[0-9]+)?))?"
    r"(?:;\s*digest\s+(?P<source>[0-9a-f]{8})-\s?(?P<text>[0-9a-f]{8}))?\s*$")
# Babel wraps translator comments at 76 columns: a record may continue on later lines
# (Python's textwrap may even break after the digest's hyphen).
_MAX_CONTINUATION = 3
# A comment line that its next line's first word would have made longer than this was
# wrapped there (Babel wraps at 76 columns; other tools at more).
_WRAPPED = 70


class EntryLike(Protocol):
    """What the model reads of an entry: a polib.POEntry, or the lean scan's record."""

    @property
    def msgid(self) -> str: ...
    @property
    def msgstr(self) -> str: ...
    @property
    def msgctxt(self) -> str | None: ...
    @property
    def msgid_plural(self) -> str: ...
    @property
    def msgstr_plural(self) -> dict[int, str]: ...
    @property
    def flags(self) -> list[str]: ...
    @property
    def tcomment(self) -> str: ...
    @property
    def obsolete(self) -> bool | int: ...
    @property
    def occurrences(self) -> list[tuple[str, str]]: ...
    @property
    def linenum(self) -> int: ...


E = TypeVar("E", bound=EntryLike)


def fingerprint(text: str) -> str:
    # hashlib loads OpenSSL (milliseconds): `stats` over reviewed catalogs never gets here.
    import hashlib

    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


@dataclass(frozen=True, slots=True)
class Provenance:
    origin: str  # e.g. "argos translate-de_en 1.9" or "translation memory corpus/other.txt"
    score: float | None = None
    source: str | None = None  # fingerprint of the msgid that was translated
    text: str | None = None  # fingerprint of the msgstr l10n wrote

    def comment(self) -> str:
        score = f"; score {self.score:.3f}" if self.score is not None else ""
        digest = f"; digest {self.source}-{self.text}" if self.source and self.text else ""
        return f"{PROVENANCE} {self.origin}{score}{digest}"

    def of(self, msgid: str, msgstr: str) -> Provenance:
        return replace(self, source=fingerprint(msgid), text=fingerprint(msgstr))

    @property
    def pseudo(self) -> bool:
        return self.origin.startswith(PSEUDO_ORIGIN)


def provenance(entry: EntryLike) -> Provenance | None:
    lines = (entry.tcomment or "").splitlines()
    for index, line in enumerate(lines):
        if line.startswith(PROVENANCE):
            match, _ = _record(lines, index)
            score = match.group("score") if match else None
            return Provenance(match.group("origin").strip(), float(score) if score else None,
                              match.group("source"), match.group("text")) if match else None
    return None


def _record(lines: list[str], start: int) -> tuple[re.Match[str] | None, int]:
    """The provenance record starting at line `start`, and how many lines it spans: the
    longest reading that ends in a digest wins; else the line alone (records written
    before digests existed, which never count as drafts)."""
    for extra in range(min(_MAX_CONTINUATION, len(lines) - start - 1), -1, -1):
        body = " ".join(lines[start:start + extra + 1])[len(PROVENANCE):].strip()
        match = _FIELDS.match(body)
        if match and (match.group("text") or extra == 0):
            return match, extra + 1
    return None, 1


def review_notes(entry: EntryLike) -> list[str]:
    """What l10n asked a reviewer to look at in the entry's machine draft (`fill`'s notes),
    each joined back into one line where an editor wrapped it."""
    lines = (entry.tcomment or "").splitlines()
    notes = []
    index = 0
    while index < len(lines):
        if lines[index].startswith(REVIEW):
            span = _note_span(lines, index)
            joined = " ".join(line.strip() for line in lines[index:index + span])
            notes.append(joined[len(REVIEW):].strip())
            index += span
            continue
        index += 1
    return notes


def _note_span(lines: list[str], start: int) -> int:
    """How many lines the review note starting at line `start` spans: up to the line that
    ends it with its period, each line continuing one an editor had to wrap there (Babel:
    at 76 columns); else the line alone, and a translator's comment after it stays."""
    for extra in range(min(_MAX_CONTINUATION, len(lines) - start - 1) + 1):
        line = lines[start + extra]
        if line.rstrip().endswith("."):
            return extra + 1
        following = lines[start + extra + 1].split() if start + extra + 1 < len(lines) else []
        if not following or len(line) + 1 + len(following[0]) <= _WRAPPED:
            break  # the next word would have fit: the next line is not this note's
    return 1


def _without_provenance(tcomment: str, note: str | None = None) -> list[str]:
    """The comment's lines without the provenance record (replaced by `note`, if given) and
    the review notes that came with it."""
    lines = (tcomment or "").splitlines()
    kept: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith(REVIEW):
            index += _note_span(lines, index)
            continue
        if lines[index].startswith(PROVENANCE):
            _, span = _record(lines, index)
            if note is not None:
                kept.append(note)
            index += span
            continue
        kept.append(lines[index])
        index += 1
    return kept


def forms(entry: EntryLike) -> list[str]:
    """The entry's translation(s): one msgstr, or every plural form in order."""
    if entry.msgid_plural:
        plural = entry.msgstr_plural or {}
        return [plural[k] for k in sorted(plural, key=int)]
    return [entry.msgstr or ""]


def translated(entry: EntryLike) -> bool:
    """Every form has a translation (a plural entry with one empty form is not done)."""
    found = forms(entry)
    return bool(found) and all(found)


def translation(entry: EntryLike) -> str:
    return "\0".join(forms(entry))


def one_line(text: str) -> str:
    """A translation as it is kept in a one-line translator comment."""
    return text.replace("\n", "\\n")


def machine_written(entry: EntryLike) -> Provenance | None:
    """The provenance when the msgstr is still exactly what l10n wrote (any source)."""
    prov = provenance(entry)
    if prov is None or prov.text is None or prov.text != fingerprint(translation(entry)):
        return None
    return prov


def status(entry: EntryLike) -> Status:
    if entry.obsolete:
        return "obsolete"
    if not translated(entry):
        return "untranslated"
    if "fuzzy" not in entry.flags:
        return "reviewed"
    prov = machine_written(entry)
    if prov is not None and prov.source == fingerprint(entry.msgid):
        return "draft"
    return "fuzzy"


def owner_of(article: str) -> str:
    """What references to an article name: its project-relative path without suffix."""
    return posixpath.splitext(article)[0]


def plain(entry: EntryLike) -> bool:
    """The shape l10n writes: a msgid without context or plural."""
    return bool(entry.msgid) and entry.msgctxt is None and not entry.msgid_plural


def belongs(entry: EntryLike, owner: str) -> bool:
    """The entry is the article's (see the module docstring)."""
    if not plain(entry):
        return False
    if entry.obsolete:
        return True  # history carries no references (gettext drops them)
    return any(posixpath.splitext(str(ref[0]))[0] == owner for ref in entry.occurrences)


def article_entries(po: Iterable[E], owner: str) -> Iterator[E]:
    """The article's live entries, in file order."""
    return (e for e in po if not e.obsolete and belongs(e, owner))


def fill(entry: polib.POEntry, text: str, prov: Provenance, *,
         notes: Sequence[str] = ()) -> None:
    """Make `text` the entry's machine draft; a replaced text that was not l10n's own
    unedited draft (for this source or an older one) stays in the entry as an
    `l10n-replaced:` comment. `notes` say what a reviewer should check."""
    lines = _without_provenance(entry.tcomment)
    if translated(entry) and machine_written(entry) is None and entry.msgstr != text:
        lines.append(f"{REPLACED} {one_line(entry.msgstr)}")
    entry.msgstr = text
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    reviews = [f"{REVIEW} {one_line(note).rstrip('.')}." for note in notes]
    entry.tcomment = "\n".join([prov.of(entry.msgid, text).comment(), *reviews, *lines])


def settle(entries: Iterable[polib.POEntry]) -> None:
    """Before a write: provenance of entries that are no longer drafts becomes history.

    An approved draft (fuzzy cleared) or an edited one is a human's translation; a draft
    for an older source (its source changed) stays marked as machine text.
    """
    for entry in entries:
        prov = provenance(entry)
        if prov is None or entry.obsolete:
            continue
        # A draft, or fuzzy and still l10n's text: `status` and `machine_written` spelled
        # out on the provenance read above, as this runs over every entry before a write.
        if translated(entry) and "fuzzy" in entry.flags and prov.text is not None \
                and prov.text == fingerprint(translation(entry)):
            continue
        note = f"{HISTORY} drafted by {prov.origin}"
        entry.tcomment = "\n".join(_without_provenance(entry.tcomment, note))
