"""`l10n build`: catalogs + source structure → localized editions.

Formats: "source" writes `editions/<lang>/<name>.<same ext>`; "html" writes a standalone
page per article (for an HTML article: its own page translated, the same as its source
edition), a bilingual review sheet (`<name>.review.html`) and one `index.html` per
language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from l10n.catalog.model import article_entries, machine_written, review_notes, status
from l10n.catalog.po.read import load
from l10n.commands import Progress, no_progress
from l10n.document import Document
from l10n.errors import ConfigError, L10nError
from l10n.fsutil import write_if_changed
from l10n.options import FLAG, NUMBER, TEXT, resolve, setting
from l10n.project import Project
from l10n.report import Report as BaseReport

# Reading articles and drawing editions are imported where a build runs: the settings
# schema (`Options`) is read by every command.
if TYPE_CHECKING:
    from l10n.checks import Problem
    from l10n.commands.gate import Options as GateOptions
    from l10n.glossary import Glossary
    from l10n.render.review import ReviewRow

DEFAULT_NOTICE = "Machine-translated, not yet reviewed."


FORMATS = ("source", "html", "all")


def _formats(chosen: str | Sequence[str]) -> tuple[str, ...]:
    expanded: list[str] = []
    for fmt in [chosen] if isinstance(chosen, str) else chosen:
        if fmt not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        expanded += ["source", "html"] if fmt == "all" else [fmt]
    return tuple(dict.fromkeys(expanded))


@dataclass(frozen=True)
class Options:
    """`l10n build`'s options, read from `[tool.l10n.build]`."""
    formats: tuple[str, ...] = setting("format", TEXT, ("source",), convert=_formats)
    # Percent of sentences; below it the article is skipped.
    min_translated: float = setting("min-translated", NUMBER, 0.0, percent=True, convert=float)
    # Use machine drafts and source-changed fuzzies.
    include_fuzzy: bool = setting("include-fuzzy", FLAG, False)
    # Shown on editions that contain machine drafts; "" switches it off.
    notice: str | None = setting("notice", TEXT, DEFAULT_NOTICE, convert=lambda t: t or None)
    # The project's own page templates (read through Project.templates_dir).
    templates: str | None = setting("templates", TEXT, None, path=True)


def options_from(project: Project, **given: Any) -> Options:
    """Build options: a given argument wins over `[tool.l10n.build]`, then the defaults."""
    return resolve(Options, project.build, **given)


@dataclass(frozen=True)
class Translations:
    """What a catalog offers for one article, given the build options."""

    lookup: dict[str, str]
    entries: dict[str, polib.POEntry]
    total: int
    used: int
    drafts_used: int

    @property
    def percent(self) -> float:
        return 100.0 * self.used / self.total if self.total else 100.0

    @property
    def untranslated(self) -> int:
        """Sentences the edition shows in the source language."""
        return self.total - self.used


@dataclass
class Edition:
    article: Path
    name: str
    lang: str
    title: str = ""
    paths: list[Path] = field(default_factory=list)
    skipped: str | None = None
    translated_percent: float = 0.0
    written: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    edition_title: str | None = None  # the title translated, as the edition shows it
    sentences: int = 0
    untranslated: int = 0  # sentences shown in the source language
    source_lang: str = "de"

    @property
    def fallback_warning(self) -> str | None:
        """What to tell the user when a written edition is partly in the source language."""
        if self.skipped or not self.untranslated:
            return None
        return (f"{self.untranslated} of {self.sentences} sentences "
                f"({100 * self.untranslated / self.sentences:.0f}%) are not translated; the "
                f"edition shows them in the source language ({self.source_lang})")

    def as_json(self) -> dict[str, Any]:
        return {"article": self.article.as_posix(), "lang": self.lang,
                "paths": [p.as_posix() for p in self.paths], "skipped": self.skipped,
                "translated_percent": round(self.translated_percent, 1),
                "untranslated": self.untranslated}


def translations(doc: Document, po: polib.POFile, owner: str, *,
                 include_fuzzy: bool) -> Translations:
    wanted = {"reviewed", "draft", "fuzzy"} if include_fuzzy else {"reviewed"}
    # Only the article's entries: one a translator added must not shadow ours.
    entries = {e.msgid: e for e in article_entries(po, owner)}
    lookup: dict[str, str] = {}
    drafts: set[str] = set()
    for msgid, entry in entries.items():
        state = status(entry)
        if state in wanted and entry.msgstr:
            lookup[msgid] = entry.msgstr
            if state != "reviewed":
                drafts.add(msgid)
    texts = {seg.text for _, seg in doc.segments()}
    return Translations(lookup=lookup, entries=entries, total=len(texts),
                        used=len(texts & lookup.keys()), drafts_used=len(texts & drafts))


