"""Project glossary: source terms whose translation is fixed (OVKS → CSTO, OSZE → OSCE).

The file is CSV, UTF-8 (a BOM is accepted), one term per line::

    # comments and blank lines are ignored
    source,target,note
    OVKS,CSTO,Collective Security Treaty Organization
    Eurasische Wirtschaftsgemeinschaft,Eurasian Economic Community
    Tokajew,Tokayev|Tokaev

* The header is ``source,target`` or ``source,target,note``.
* ``target`` may list alternatives separated by ``|``; any one of them satisfies the term.
* A row is one physical line: quoted fields may contain commas but not line breaks, so
  every error can name its line.

Matching, as used by the ``glossary`` check:

* Acronyms (no lowercase letter, e.g. ``OSZE``) match case-sensitively, other terms
  case-insensitively, because German capitalises nouns and sentence starts.
* A term matches as a whole word; a hyphen counts as a word boundary, so ``OSZE`` is found
  in ``OSZE-Gipfel`` and ``CSTO`` in ``CSTO-led``.
* German inflection: every word of a non-acronym source term may carry a short ending
  (``Eurasische Wirtschaftsgemeinschaft`` matches ``Eurasischen Wirtschaftsgemeinschaft``).
  English targets may carry a plural or possessive ending (``CSTO's``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from l10n.errors import BadInputError
from l10n.fsutil import read_utf8

_HEADERS = (("source", "target"), ("source", "target", "note"))

# Endings German adds to declined nouns and adjectives (strong/weak/mixed declension).
_SOURCE_ENDINGS = r"(?:e|em|en|er|es|n|s|ns|ens)?"
_TARGET_ENDINGS = r"(?:['\u2019]s?|s|es)?"  # CSTO's (straight or curly), members', OSCEs
# Letters and digits only: a hyphen or punctuation next to a term is a boundary.
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def _is_acronym(term: str) -> bool:
    return not any(ch.islower() for ch in term) and sum(ch.isupper() for ch in term) >= 2


def _word_pattern(word: str, endings: str) -> str:
    if endings == _TARGET_ENDINGS and re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return re.escape(word[:-1]) + r"(?:y|ies)" + endings  # party, parties
    return re.escape(word) + endings


def _term_pattern(term: str, endings: str) -> re.Pattern[str]:
    """A whole-word pattern for `term`, tolerating inflection unless it is an acronym.

    Word boundaries apply only where the term starts or ends with a letter or digit, so a
    symbol such as ``$`` or ``£`` matches in ``$25,000``."""
    words = term.split()
    acronym = _is_acronym(term) or not term[-1].isalnum()
    body = r"\s+".join(_word_pattern(w, "" if acronym else endings) for w in words)
    flags = 0 if acronym else re.IGNORECASE
    before = _BEFORE if term[0].isalnum() else ""
    after = _AFTER if term[-1].isalnum() else ""
    return re.compile(before + body + after, flags)


@dataclass(frozen=True)
class GlossaryEntry:
    source: str
    targets: tuple[str, ...]  # alternatives; one must appear in the translation
    note: str = ""
    line: int = 0  # 1-based line in the glossary file, 0 when built in code

    # Compiled once per entry, on first use: a check run calls these for every segment, and
    # a gate that answers every article from `l10n.state` loads the glossary (to report a
    # broken one) but matches nothing; compiling its patterns was most of loading it.
    @cached_property
    def _source_re(self) -> re.Pattern[str]:
        return _term_pattern(self.source, _SOURCE_ENDINGS)

    @cached_property
    def _target_res(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_term_pattern(t, _TARGET_ENDINGS) for t in self.targets)

    def in_source(self, text: str) -> bool:
        return self._source_re.search(text) is not None

    def in_target(self, text: str) -> bool:
        return any(r.search(text) for r in self._target_res)

    def source_count(self, text: str) -> int:
        return len(self._source_re.findall(text))

    def target_count(self, text: str) -> int:
        """Occurrences of any target alternative, overlapping ones ("US", "U.S.") once."""
        spans = sorted(m.span() for r in self._target_res for m in r.finditer(text))
        count, end = 0, -1
        for start, stop in spans:
            if start >= end:
                count, end = count + 1, stop
        return count


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def missing(self, source: str, target: str) -> list[GlossaryEntry]:
        """Entries whose source term occurs in `source` but none of whose targets is in `target`."""
        return [e for e in self.entries if e.in_source(source) and not e.in_target(target)]

    def undercounted(self, source: str, target: str) -> list[tuple[GlossaryEntry, int, int]]:
        """(entry, times in the source, times in the translation) for every term the
        translation renders as the glossary says fewer times than the source uses it (none
        at all included)."""
        found = []
        for entry in self.entries:
            wanted = entry.source_count(source)
            if wanted:
                got = entry.target_count(target)
                if got < wanted:
                    found.append((entry, wanted, got))
        return found


def load_glossary(path: Path) -> Glossary:
    """Read a glossary CSV; raise `BadInputError` naming the file and line on any problem."""
    path = Path(path)
    if not path.exists():
        raise BadInputError("glossary file not found", path=path,
                            hint="create it with a 'source,target[,note]' header")
    text = read_utf8(path, what="glossary", encoding="utf-8-sig")
    return Glossary(entries=_parse_rows(text, path), path=path)


def _data_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank, non-comment lines with their 1-based line numbers."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append((number, line))
    return lines


def _split_row(line: str, path: Path, number: int) -> list[str]:
    try:
        rows = list(csv.reader([line], strict=True))
    except csv.Error as exc:
        raise BadInputError(f"malformed CSV row: {exc}", path=path, line=number) from exc
    if len(rows) != 1:
        raise BadInputError("malformed CSV row", path=path, line=number)
    return [cell.strip() for cell in rows[0]]


def _check_header(cells: list[str], path: Path, number: int) -> int:
    header = tuple(c.lower() for c in cells)
    if header not in _HEADERS:
        raise BadInputError("glossary header must be 'source,target' or 'source,target,note', "
                            f"got {_line_repr(cells)}", path=path, line=number)
    return len(header)


def _parse_rows(text: str, path: Path) -> tuple[GlossaryEntry, ...]:
    lines = _data_lines(text)
    if not lines:
        raise BadInputError("glossary is empty: a 'source,target' header is missing", path=path)
    header_line, header = lines[0]
    columns = _check_header(_split_row(header, path, header_line), path, header_line)
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for number, line in lines[1:]:
        entry = _parse_entry(_split_row(line, path, number), columns, path, number)
        if entry.source in seen:
            raise BadInputError(
                f"duplicate source term {entry.source!r} (first on line {seen[entry.source]})",
                path=path, line=number, hint="list alternative translations as 'a|b' in one row",
            )
        seen[entry.source] = number
        entries.append(entry)
    return tuple(entries)


def _parse_entry(cells: list[str], columns: int, path: Path, number: int) -> GlossaryEntry:
    if len(cells) < 2 or len(cells) > columns:
        raise BadInputError(f"expected {columns} fields, got {len(cells)}: {_line_repr(cells)}",
                            path=path, line=number)
    source, target = cells[0], cells[1]
    note = cells[2] if len(cells) > 2 else ""
    if not source:
        raise BadInputError("empty source term", path=path, line=number)
    targets = tuple(t.strip() for t in target.split("|") if t.strip())
    if not targets:
        raise BadInputError(f"empty target for {source!r}", path=path, line=number)
    return GlossaryEntry(source=source, targets=targets, note=note, line=number)


def _line_repr(cells: list[str]) -> str:
    return ",".join(cells)
