"""`l10n extract`: corpus → templates → every language's catalog, msgmerge style."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib

from l10n.catalog import store
from l10n.catalog.merge import merge
from l10n.catalog.po.read import loadb
from l10n.catalog.po.write import dumps
from l10n.catalog.template import STAMP, template
from l10n.commands import Progress, no_progress
from l10n.document import Document
from l10n.errors import BadInputError, L10nError
from l10n.fsutil import read_bytes, write_if_changed
from l10n.langid import detect
from l10n.project import Project
from l10n.readers import read_document
from l10n.report import Report as BaseReport
from l10n.state import State, digest, file_digest

# Below this many letters langdetect guesses; such articles are not judged.
_MIN_LETTERS_TO_JUDGE = 40
_HTML_TAG = re.compile(r"<[^<>]*>")


@dataclass(frozen=True)
class Options:
    force: bool = False  # extract articles that do not look like the source language
    remember: bool = True  # skip articles unchanged since the last run (`l10n.state`)


@dataclass
class Report(BaseReport):
    articles: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), "articles": self.articles,
                "written": [p.as_posix() for p in self.written],
                "unchanged": [p.as_posix() for p in self.unchanged],
                "skipped": [{"article": a.as_posix(), "reason": r} for a, r in self.skipped]}


def run(project: Project, options: Options = Options(), *,
        progress: Progress = no_progress) -> Report:
    """Update templates and catalogs for every article. Errors are collected per file; a
    file that cannot be read or merged is left exactly as it was.

    An article whose bytes, template and catalogs are exactly as the last extract left
    them is not read again (`l10n.state`); `remember=False` redoes everything."""
    report = Report()
    settings = digest(project.source_lang, *project.target_langs, repr(project.reading))
    articles = project.articles()
    with State(project.root, enabled=options.remember) as state, \
            progress("extract", len(articles)) as tick:
        for article in articles:
            report.articles += 1
            tick()
            try:
                _extract_article(project, article, settings, options.force, state, report)
            except L10nError as exc:
                report.errors.append(exc)
    return report


def _extract_article(project: Project, article: Path, settings: str, force: bool,
                     state: State, report: Report) -> None:
    name = project.name_of(article)
    outputs = [project.template_path(name),
               *(project.catalog_path(lang, name) for lang in project.target_langs)]
    # Read once: the bytes remembered are the bytes extracted, whatever is saved meanwhile.
    raw = read_bytes(project.root / article, what="article", shown=article)
    source = digest(settings, raw)
    memo = state.get("extract", article.as_posix())
    if memo and memo["input"] == source:
        if memo["skipped"] is not None:
            if not force:
                report.skipped.append((article, memo["skipped"]))
                return
        elif memo["outputs"] == [file_digest(path) for path in outputs]:
            report.unchanged.extend(project.shown(path) for path in outputs)
            return
    doc = read_document(project.root / article, shown_as=article, data=raw,
                        settings=project.reading)
    wrong = _wrong_language(doc, project.source_lang)
    if wrong and not force:
        report.skipped.append((article, wrong))
        written: list[bytes | None] = []
    else:
        written = _extract_one(project, doc, raw, name, report)
    state.put("extract", article.as_posix(), {
        "input": source, "skipped": wrong if wrong and not force else None,
        "outputs": [digest(data) if data is not None else None for data in written]})


def _wrong_language(doc: Document, expected: str) -> str | None:
    text = " ".join(seg.text for _, seg in doc.segments())
    if doc.format == "html":
        # Tag names, attributes and URLs are no evidence of a language.
        text = html.unescape(_HTML_TAG.sub(" ", text))
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS_TO_JUDGE:
        return None
    lang, prob = detect(text)
    if lang and lang != expected:
        return (f"looks like '{lang}' (p={prob:.2f}), not the source language '{expected}'; "
                "use --force to extract it anyway")
    return None


def _extract_one(project: Project, doc: Document, raw: bytes | None, name: str,
                 report: Report) -> list[bytes | None]:
    """Writes the template and catalogs of `doc` (read from `raw`); returns their bytes as
    written or found."""
    pot_path = project.template_path(name)
    # Read every existing catalog first: a malformed one stops this article before any write.
    paths = {lang: project.catalog_path(lang, name) for lang in project.target_langs}
    olds = {lang: store.read(path, shown=project.shown(path)) for lang, path in paths.items()}
    pot = template(doc, project=name, article=raw, reading=project.reading)
    pot_text = _with_stable_date(pot, pot_path).encode("utf-8")
    # A template is rebuilt from its article at any time: no fsync for it.
    _record(project, pot_path, write_if_changed(pot_path, pot_text, durable=False), report)
    results: list[bytes | None] = [pot_text]
    for lang, known in olds.items():
        path = paths[lang]

        def merged(old: polib.POFile | None, lang: str = lang) -> polib.POFile:
            return merge(pot, old, lang=lang)

        outcome = store.update(path, merged, shown=project.shown(path), known=known)
        _record(project, path, outcome.written, report)
        results.append(outcome.data)
    return results


def _with_stable_date(pot: polib.POFile, path: Path) -> str:
    """Serialized template; its creation date only moves when its content does (its stamp
    aside: a new stamp after an upgrade of what reads articles is no new content), so an
    unchanged corpus rewrites no catalog."""
    on_disk = read_bytes(path, what="template")
    previous = None
    if on_disk is not None:
        try:
            previous = loadb(on_disk).metadata.get("POT-Creation-Date")
        except BadInputError:
            previous = None
    if previous:
        pot.metadata["POT-Creation-Date"] = previous
        text = dumps(pot)
        if _unstamped(on_disk) == _unstamped(text.encode("utf-8")):
            return text
    pot.metadata["POT-Creation-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M%z")
    return dumps(pot)


def _unstamped(data: bytes | None) -> bytes | None:
    return None if data is None else _STAMP_LINE.sub(b"", data, count=1)


_STAMP_LINE = re.compile(rb'^"' + re.escape(STAMP.encode()) + rb': [^"\n]*\\n"\n',
                         re.MULTILINE)


def _record(project: Project, path: Path, written: bool, report: Report) -> None:
    (report.written if written else report.unchanged).append(project.shown(path))