@dataclass
class Report(BaseReport):
    editions: list[Edition] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {**super().as_json(), "editions": [e.as_json() for e in self.editions]}


def run(project: Project, options: Options, *, progress: Progress = no_progress) -> Report:
    """Every article's editions in every target language; per-file errors are collected."""
    from l10n.readers import read_document

    report = Report()
    editions, errors = report.editions, report.errors
    qa = None
    if "html" in options.formats:
        from l10n.render.page import check_templates

        check_templates(project.templates_dir)  # a broken house template stops the build
        qa = _review_qa(project, errors)
    articles = project.articles()
    with progress("build", len(articles)) as tick:
        for article in articles:
            tick()
            try:
                doc = read_document(project.root / article, shown_as=article,
                                    settings=project.reading)
            except L10nError as exc:
                errors.append(exc)
                continue
            name = project.name_of(article)
            for lang in project.target_langs:
                try:
                    editions.append(_build_one(project, doc, name, lang, options, qa))
                except L10nError as exc:
                    errors.append(exc)
    if "html" in options.formats:
        for lang in project.target_langs:
            _write_index(project, lang, [e for e in editions if e.lang == lang])
    return report


def _build_one(project: Project, doc: Document, name: str, lang: str,
               options: Options, qa: _ReviewQA | None = None) -> Edition:
    edition = Edition(article=doc.path, name=name, lang=lang, title=_title(doc),
                      source_lang=project.source_lang)
    catalog = project.catalog_path(lang, name)
    if not catalog.exists():
        edition.skipped = f"no catalog {project.shown(catalog)}; run `l10n extract`"
        return edition
    po = load(catalog, shown=project.shown(catalog))
    found = translations(doc, po, project.owner(name), include_fuzzy=options.include_fuzzy)
    edition.translated_percent = found.percent
    edition.sentences, edition.untranslated = found.total, found.untranslated
    edition.edition_title = _translated_title(doc, found.lookup)
    rows = _review_rows(doc, found, qa.checker(project, lang, doc.path) if qa else None)
    edition.counts = {s: sum(r.status == s for r in rows)
                      for s in ("reviewed", "draft", "fuzzy", "missing")}
    if "html" in options.formats:
        from l10n.render.review import review_html

        edition_href = f"{Path(name).name}.html" if found.percent >= options.min_translated \
            else None
        path = project.edition_path(lang, name, ".review.html")
        edition.written += write_if_changed(path, review_html(
            title=edition.title, article=doc.path.as_posix(), rows=rows,
            source_lang=project.source_lang, lang=lang, edition_href=edition_href,
            catalog=project.shown(catalog).as_posix(), title_lang=project.source_lang,
            templates=project.templates_dir),
            durable=False)
        edition.paths.append(project.shown(path))
    if found.percent < options.min_translated:
        edition.skipped = (f"{found.percent:.0f}% translated, below --min-translated "
                           f"{options.min_translated:g}%")
        return edition
    notice = _notice(options, found, project.source_lang)
    for fmt in options.formats:
        path, text = _render(project, doc, name, lang, fmt, found.lookup, notice)
        if project.shown(path) not in edition.paths:  # html and source of an .html article
            edition.paths.insert(0, project.shown(path))
        # Editions are rebuilt from the catalogs at any time: no fsync (see write_if_changed).
        edition.written += write_if_changed(path, text, durable=False)
    return edition


def _notice(options: Options, found: Translations, source_lang: str) -> str | None:
    """The edition's notice: the configured one while drafts are used, and a count whenever
    sentences are shown untranslated, so that no edition is half in the source language
    without saying so."""
    parts = [options.notice] if options.notice and found.drafts_used else []
    if found.untranslated:
        verb = "is" if found.untranslated == 1 else "are"
        parts.append(f"{found.untranslated} of {found.total} sentences {verb} not translated "
                     f"yet and shown in the original language ({source_lang}).")
    return " ".join(parts) or None


def _title(doc: Document) -> str:
    for block in doc.blocks:
        if block.kind in ("title", "heading") and block.segments:
            return _as_text(" ".join(s.text for s in block.segments), doc)
    return doc.path.stem


