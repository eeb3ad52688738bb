"""One page per target language: every article, how far its translation is, and links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from l10n.render.page import draw
from l10n.render.sheet import percent_reviewed
from l10n.render.urls import safe_href


@dataclass(frozen=True)
class IndexRow:
    name: str
    title: str
    total: int
    reviewed: int
    drafts: int
    fuzzy: int
    missing: int
    edition_href: str | None
    review_href: str | None
    note: str | None
    title_lang: str | None = None  # when the title is not in the page's language (untranslated)

    @property
    def state(self) -> tuple[str, str]:
        """(css class, label) for the article's overall translation state."""
        if self.edition_href is None and self.note:
            return "other", "skipped"
        if self.total == 0:
            return "other", "nothing to translate"
        if self.missing:
            return "missing", "incomplete"
        if self.drafts or self.fuzzy:
            return "fuzzy", "needs review"
        return "reviewed", "complete"

    @property
    def counts(self) -> dict[str, int]:
        return {"reviewed": self.reviewed, "draft": self.drafts, "fuzzy": self.fuzzy,
                "missing": self.missing}

    @property
    def numbers(self) -> str:
        """The counts in words: "3/10 reviewed · 2 drafts"."""
        return " · ".join(
            [f"{self.reviewed}/{self.total} reviewed"]
            + [f"{n} {what}" for n, what in ((self.drafts, "drafts"), (self.fuzzy, "fuzzy"),
                                             (self.missing, "missing")) if n])

    @property
    def links(self) -> tuple[str | None, str | None]:
        """The edition's and the review sheet's address, each None when absent or unsafe."""
        return (safe_href(self.edition_href) if self.edition_href is not None else None,
                safe_href(self.review_href) if self.review_href is not None else None)


def index_html(*, lang: str, rows: Sequence[IndexRow], templates: Path | None = None) -> str:
    """One page per target language: every article, how far its translation is, and links.
    `templates` is a project's own template folder."""
    total = sum(r.total for r in rows)
    sums = {
        "reviewed": sum(r.reviewed for r in rows),
        "draft": sum(r.drafts for r in rows),
        "fuzzy": sum(r.fuzzy for r in rows),
        "missing": sum(r.missing for r in rows),
    }
    return draw("index.html.j2", house=templates, lang="en", title=f"Translations: {lang}",
                target_lang=lang, rows=rows, total=total, sums=sums,
                complete=sum(1 for r in rows if r.state[1] == "complete"),
                reviewed=percent_reviewed(sums["reviewed"], total))
