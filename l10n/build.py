"""`l10n build`: catalogs + source structure → localized editions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from l10n.catalog.poformat import load
from l10n.catalog.status import status
from l10n.document import Document
from l10n.errors import L10nError
from l10n.fsutil import write_if_changed
from l10n.project import Project
from l10n.readers import read_document

DEFAULT_NOTICE = "Machine-translated, not yet reviewed."


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ("source",)  # "source" (same format as the article) and/or "html"
    min_translated: float = 0.0  # percent of segments; below it the article is skipped
    include_fuzzy: bool = False  # use machine drafts and source-changed fuzzies
    notice: str | None = DEFAULT_NOTICE  # shown on editions that contain machine drafts


@dataclass(frozen=True)
class Translations:
    """What a catalog offers for one article, given the build options."""

    lookup: dict[str, str]
    total: int
    used: int
    drafts_used: int

    @property
    def percent(self) -> float:
        return 100.0 * self.used / self.total if self.total else 100.0


@dataclass
class Edition:
    article: Path
    lang: str
    paths: list[Path] = field(default_factory=list)
    skipped: str | None = None
    translated_percent: float = 0.0
    written: int = 0


def translations(doc: Document, catalog_path: Path, *, include_fuzzy: bool) -> Translations:
    po = load(catalog_path)
    wanted = {"reviewed", "draft", "fuzzy"} if include_fuzzy else {"reviewed"}
    lookup: dict[str, str] = {}
    drafts: set[str] = set()
    for entry in po.translated_entries() + po.fuzzy_entries():
        state = status(entry)
        if state in wanted and entry.msgstr:
            lookup[entry.msgid] = entry.msgstr
            if state != "reviewed":
                drafts.add(entry.msgid)
    texts = {seg.text for _, seg in doc.segments()}
    return Translations(lookup=lookup, total=len(texts), used=len(texts & lookup.keys()),
                        drafts_used=len(texts & drafts))


def build(project: Project, options: BuildOptions, *,
          on_article: Callable[[Path], None] | None = None) -> tuple[list[Edition],
                                                                    list[L10nError]]:
    editions: list[Edition] = []
    errors: list[L10nError] = []
    for article in project.articles():
        if on_article:
            on_article(article)
        try:
            doc = read_document(project.root / article, shown_as=article)
        except L10nError as exc:
            errors.append(exc)
            continue
        name = project.name_of(article)
        for lang in project.target_langs:
            try:
                editions.append(_build_one(project, doc, name, lang, options))
            except L10nError as exc:
                errors.append(exc)
    return editions, errors


def _build_one(project: Project, doc: Document, name: str, lang: str,
               options: BuildOptions) -> Edition:
    edition = Edition(article=doc.path, lang=lang)
    catalog = project.catalog_path(lang, name)
    if not catalog.exists():
        edition.skipped = f"no catalog {project.shown(catalog)}; run `l10n extract`"
        return edition
    found = translations(doc, catalog, include_fuzzy=options.include_fuzzy)
    edition.translated_percent = found.percent
    if found.percent < options.min_translated:
        edition.skipped = (f"{found.percent:.0f}% translated, below --min-translated "
                           f"{options.min_translated:g}%")
        return edition
    notice = options.notice if found.drafts_used else None
    for fmt in options.formats:
        path, text = _render(project, doc, name, lang, fmt, found.lookup, notice)
        edition.paths.append(project.shown(path))
        edition.written += write_if_changed(path, text)
    return edition


def _render(project: Project, doc: Document, name: str, lang: str, fmt: str,
            lookup: dict[str, str], notice: str | None) -> tuple[Path, str]:
    if fmt == "html":
        from l10n.html import edition_html

        return (project.edition_path(lang, name, ".html"),
                edition_html(doc, lookup.get, lang=lang, notice=notice))
    text = doc.render(lookup.get)
    if notice:
        # The notice goes first, but front matter must stay the first thing in the file.
        first = doc.blocks[0]
        head = first.parts[0] if first.kind == "front matter" and first.parts else ""
        assert isinstance(head, str)
        text = head + _notice_line(doc, notice) + text[len(head):]
    return project.edition_path(lang, name, doc.path.suffix), text


def _notice_line(doc: Document, notice: str) -> str:
    newline = "\r\n" if "\r\n" in doc.source else "\n"
    if doc.format == "markdown":
        return f"> **{notice}**{newline}{newline}"
    return f"[{notice}]{newline}{newline}"
