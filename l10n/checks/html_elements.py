"""The HTML elements a text holds, as the markup check compares them.

An element is named with the attributes a translation must keep: its address (`href`,
`src`), its identity and styling (`id`, `class`, `style`, `data-*`) and every other
attribute but the few that are text for readers (`alt`, `title`, `aria-label`,
`placeholder`, …), which a translator translates. Tag and attribute names are compared
case-insensitively, attributes in any order and quoting, values with their character
references resolved (`&amp;` is `&`), a class as its set of names, and `<br>`, `<br/>` and
`<br />` alike.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from html import unescape

# Text for readers: the translation translates it. `lang` too, since translating a
# foreign phrase changes its language.
TRANSLATABLE = frozenset({
    "alt", "title", "aria-label", "aria-description", "aria-placeholder",
    "aria-roledescription", "aria-valuetext", "placeholder", "label", "abbr", "lang",
})
_ATTRIBUTE = r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
TAG = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTRIBUTE})*)\s*/?>")
_ATTRIBUTES = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def elements(text: str) -> tuple[Counter[str], Counter[str]]:
    """(each start tag and end tag as the check names it, `<a href="/x">` or `</a>`;
    end tags of each element that come before a start tag they could close)."""
    found: Counter[str] = Counter()
    stray: Counter[str] = Counter()
    open_now: dict[str, int] = {}
    for closing, name, attributes in TAG.findall(text):
        name = name.lower()
        if closing:
            found[f"</{name}>"] += 1
            if open_now.get(name):
                open_now[name] -= 1
            else:
                stray[f"</{name}>"] += 1
        else:
            found[_start_tag(name, attributes)] += 1
            open_now[name] = open_now.get(name, 0) + 1
    return found, stray


# An archive repeats its few kinds of tags in entry after entry.
@lru_cache(maxsize=4096)
def _start_tag(name: str, attributes: str) -> str:
    kept: dict[str, str] = {}
    for match in _ATTRIBUTES.finditer(attributes):
        key = match.group(1).lower()
        if key in TRANSLATABLE or key in kept:
            continue  # HTML reads the first of two attributes of one name
        value = unescape(next((v for v in match.groups()[1:] if v is not None), ""))
        kept[key] = " ".join(sorted(value.split())) if key == "class" else value
    shown = "".join(f' {key}="{value.replace(chr(34), "&quot;")}"'
                    for key, value in sorted(kept.items()))
    return f"<{name}{shown}>"
