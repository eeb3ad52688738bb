"""Sentences an edition shows untranslated, marked as the source language.

Noncharacters (never in interchange text, removed from the input) bracket those sentences
through Markdown rendering, until `lang_spans` turns them into `lang` spans.
"""

from __future__ import annotations

import dataclasses
import re
from html import escape

from l10n.document import Block, Lookup

OPEN, CLOSE = "\ufdd0", "\ufdd1"
_UNMARK = {ord(OPEN): None, ord(CLOSE): None}
_ADJACENT = re.compile(f"{CLOSE}(\\s*){OPEN}")
# Emphasis delimiters stay outside the marks: CommonMark pairs `*`, `_` and `~` by the
# characters next to them, and a mark there would change what is emphasized.
_DELIMITERS = "*_~"
_TAG = re.compile(r"(<[^>]*>)")
_MARKS = re.compile(f"([{OPEN}{CLOSE}])")


def unmark(text: str) -> str:
    return text.translate(_UNMARK)


def _marked(raw: str) -> str:
    """`raw`, a sentence shown in the source language, between the fallback marks."""
    text = unmark(raw)
    start = len(text) - len(text.lstrip(_DELIMITERS))
    end = len(text.rstrip(_DELIMITERS))
    if end <= start:
        return text
    if text[:end].endswith("\\"):  # an escaped delimiter is text: keep it inside
        end = len(text)
    return f"{text[:start]}{OPEN}{text[start:end]}{CLOSE}{text[end:]}"


def block_source(block: Block, lookup: Lookup) -> str:
    """The block as `Block.render` gives it, so that the edition says what the text build
    says, with each sentence left untranslated between the marks."""
    if any(isinstance(p, str) and (OPEN in p or CLOSE in p) for p in block.parts):
        block = dataclasses.replace(
            block, parts=tuple(unmark(p) if isinstance(p, str) else p for p in block.parts))

    def translated(msgid: str) -> str | None:
        found = lookup(msgid)
        return None if found is None else unmark(found)

    # Neighbouring untranslated sentences make one span.
    return _ADJACENT.sub(r"\1", block.render(translated, kept=_marked))


def lang_spans(html: str, lang: str) -> str:
    """Rendered HTML with the marked text wrapped in `<span lang=…>`.

    Only text between tags is wrapped, so the spans nest correctly whatever inline markup a
    marked sentence opens or closes; marks that ended up in attributes (an image's alt text)
    are dropped. Rendered text never holds a raw `<`: it is escaped.
    """
    if OPEN not in html:
        return html
    out: list[str] = []
    inside = False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            out.append(unmark(piece))
            continue
        for run in _MARKS.split(piece):
            if run in (OPEN, CLOSE):
                inside = run == OPEN
            elif inside and run.strip():
                out.append(f'<span lang="{escape(lang, quote=True)}">{run}</span>')
            else:
                out.append(run)
    return "".join(out)
