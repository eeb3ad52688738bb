"""An HTML article's edition: the article's own page, translated.

The page keeps every byte of the source around the translated sentences; the root
`<html>` element's `lang` becomes the edition's language (added when missing), a sentence
shown untranslated is wrapped in `<span lang="<source>">` (not in the `<title>` or an
attribute, which cannot hold markup), and the notice is drawn by `notice.html.j2` and put
right after the start tag of the element the template names as its `anchor` (`body` unless
a house template says otherwise; see `notice_position`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from l10n.document import Document, Lookup
from l10n.readers.html import ATTRIBUTE_KINDS, ROOT_KIND
from l10n.readers.html_tokens import END, OTHER, START, tokenize
from l10n.render.html_safety import safe_attribute, safe_fragment, safe_text
from l10n.render.page import draw_with_settings

_ATTRIBUTE_KINDS = frozenset(ATTRIBUTE_KINDS.values())
DEFAULT_ANCHOR = "body"


def article_page(doc: Document, lookup: Lookup, *, lang: str, notice: str | None = None,
                 source_lang: str = "de", templates: Path | None = None) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if block.kind == ROOT_KIND:
            out.append(with_lang(block.render(lookup), lang))
        elif block.kind in _ATTRIBUTE_KINDS:
            quote = out[-1][-1:] if out and out[-1][-1:] in "\"'" else ""
            out.append(block.render(_safe(lookup, _in_attribute(quote))))
        elif block.kind == "title":
            out.append(block.render(_safe(lookup, safe_text)))
        else:
            out.append(block.render(_safe(lookup, safe_fragment),
                                    kept=_source_span(source_lang)))
    page = "".join(out)
    if not notice:
        return page
    drawn, settings = draw_with_settings("notice.html.j2", house=templates, notice=notice,
                                         lang=lang, source_lang=source_lang)
    at, after_tag = notice_position(page, str(settings.get("anchor") or DEFAULT_ANCHOR))
    newline = "\r\n" if "\r\n" in page else "\n"
    drawn = drawn.strip("\r\n")
    inserted = newline + drawn if after_tag else drawn + newline
    return page[:at] + inserted + page[at:]


def _safe(lookup: Lookup, made_safe: Callable[[str, str], str]) -> Lookup:
    def translated(msgid: str) -> str | None:
        found = lookup(msgid)
        if found is None or found == msgid:
            return found  # the source's own bytes are kept (Block.render)
        return made_safe(found, msgid)

    return translated


def _in_attribute(quote: str) -> Callable[[str, str], str]:
    return lambda translation, _msgid: safe_attribute(translation, quote)


def _source_span(source_lang: str) -> Callable[[str], str]:
    opening = f'<span lang="{escape(source_lang, quote=True)}">'
    return lambda raw: f"{opening}{raw}</span>"


_LANG = re.compile(r"""(?<=\s)(?P<name>(?:xml:)?lang)(?P<eq>\s*=\s*)"""
                   r"""(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
_TAG_NAME = re.compile(r"<[^\s/>]+")


def with_lang(start_tag: str, lang: str) -> str:
    """The `<html …>` start tag with its `lang` (and `xml:lang`) set to `lang`."""
    value = escape(lang, quote=True)

    def replaced(match: re.Match[str]) -> str:
        old = match.group("value")
        quote = old[0] if old[0] in "\"'" else '"'
        return f"{match.group('name')}{match.group('eq')}{quote}{value}{quote}"

    tag = _LANG.sub(replaced, start_tag)
    if any(m.group("name").lower() == "lang" for m in _LANG.finditer(start_tag)):
        return tag
    name = _TAG_NAME.match(tag)
    if name is None:
        return tag
    return f'{tag[:name.end()]} lang="{value}"{tag[name.end():]}'


def notice_position(page: str, anchor: str) -> tuple[int, bool]:
    """Where the notice goes, and whether that is right after a tag: after the first
    `<anchor>` start tag; failing that after `<body>`, after `</head>`, after `<html>`; in a
    fragment without any of them, at the top (after a byte-order mark and a doctype)."""
    tokens = tokenize(page)
    for kind, tag in ((START, anchor.lower()), (START, "body"), (END, "head"), (START, "html")):
        found = next((t.end for t in tokens if t.kind == kind and t.tag == tag), None)
        if found is not None:
            return found, True
    top = 1 if page.startswith("\ufeff") else 0
    for token in tokens:
        if token.kind == OTHER:
            top = token.end
        elif page[token.start:token.end].strip("\ufeff \t\r\n"):
            break
    return top, top > 0 and page[top - 1] == ">"
