"""Pseudo-localization: a fake "translation" that shows untranslated and truncated text.

``Das ist ein Test.`` becomes ``[!!! Ðááš ííšţ ééííñ Ţééšţ.· !!!]``: every ASCII letter gets
an accented look-alike (text that skipped translation stands out, and fonts and encodings are
exercised); the text grows by 30% of its translatable characters, as translations often do
(vowels are doubled from the start until the quota is met, then ``·`` pads the rest); and the
markers show where a string was cut or concatenated in the layout.

Placeholders and markup pass through unchanged, so a rebuilt document still works and QA
checks can be tested against it: URLs, e-mail addresses, Markdown link targets ``](url)``,
inline code in backticks, HTML/XML tags and entities, printf and brace placeholders
(``%s``, ``%(name)s``, ``{0}``, ``{name}``) and numbers.

Deterministic and model-free; every result has ``score=None``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from l10n.engines import ProgressCallback, Translation

__all__ = ["PseudoEngine", "pseudolocalize"]

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÅƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)
_VOWELS = frozenset("áéíóúýÅÉÍÓÚÝ")
EXPANSION = 0.3
OPEN, CLOSE = "[!!! ", " !!!]"

# Spans copied verbatim, tried left to right at each position (first match wins).
_PROTECTED = re.compile(
    r"""
      \]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+"[^"]*")?\)   # Markdown link target ](url "t")
    | `+[^`]*?`+                                              # inline code
    | <[a-zA-Z/!?][^<>]*>                                     # HTML/XML tag or comment
    | &(?:[a-zA-Z]+|\#\d+|\#x[0-9a-fA-F]+);                   # entity
    | (?:https?|ftp)://[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]         # URL (without trailing punctuation)
    | www\.[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                            # e-mail address
    | %(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[a-zA-Z%]           # printf placeholder
    | \{\{?[^{}\s]*\}\}?                                      # {0} {name} {{ jinja }}
    | \d+(?:[.,:/]\d+)*                                       # numbers, dates, times
    """,
    re.VERBOSE,
)


def pseudolocalize(text: str) -> str:
    """Pseudo-localize one string (empty or blank strings come back unchanged)."""
    if not text.strip():
        return text
    lead = text[:len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    core = text.strip()
    chunks: list[tuple[bool, str]] = []  # (translatable, text)
    pos = 0
    for match in _PROTECTED.finditer(core):
        if match.start() > pos:
            chunks.append((True, core[pos:match.start()].translate(_TABLE)))
        chunks.append((False, match.group()))
        pos = match.end()
    if pos < len(core):
        chunks.append((True, core[pos:].translate(_TABLE)))

    quota = math.ceil(EXPANSION * sum(len(c) for ok, c in chunks if ok))
    out: list[str] = []
    for translatable, chunk in chunks:
        if not translatable or quota <= 0:
            out.append(chunk)
            continue
        grown = []
        for ch in chunk:
            grown.append(ch)
            if quota > 0 and ch in _VOWELS:
                grown.append(ch)
                quota -= 1
        out.append("".join(grown))
    # Text with too few vowels still grows, so that layouts get tested all the same.
    # Not "~": two of them are Markdown strikethrough, and pseudo text must add no markup.
    padding = "·" * max(quota, 0)
    return f"{lead}{OPEN}{''.join(out)}{padding}{CLOSE}{trail}"


class PseudoEngine:
    """The :class:`~l10n.engines.Engine` that pseudo-localizes instead of translating."""

    name = "pseudo"
    version = "1"
    # The gate recognises pseudo drafts by this (l10n.catalog.model.PSEUDO_ORIGIN).
    label = "pseudo-localization 1"
    cache_key = "pseudo/1"
    keeps_markup = True

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: ProgressCallback | None = None,
                        align: bool = False) -> list[Translation]:
        del align  # markup passes through pseudo-localization: nothing to align
        out = [Translation(pseudolocalize(text), None) for text in texts]
        if on_progress is not None:
            on_progress(len(out))
        return out
