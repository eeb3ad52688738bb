"""What the HTML reader needs to know about elements: which are translated, which are inline,
which keep their content verbatim, and which end tags HTML lets a writer leave out.

The implied end tags follow the HTML standard's tree construction ("close a p element",
the list item, definition and table cell rules), reduced to what decides where a block ends.
"""

from __future__ import annotations

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Elements whose own text is translated, and the block kind their entries are filed under
# (the kinds the text and Markdown readers use where there is one).
BLOCK_KINDS: dict[str, str] = {
    "title": "title",
    **{h: "heading" for h in HEADINGS},
    "p": "paragraph",
    "li": "list item",
    "blockquote": "quote",
    "figcaption": "caption",
    "caption": "caption",  # a table's
    "td": "table cell",
    "th": "table cell",
    "dt": "term",
    "dd": "definition",
}

# Phrasing elements: they stay inside a sentence, in the msgid, as written.
INLINE = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del",
    "dfn", "em", "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "picture", "q",
    "rb", "rp", "rt", "ruby", "s", "samp", "small", "source", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
})

# Content that is not prose: kept verbatim, with everything inside it.
VERBATIM = frozenset({
    "script", "style", "pre", "textarea", "svg", "math", "template", "noscript", "iframe",
    "object", "select", "canvas", "video", "audio", "xmp", "listing", "plaintext",
})

VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})

# Start tags that close an open `p` (HTML: "close a p element" when one is in button scope).
CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
    "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "ul", "xmp", *HEADINGS,
})

# An element the start tag `key` implicitly closes when it is open, and the elements the
# search for it may not cross (the nearest list, definition list or table).
IMPLIED_BY: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
}

# Elements an end tag's search for its element may not cross (HTML's "in scope").
SCOPE = frozenset({"html", "table", "td", "th", "caption", "template", "object", "marquee",
                   "applet"})
# End tags that close what is open inside them up to the table, cells included.
TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})
TABLE_SCOPE = frozenset({"html", "template"})
