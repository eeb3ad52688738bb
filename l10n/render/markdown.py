"""A Markdown edition's article body: markdown-it, set up for what a news article needs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from l10n.document import Document, Lookup
from l10n.readers.front_matter import front_matter_value
from l10n.readers.markdown import MAX_NESTING
from l10n.render.fallback import block_source, unmark
from l10n.render.urls import allow_link

_HTML_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)


@functools.cache
def _markdown() -> MarkdownIt:
    # html=False: raw HTML in a source or a translation is shown as text, never interpreted.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.options["maxNesting"] = MAX_NESTING  # what the reader translated is shown
    md.add_render_rule("front_matter", lambda *args, **kwargs: "")
    # markdown-it's own validator still admits e.g. data:image/png; only allow what a news
    # article needs. Refused links stay visible as their literal Markdown text.
    md.validateLink = allow_link  # type: ignore[method-assign]
    return md


def _inline_text(tokens: Iterable[Token]) -> str:
    out: list[str] = []
    for tok in tokens:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.children:
            out.append(_inline_text(tok.children))
    return "".join(out)


def _front_matter_title(content: str) -> str | None:
    found = front_matter_value(content, "title")
    if found is not None:
        return found
    for line in content.splitlines():  # a title YAML would read otherwise: its gist
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "title" and value.strip():
            return value.strip().strip("\"'").strip() or None
    return None


def _markdown_source(doc: Document, lookup: Lookup) -> str:
    # With raw HTML off, an HTML comment in the source (`<!-- more -->`, editor notes) would be
    # printed as text; it was never visible in the original, so it is left out. Other raw HTML
    # stays, escaped, so no content silently disappears.
    # A blank line stands in for the comment so the blocks around it stay apart.
    out: list[str] = []
    for block in doc.blocks:
        text = block_source(block, lookup)
        out.append("\n" if block.kind == "html" and _HTML_COMMENT.fullmatch(text) else text)
    return "".join(out)


def markdown_body(doc: Document, lookup: Lookup) -> tuple[str, str | None]:
    """(the article as HTML, still marked; its title as plain text, if it has one)."""
    md = _markdown()
    tokens = md.parse(_markdown_source(doc, lookup))
    title: str | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            title = " ".join(unmark(_inline_text(tokens[i + 1].children or ())).split()) or None
            if title:
                break
    if title is None:
        title = next((_front_matter_title(t.content) for t in tokens if t.type == "front_matter"),
                     None)
    return md.renderer.render(tokens, md.options, {}), title