def _translated_title(doc: Document, lookup: dict[str, str]) -> str | None:
    """The title as the edition shows it; None while any part of it is untranslated."""
    for block in doc.blocks:
        if block.kind in ("title", "heading") and block.segments:
            texts = [s.text for s in block.segments]
            return _as_text(" ".join(lookup[t] for t in texts), doc) \
                if all(t in lookup for t in texts) else None
    return None


def _as_text(title: str, doc: Document) -> str:
    """A title as the index and review pages show it (they escape it): a Markdown or HTML
    article's without its markup, entities and escapes read (`Krieg &amp; *Frieden*` →
    `Krieg & Frieden`)."""
    if doc.format not in ("markdown", "html"):
        return title
    from l10n.markup import parse

    return " ".join(parse(title, doc.format).plain.split())  # type: ignore[arg-type]


@dataclass(frozen=True)
class _ReviewQA:
    """The gate's QA settings, so that review sheets show what `l10n check` reports."""

    options: GateOptions
    glossary: Glossary | None

    def checker(self, project: Project, lang: str, article: Path
                ) -> Callable[[polib.POEntry], list[Problem]]:
        from l10n.checks import CheckContext
        from l10n.commands.gate import qa_problems
        from l10n.readers import markup_of

        context = CheckContext(source_lang=project.source_lang, target_lang=lang,
                               glossary=self.glossary, markup=markup_of(article.as_posix()))
        return lambda entry: qa_problems(entry, context, self.options)


def _review_qa(project: Project, errors: list[L10nError]) -> _ReviewQA | None:
    from l10n.commands.gate import glossary_of, options_from

    try:
        return _ReviewQA(options_from(project), glossary_of(project))
    except L10nError as exc:  # a broken glossary: the sheets go without findings
        errors.append(exc)
        return None


def _review_rows(doc: Document, found: Translations,
                 check: Callable[[polib.POEntry], list[Problem]] | None) -> list[ReviewRow]:
    from l10n.render.review import ReviewRow

    rows = []
    seen: set[str] = set()
    for block, seg in doc.segments():
        if seg.text in seen:
            continue
        seen.add(seg.text)
        entry = found.entries.get(seg.text)
        state = status(entry) if entry is not None else "untranslated"
        # Machine text is named as such; a reviewed text is a human's whatever drafted it.
        prov = machine_written(entry) if entry is not None and state != "reviewed" else None
        rows.append(ReviewRow(
            line=seg.line, kind=block.kind, source=seg.text,
            translation=entry.msgstr if entry is not None and entry.msgstr else None,
            status="missing" if state == "untranslated" else state,
            confidence=prov.score if prov and state == "draft" else None,
            provenance=prov.origin if prov else None,
            po_line=entry.linenum if entry is not None else None,
            previous_source=entry.previous_msgid if entry is not None else None,
            findings=tuple(check(entry)) if entry is not None and check else (),
            notes=tuple(review_notes(entry)) if entry is not None and prov is not None
            else ()))
    return rows


def _write_index(project: Project, lang: str, editions: list[Edition]) -> None:
    from l10n.render.index import IndexRow, index_html

    rows = []
    for ed in editions:
        # The title as the edition shows it: translated, or the source's, marked as such.
        rows.append(IndexRow(
            name=ed.name, title=ed.edition_title or ed.title, total=sum(ed.counts.values()),
            reviewed=ed.counts.get("reviewed", 0), drafts=ed.counts.get("draft", 0),
            fuzzy=ed.counts.get("fuzzy", 0), missing=ed.counts.get("missing", 0),
            edition_href=None if ed.skipped else f"{ed.name}.html",
            review_href=f"{ed.name}.review.html" if ed.counts else None,
            note=ed.skipped, title_lang=None if ed.edition_title else ed.source_lang))
    write_if_changed(project.edition_path(lang, "index", ".html"),
                     index_html(lang=lang, rows=rows, templates=project.templates_dir),
                     durable=False)


def _render(project: Project, doc: Document, name: str, lang: str, fmt: str,
            lookup: dict[str, str], notice: str | None) -> tuple[Path, str]:
    if fmt == "html" or doc.format == "html":
        # The source edition of an HTML article is the translated page as well.
        from l10n.render.html import edition_html

        suffix = ".html" if fmt == "html" else doc.path.suffix
        return (project.edition_path(lang, name, suffix),
                edition_html(doc, lookup.get, lang=lang, notice=notice,
                             source_lang=project.source_lang, templates=project.templates_dir))
    from l10n.render.text import edition_text

    return (project.edition_path(lang, name, doc.path.suffix),
            edition_text(doc, lookup.get, notice=notice))
