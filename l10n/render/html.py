"""The localized article as a standalone HTML page (the `html` edition)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from markupsafe import Markup

from l10n.document import Block, Document, Lookup
from l10n.render.fallback import block_source, lang_spans, unmark
from l10n.render.page import draw

# Kinds that are not part of what a reader of the edition should see.
_HIDDEN_KINDS = frozenset({"blank", "boilerplate", "front matter"})
_LIST_MARKER = re.compile(r"^\s*(?:[-*+\u2022\u2013\u2014]|\d{1,3}[.)])\s+")
_QUOTE_MARKER = re.compile(r"^ {0,3}> ?", re.MULTILINE)
# News captions end with the picture credit in brackets: "… im vergangenen Monat. [EPA/EFE]".
_CAPTION_CREDIT = re.compile(r"^(?P<text>.*?)\s*(?P<credit>\[[^\[\]]+\])\s*$", re.DOTALL)


@dataclass(frozen=True)
class TextBlock:
    """One element of a text edition's article, as `article_text.html.j2` draws it."""

    kind: str  # title, heading, caption, credit, byline, code, paragraph, list or quote
    text: str = ""
    items: tuple[str, ...] = ()  # the items of a list, the paragraphs of a quote
    credit: str | None = None  # a caption's picture credit


def _block_text(block: Block, lookup: Lookup) -> str:
    return block_source(block, lookup).strip()


def _text_blocks(doc: Document, lookup: Lookup) -> tuple[list[TextBlock], str | None]:
    visible = [(b.kind, _block_text(b, lookup)) for b in doc.blocks if b.kind not in _HIDDEN_KINDS]
    visible = [(kind, text) for kind, text in visible if text]
    title = next((text for kind, text in visible if kind == "title"), None)
    if title is None:
        title = next((text for kind, text in visible if kind == "heading"), None)

    out: list[TextBlock] = []
    seen_title = False
    # Consecutive list items form one list and consecutive quote paragraphs one quotation, even
    # with blank blocks between them in the source.
    for kind, group in groupby(visible, key=lambda kt: kt[0]):
        texts = [text for _, text in group]
        if kind == "list item":
            out.append(TextBlock("list", items=tuple(_LIST_MARKER.sub("", t, count=1)
                                                     for t in texts)))
        elif kind == "quote":
            out.append(TextBlock("quote", items=tuple(_QUOTE_MARKER.sub("", t) for t in texts)))
        else:
            for text in texts:
                out.append(_text_block(kind, text, first_title=not seen_title))
                seen_title = seen_title or kind == "title"
    return out, title


def _text_block(kind: str, text: str, *, first_title: bool) -> TextBlock:
    if kind == "title":
        return TextBlock("title" if first_title else "heading", text)
    if kind == "caption":
        match = _CAPTION_CREDIT.match(text)
        if match and match.group("text"):
            return TextBlock("caption", match.group("text"), credit=match.group("credit"))
        return TextBlock("caption", text)
    if kind in ("heading", "credit", "byline", "code"):
        return TextBlock(kind, text)
    return TextBlock("paragraph", text)


def edition_html(doc: Document, lookup: Lookup, *, lang: str, notice: str | None = None,
                 source_lang: str = "de", templates: Path | None = None) -> str:
    """The localized article as a standalone HTML page in language `lang`.

    `lookup` maps a segment's msgid to its translation (None keeps the source sentence, marked
    as `source_lang` so that browsers, screen readers and search engines read it as such), as
    for `Document.render`. `notice`, when given, is shown as a banner above the article (the
    build passes one while the article holds machine drafts or untranslated sentences).
    `templates` is a project's own template folder. An HTML article is not drawn into our
    page: its own page is translated (`html_article.article_page`).
    """
    if doc.format == "html":
        # An HTML article is its own page: translated in place, not drawn into ours.
        from l10n.render.html_article import article_page

        return article_page(doc, lookup, lang=lang, notice=notice, source_lang=source_lang,
                            templates=templates)
    if doc.format == "markdown":
        from l10n.render.markdown import markdown_body

        body, title = markdown_body(doc, lookup)
    else:
        blocks, title = _text_blocks(doc, lookup)
        body = draw("article_text.html.j2", house=templates, blocks=blocks)
    title = unmark(title) if title else None
    return draw("edition.html.j2", house=templates, lang=lang, notice=notice or None,
                title=" ".join(title.split()) if title else doc.path.stem,
                article=Markup(lang_spans(body, source_lang)))
