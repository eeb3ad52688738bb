"""Translations put back into an HTML article: markup the msgid holds, everything else text.

A translation of an HTML article's sentence is an HTML fragment like its msgid. It may use
the tags its msgid uses (each start tag with the same attributes, but for a translated
`title` or `alt`), plain inline tags without attributes (`<em>`, `<b>`, `<br>`…), and any
inline end tag; every other `<` is text and is written `&lt;`, so a translation can never
bring a script, an event handler or a link of its own. A `&` that starts no character
reference is written `&amp;` (`Tom & Jerry` shows as typed; `&amp;`, `&nbsp;` and `&#8211;`
stay references). An attribute value (alt, title) is text: its quotes and, unquoted, its
spaces are escaped; so is the page's `<title>`, which HTML shows as text whatever it holds.
"""

from __future__ import annotations

import re
from html.entities import html5

from l10n.readers.html_elements import INLINE
from l10n.readers.html_tokens import END, START, TEXT, Token, tokenize

# Inline tags a translator may add without attributes: emphasis and line breaks only.
_BARE_TAGS = frozenset({"b", "i", "em", "strong", "u", "s", "small", "mark", "sub", "sup",
                        "q", "span", "br", "wbr", "abbr", "cite", "code", "kbd", "dfn", "var",
                        "samp", "del", "ins", "bdi"})
_TEXT_ATTRIBUTES = frozenset({"title", "alt"})
_AMPERSAND = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)?")
_BARE_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9]*\s*/?>")


def _references_kept(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        found = match.group()
        if found.startswith("&#") or found[1:] in html5:
            return found
        return "&amp;" + found[1:]

    return _AMPERSAND.sub(one, text)


def _as_text(text: str) -> str:
    return _references_kept(text).replace("<", "&lt;")


def safe_text(translation: str, msgid: str = "") -> str:
    """`translation` where HTML holds text only (the `<title>`): no markup at all."""
    return _as_text(translation)


def safe_fragment(translation: str, msgid: str) -> str:
    """`translation` as HTML to put where `msgid`'s source was (see the module's rule)."""
    if "<" not in translation and "&" not in translation:
        return translation
    in_msgid = [t for t in tokenize(msgid) if t.kind not in (TEXT, END)]
    known = {msgid[t.start:t.end] for t in in_msgid} | {_signature(t) for t in in_msgid
                                                         if t.kind == START}
    out: list[str] = []
    for token in tokenize(translation):
        text = translation[token.start:token.end]
        out.append(text if _allowed(token, text, known) else _as_text(text))
    return "".join(out)


def _signature(token: Token) -> str:
    """A start tag as the page reads it, without the attributes a translator translates: the
    same tag with its `title` or `alt` translated is the msgid's tag."""
    kept = sorted((name, value) for name, value in token.attrs if name not in _TEXT_ATTRIBUTES)
    return repr((token.tag, kept))


def _allowed(token: Token, text: str, known: set[str]) -> bool:
    """Whether a token of a translation stays markup (a text token is never markup)."""
    if token.kind == START:
        return (text in known or _signature(token) in known
                or (token.tag in _BARE_TAGS and bool(_BARE_TAG.fullmatch(text))))
    if token.kind == END:
        return token.tag in INLINE
    return token.kind != TEXT and text in known  # a comment the msgid holds


_UNQUOTED_UNSAFE = re.compile(r"[\s\"'=<>`]")


def safe_attribute(translation: str, quote: str) -> str:
    """`translation` as an attribute value between `quote` (`"`, `'` or "" for none)."""
    text = _as_text(translation)
    if quote == '"':
        return text.replace('"', "&quot;")
    if quote == "'":
        return text.replace("'", "&#39;")
    return _UNQUOTED_UNSAFE.sub(lambda m: f"&#{ord(m.group())};", text)
