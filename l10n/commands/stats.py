"""`l10n stats`: entries and source words by status, per catalog and in total."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.catalog.counts import Counts, count_file, total
from l10n.errors import L10nError
from l10n.project import Project
from l10n.report import Report as BaseReport


@dataclass
class Row:
    name: str
    lang: str
    path: Path
    counts: Counts

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "lang": self.lang, "path": self.path.as_posix(),
                "total": self.counts.total, "total_words": self.counts.total_words,
                "entries": self.counts.entries, "words": self.counts.words}


@dataclass
class Report(BaseReport):
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        return total(row.counts for row in self.rows)

    def as_json(self) -> dict[str, Any]:
        overall = self.total
        return {"catalogs": [row.as_json() for row in self.rows],
                "total": {"total": overall.total, "entries": overall.entries,
                          "words": overall.words, "total_words": overall.total_words}}


def run(project: Project) -> Report:
    """Every catalog of the target languages, counted; an unreadable one is an error."""
    report = Report()
    for name, lang, path in project.catalog_files():
        try:
            shown = project.shown(path)
            report.rows.append(Row(name, lang, shown,
                                   count_file(path, project.owner(name), shown=shown)))
        except L10nError as exc:
            report.errors.append(exc)
    return report
