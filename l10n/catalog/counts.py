"""Translation statistics of a catalog: entries and source words by status.

`count` tallies a parsed catalog (what `check` already holds); `count_file`, what `stats`
uses, goes through the lean scan in `l10n.catalog.po.scan` and falls back to the strict parser.
Both count the article's entries only (`model.belongs`): what a translator added is theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n.catalog.model import STATUSES, EntryLike, belongs, status
from l10n.catalog.po.read import load
from l10n.catalog.po.scan import Unsupported, scan_states

STATES = STATUSES


@dataclass
class Counts:
    entries: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    @property
    def total(self) -> int:
        """Live entries (obsolete ones are history, not work)."""
        return sum(n for state, n in self.entries.items() if state != "obsolete")

    @property
    def total_words(self) -> int:
        return sum(n for state, n in self.words.items() if state != "obsolete")

    def percent(self, *states: str) -> float:
        total = self.total
        return 100.0 * sum(self.entries[s] for s in states) / total if total else 100.0

    def add(self, other: Counts) -> None:
        for state in STATES:
            self.entries[state] += other.entries[state]
            self.words[state] += other.words[state]


def count(po: polib.POFile, owner: str) -> Counts:
    """Counts of the entries of article `owner` (`model.owner_of`)."""
    return tally(entry for entry in po if belongs(entry, owner))


def tally(entries: Iterable[EntryLike]) -> Counts:
    """Counts of these entries (an article's, as `count` picks them)."""
    return _tally((status(entry), len(entry.msgid.split())) for entry in entries)


def _tally(states: Iterable[tuple[str, int]]) -> Counts:
    """Counts from (status, source words) per entry."""
    counts = Counts()
    for state, words in states:
        counts.entries[state] += 1
        counts.words[state] += words
    return counts


def count_file(path: Path, owner: str, *, shown: Path | None = None) -> Counts:
    """`count(load(path), owner)`, faster: the lean scan, or the strict parser when it
    gives up.

    Raises BadInputError (with the line) for a file the strict parser rejects.
    """
    try:
        states = scan_states(path.read_bytes(), owner)
    except (OSError, Unsupported):
        # Let the strict reader produce the error message (or parse the unusual file).
        return count(load(path, shown=shown), owner)
    return _tally(states)


def total(counts: Iterable[Counts]) -> Counts:
    overall = Counts()
    for c in counts:
        overall.add(c)
    return overall
