"""What state a catalog entry is in, and where its translation came from.

Machine drafts must stay distinguishable from "source changed" fuzzies (a plain `fuzzy`
is what gettext's own tools set), so a draft carries its provenance in a translator
comment, the one kind of comment every PO editor and gettext tool keeps:

    # l10n-mt: argos translate-de_en 1.9; score 0.873

An entry is
- reviewed: translated and not fuzzy (a human approved it, whatever produced it),
- draft: fuzzy, with a provenance comment and no previous msgid,
- fuzzy: fuzzy because its source changed (merge left the old translation and `#| msgid`),
- untranslated: empty msgstr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import polib

Status = Literal["reviewed", "draft", "fuzzy", "untranslated"]
PROVENANCE = "l10n-mt:"
# Origin of pseudo-localized drafts: layout tests, not translations (QA skips them).
PSEUDO_ORIGIN = "pseudo-localization"
_SCORE = re.compile(r";\s*score\s+(?P<score>[0-9]+(?:\.[0-9]+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Provenance:
    origin: str  # e.g. "argos translate-de_en 1.9" or "memory corpus/other.txt"
    score: float | None = None

    def comment(self) -> str:
        score = f"; score {self.score:.3f}" if self.score is not None else ""
        return f"{PROVENANCE} {self.origin}{score}"


def provenance(entry: polib.POEntry) -> Provenance | None:
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(PROVENANCE):
            body = line[len(PROVENANCE):].strip()
            match = _SCORE.search(body)
            score = float(match.group("score")) if match else None
            origin = body[:match.start()] if match else body
            return Provenance(origin.strip(), score)
    return None


def set_provenance(entry: polib.POEntry, prov: Provenance) -> None:
    """Replace any earlier provenance line; a translator's own comments stay as they are."""
    kept = [line for line in (entry.tcomment or "").splitlines()
            if not line.startswith(PROVENANCE)]
    entry.tcomment = "\n".join([prov.comment(), *kept])


def status(entry: polib.POEntry) -> Status:
    if not entry.msgstr:
        return "untranslated"
    if "fuzzy" not in entry.flags:
        return "reviewed"
    if entry.previous_msgid is None and provenance(entry) is not None:
        return "draft"
    return "fuzzy"
