"""Which link targets a page may carry."""

from __future__ import annotations

import re

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop these before parsing a URL, so "java\tscript:" is still javascript:.
_URL_NOISE = re.compile(r"[\t\n\r]")
_LEADING = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + " "


def safe_href(url: str) -> str | None:
    """`url` if it is relative or uses http, https or mailto; None for anything else.

    Mirrors how a browser reads the scheme (leading controls and spaces stripped, tabs and
    newlines removed anywhere), so obfuscated `javascript:` or `data:` URLs are refused too.
    """
    match = _SCHEME.match(_URL_NOISE.sub("", url).strip(_LEADING))
    if match is None:
        # No scheme before the first ":" means a relative reference ("a/b.html", "#x", "//h/p").
        return url
    return url if match.group(1).lower() in _SAFE_SCHEMES else None


def allow_link(url: str) -> bool:
    return safe_href(url) is not None
