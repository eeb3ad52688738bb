"""What the checks compare: a text's prose, without code, links and markup, and its words."""

from __future__ import annotations

import re
from functools import lru_cache

CODE_SPAN = re.compile(r"(`+)(.+?)\1")
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\))?)>?"
                   r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REF_LINK = re.compile(r"(?<!\])\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\[([^\[\]]*)\]")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
# CommonMark's e-mail autolink: `<redaktion@example.org>`.
EMAIL_AUTOLINK = re.compile(r"<([\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)>", re.ASCII)
BARE_URL = re.compile(r"(?<![<(\w/.:])(?:https?://|www\.)[^\s<>()\"“”]*[^\s<>()\"“”.,;:!?'’]")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
# What each of the patterns above needs to find: a backtick, a bracket, an angle bracket,
# a scheme or "www.".
_MARKUP_SIGNS = ("`", "[", "<", "://", "www.")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
WORD_OR_NUMBER = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """`text` without code spans, link targets and URLs: what a reader reads as prose.
    Every check asks for it, so an entry's two texts are prepared once."""
    if not any(mark in text for mark in _MARKUP_SIGNS):
        return text  # most sentences: nothing any of the patterns below could match
    text = CODE_SPAN.sub(" ", text)
    text = LINK.sub(lambda m: m.group(2), text)
    text = AUTOLINK.sub(" ", text)
    text = BARE_URL.sub(" ", text)
    return HTML_TAG.sub(" ", text)


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words (`WORD`) of `text`: several checks ask for those of each text."""
    return tuple(WORD.findall(text))


# Function words that mark running prose in a language; names, credits and boilerplate
# in another language ("Subscribe to our newsletters") contain none of them.
FUNCTION_WORDS = {
    "de": frozenset({
        "der", "die", "das", "den", "dem", "des", "und", "oder", "aber", "ist", "sind", "war",
        "wird", "werden", "wurde", "hat", "haben", "nicht", "mit", "von", "vom", "zu", "zum",
        "zur", "für", "auf", "im", "bei", "nach", "aus", "sich", "dass", "ein", "eine", "einen",
        "einem", "einer", "es", "er", "sie", "wir", "auch", "als", "wie", "noch",
    }),
    "en": frozenset({
        "the", "and", "or", "but", "is", "are", "was", "were", "will", "has", "have", "not",
        "with", "of", "to", "for", "on", "at", "by", "from", "that", "this", "it", "he", "she",
        "we", "also", "as",
    }),
}
