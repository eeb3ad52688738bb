"""The bilingual review sheet of an article: one table row per segment."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.render.page import draw
from l10n.render.sheet import STATUS_LABELS, one_line, percent_reviewed
from l10n.render.urls import safe_href

if TYPE_CHECKING:
    from l10n.checks import Problem


@dataclass(frozen=True)
class ReviewRow:
    line: int
    kind: str
    source: str
    translation: str | None
    status: str  # "reviewed" | "draft" | "fuzzy" | "missing"
    confidence: float | None
    provenance: str | None
    po_line: int | None = None  # where the entry starts in the catalog
    previous_source: str | None = None  # the `#| msgid` of an entry whose source changed
    findings: tuple[Problem, ...] = ()  # what the gate's QA checks report for the entry
    notes: tuple[str, ...] = ()  # what l10n asked a reviewer of the draft to look at

    @property
    def changes(self) -> list[tuple[str, str]] | None:
        """The old source against the new, word by word, as ("equal" | "del" | "ins", words)
        runs: what a reviewer needs to re-check; None unless the source changed."""
        if self.previous_source is None or self.previous_source == self.source:
            return None
        a, b = self.previous_source.split(), self.source.split()
        out: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out.append(("equal", " ".join(a[i1:i2])))
                continue
            if i2 > i1:
                out.append(("del", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("ins", " ".join(b[j1:j2])))
        return out


def _excerpt(text: str, limit: int = 90) -> str:
    flat = one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def review_html(
    *,
    title: str,
    article: str,
    rows: Sequence[ReviewRow],
    source_lang: str,
    lang: str,
    edition_href: str | None,
    weakest: int = 10,
    catalog: str | None = None,
    title_lang: str | None = None,
    templates: Path | None = None,
) -> str:
    """A bilingual review sheet: one table row per segment, in the order given (article order).

    `article` names the source file as the PO references do, so each row's `article:line`
    can be searched for in the translator's PO editor; `catalog` names the PO file, so that a
    row with a `po_line` also cites `catalog:line` (for `$EDITOR +line` or a CI log). Each row
    shows its QA findings and, when its source changed, the old source against the new one.
    The `weakest` lowest-confidence machine drafts are listed at the top, linking to their
    rows. `title_lang` is the language of `title` when it is not the sheet's English.
    `templates` is a project's own template folder.
    """
    counts = {key: sum(1 for r in rows if r.status == key) for key in STATUS_LABELS}
    qa = [(severity, found) for severity in ("error", "warning")
          if (found := sum(f.severity == severity for r in rows for f in r.findings))]
    # Weakest first; drafts whose engine gave no score are unknown rather than weak, so last.
    drafts = sorted(
        (i for i, r in enumerate(rows) if r.status == "draft"),
        key=lambda i: (rows[i].confidence is None, rows[i].confidence or 0.0, i),
    )
    shown = drafts[: max(weakest, 0)]
    # The sheet's own words (headings, labels) are English UI; the cells carry their languages.
    return draw(
        "review.html.j2", house=templates, lang="en",
        title=f"Review: {one_line(title)} ({lang})", heading=title, title_lang=title_lang,
        article=article, catalog=catalog, source_lang=source_lang, target_lang=lang,
        edition_href=safe_href(edition_href) if edition_href is not None else None,
        rows=rows, counts=counts, total=len(rows), qa=qa,
        reviewed=percent_reviewed(counts["reviewed"], len(rows)),
        drafts=len(drafts), weakest=[(i + 1, rows[i], _excerpt(rows[i].source)) for i in shown])
