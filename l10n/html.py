"""HTML pages: the localized edition of an article, its review sheet, and a per-language index.

Pure functions that return complete, standalone HTML documents as strings. Every page carries
its own CSS and references nothing outside itself, so the pages work from a local folder, an
artifact download or a CI preview without a network. Every piece of text that came from a
source file or a catalog is escaped: a translator's msgstr is data, never markup. A
Content-Security-Policy that forbids scripts backs this up should a bug ever slip markup through.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from l10n.document import Block, Document, Lookup, Segment

if TYPE_CHECKING:
    from l10n.checks import Problem

__all__ = [
    "DEFAULT_NOTICE",
    "IndexRow",
    "ReviewRow",
    "edition_html",
    "index_html",
    "review_html",
    "safe_href",
]

DEFAULT_NOTICE = (
    "This article was machine-translated and has not yet been fully reviewed by a translator."
)

# Scripts, plugins, forms and <base> are never legitimate in these pages; styles are inline and
# images may be the article's own.
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data: file:; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)

_RTL_LANGS = frozenset({"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "ur",
                        "yi"})

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop these before parsing a URL, so "java\tscript:" is still javascript:.
_URL_NOISE = re.compile(r"[\t\n\r]")


def _e(text: str) -> str:
    return escape(text, quote=True)


def safe_href(url: str) -> str | None:
    """`url` if it is relative or uses http, https or mailto; None for anything else.

    Mirrors how a browser reads the scheme (leading controls and spaces stripped, tabs and
    newlines removed anywhere), so obfuscated `javascript:` or `data:` URLs are refused too.
    """
    cleaned = _URL_NOISE.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                            "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                            "\x1b\x1c\x1d\x1e\x1f ")
    match = _SCHEME.match(cleaned)
    if match is None:
        # No scheme before the first ":" means a relative reference ("a/b.html", "#x", "//h/p").
        return url
    return url if match.group(1).lower() in _SAFE_SCHEMES else None


# ---------------------------------------------------------------------------------------------
# Shared page frame


_BASE_CSS = """
:root{color-scheme:light dark;--fg:#1f1f1f;--bg:#fbfaf7;--muted:#5d6166;--rule:#dedad2;
--accent:#1a5fb4;--panel:#f1efe9;--note-bg:#fff3c4;--note-fg:#4a3700;--note-rule:#d9a800;
--ok:#256b29;--ok-bg:#dcefdc;--warn:#8a5a00;--warn-bg:#ffe7c2;--bad:#b3261e;--bad-bg:#fbdad6}
@media (prefers-color-scheme:dark){:root{--fg:#e6e4df;--bg:#17191b;--muted:#a3a7ab;
--rule:#3a3d41;--accent:#8ab4f8;--panel:#222528;--note-bg:#3b3000;--note-fg:#ffe8a3;
--note-rule:#a88400;--ok:#8fd694;--ok-bg:#1f3a22;--warn:#ffc46b;--warn-bg:#3d2d10;
--bad:#ff9d94;--bad-bg:#44201d}}
*,*::before,*::after{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans","Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.notice{background:var(--note-bg);color:var(--note-fg);border-bottom:3px solid var(--note-rule);
padding:.8rem 1.25rem;font-size:.95rem}
.notice p{max-width:42rem;margin:0 auto}
.notice strong{font-weight:700}
.muted{color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;
clip:rect(0 0 0 0);white-space:nowrap;border:0}
"""


def _page(*, lang: str, title: str, css: str, body: str) -> str:
    direction = ' dir="rtl"' if lang.split("-")[0].lower() in _RTL_LANGS else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}"{direction}>\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="generator" content="l10n">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{_BASE_CSS}{css}</style>\n"
        "</head>\n"
        f"<body>\n{body}</body>\n"
        "</html>\n"
    )


def _notice_html(notice: str | None) -> str:
    if not notice:
        return ""
    # In the page's banner landmark, so that landmark navigation does not skip it.
    return f'<header><div class="notice" role="note"><p>{_e(notice)}</p></div></header>\n'


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Edition


_EDITION_CSS = """
main{max-width:42rem;margin:0 auto;padding:2.5rem 1.25rem 4rem}
article{font:1.15rem/1.7 Charter,"Bitstream Charter","Iowan Old Style",Georgia,
"Noto Serif","DejaVu Serif",serif;hyphens:auto;overflow-wrap:break-word}
h1,h2,h3,h4,h5,h6{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans",Arial,sans-serif;line-height:1.25;margin:2rem 0 .75rem;hyphens:manual}
h1{font-size:2.1rem;margin-top:0;letter-spacing:-.01em}
h2{font-size:1.45rem}h3{font-size:1.2rem}h4,h5,h6{font-size:1.05rem}
p{margin:0 0 1.1rem}
figure{margin:1.5rem 0;padding:.75rem 1rem;background:var(--panel);border-radius:6px}
figcaption,.caption{font-size:.95rem;line-height:1.5;color:var(--muted);margin:0}
.credit,.byline{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans",Arial,sans-serif;font-size:.85rem;color:var(--muted)}
figcaption .credit{white-space:nowrap}
blockquote{margin:1.5rem 0;padding:.25rem 0 .25rem 1.25rem;border-left:4px solid var(--rule);
font-style:italic}
blockquote p:last-child{margin-bottom:0}
ul,ol{padding-left:1.5rem;margin:0 0 1.1rem}
li{margin:.25rem 0}
pre{font-size:.9rem;line-height:1.45;background:var(--panel);padding:.9rem 1rem;
border-radius:6px;overflow-x:auto;hyphens:none}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;
font-size:.9em}
img{max-width:100%;height:auto}
hr{border:0;border-top:1px solid var(--rule);margin:2rem 0}
table{border-collapse:collapse;margin:0 0 1.1rem;font-size:.95rem}
th,td{border:1px solid var(--rule);padding:.35rem .6rem;text-align:left}
"""

# Kinds that are not part of what a reader of the edition should see.
_HIDDEN_KINDS = frozenset({"blank", "boilerplate", "front matter"})
_LIST_MARKER = re.compile(r"^\s*(?:[-*+\u2022\u2013\u2014]|\d{1,3}[.)])\s+")
_QUOTE_MARKER = re.compile(r"^ {0,3}> ?", re.MULTILINE)
# News captions end with the picture credit in brackets: "… im vergangenen Monat. [EPA/EFE]".
_CAPTION_CREDIT = re.compile(r"^(?P<text>.*?)\s*(?P<credit>\[[^\[\]]+\])\s*$", re.DOTALL)


# Noncharacters (never in interchange text, removed from input) bracket the sentences an
# edition shows untranslated, through Markdown rendering, until `_lang_spans` turns them
# into `lang` spans.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_UNMARK = {ord(_OPEN): None, ord(_CLOSE): None}
_ADJACENT = re.compile(f"{_CLOSE}(\\s*){_OPEN}")
# Emphasis delimiters stay outside the marks: CommonMark pairs `*`, `_` and `~` by the
# characters next to them, and a mark there would change what is emphasized.
_DELIMITERS = "*_~"


def _unmark(text: str) -> str:
    return text.translate(_UNMARK)


def _marked(raw: str) -> str:
    """`raw`, a sentence shown in the source language, between the fallback marks."""
    text = _unmark(raw)
    start = len(text) - len(text.lstrip(_DELIMITERS))
    end = len(text.rstrip(_DELIMITERS))
    if end <= start:
        return text
    if text[:end].endswith("\\"):  # an escaped delimiter is text: keep it inside
        end = len(text)
    return f"{text[:start]}{_OPEN}{text[start:end]}{_CLOSE}{text[end:]}"


def _block_source(block: Block, lookup: Lookup) -> str:
    # Same substitution rule as Document.render, so the edition says what the text build says;
    # a sentence without translation is marked. A translation equal to its source is not a
    # fallback: a translator chose it (a name, a quotation).
    out: list[str] = []
    for part in block.parts:
        if isinstance(part, Segment):
            translated = lookup(part.text)
            if translated is None:
                out.append(_marked(part.raw))
            else:
                out.append(_unmark(part.raw if translated == part.text else translated))
        else:
            out.append(_unmark(part))
    # Neighbouring untranslated sentences make one span.
    return _ADJACENT.sub(r"\1", "".join(out))


_TAG = re.compile(r"(<[^>]*>)")
_MARKS = re.compile(f"([{_OPEN}{_CLOSE}])")


def _lang_spans(html: str, lang: str) -> str:
    """Rendered HTML with the marked text wrapped in `<span lang=…>`.

    Only text between tags is wrapped, so the spans nest correctly whatever inline markup a
    marked sentence opens or closes; marks that ended up in attributes (an image's alt text)
    are dropped. Rendered text never holds a raw `<`: it is escaped.
    """
    if _OPEN not in html:
        return html
    out: list[str] = []
    inside = False
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            out.append(_unmark(piece))
            continue
        for run in _MARKS.split(piece):
            if run in (_OPEN, _CLOSE):
                inside = run == _OPEN
            elif inside and run.strip():
                out.append(f'<span lang="{_e(lang)}">{run}</span>')
            else:
                out.append(run)
    return "".join(out)


def _block_text(block: Block, lookup: Lookup) -> str:
    return _block_source(block, lookup).strip()


def _text_block_html(kind: str, text: str, *, first_title: bool) -> str:
    if kind == "title":
        return f"<h1>{_e(text)}</h1>" if first_title else f"<h2>{_e(text)}</h2>"
    if kind == "heading":
        return f"<h2>{_e(text)}</h2>"
    if kind == "caption":
        match = _CAPTION_CREDIT.match(text)
        if match and match.group("text"):
            inner = (f'{_e(match.group("text"))} '
                     f'<span class="credit">{_e(match.group("credit"))}</span>')
        else:
            inner = _e(text)
        return f"<figure><figcaption>{inner}</figcaption></figure>"
    if kind in ("credit", "byline"):
        return f'<p class="{kind}">{_e(text)}</p>'
    if kind == "code":
        return f"<pre><code>{_e(text)}</code></pre>"
    return f"<p>{_e(text)}</p>"


def _text_body(doc: Document, lookup: Lookup) -> tuple[str, str | None]:
    visible = [(b.kind, _block_text(b, lookup)) for b in doc.blocks if b.kind not in _HIDDEN_KINDS]
    visible = [(kind, text) for kind, text in visible if text]
    title = next((text for kind, text in visible if kind == "title"), None)
    if title is None:
        title = next((text for kind, text in visible if kind == "heading"), None)

    out: list[str] = []
    seen_title = False
    # Consecutive list items form one list and consecutive quote paragraphs one quotation, even
    # with blank blocks between them in the source.
    for kind, group in groupby(visible, key=lambda kt: kt[0]):
        texts = [text for _, text in group]
        if kind == "list item":
            items = "".join(f"<li>{_e(_LIST_MARKER.sub('', t, count=1))}</li>" for t in texts)
            out.append(f"<ul>{items}</ul>")
        elif kind == "quote":
            paras = "".join(f"<p>{_e(_QUOTE_MARKER.sub('', t))}</p>" for t in texts)
            out.append(f"<blockquote>{paras}</blockquote>")
        else:
            for text in texts:
                out.append(_text_block_html(kind, text, first_title=not seen_title))
                seen_title = seen_title or kind == "title"
    return "\n".join(out) + "\n", title


def _allow_link(url: str) -> bool:
    return safe_href(url) is not None


@functools.cache
def _markdown() -> MarkdownIt:
    # html=False: raw HTML in a source or a translation is shown as text, never interpreted.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.add_render_rule("front_matter", lambda *args, **kwargs: "")
    # markdown-it's own validator still admits e.g. data:image/png; only allow what a news
    # article needs. Refused links stay visible as their literal Markdown text.
    md.validateLink = _allow_link  # type: ignore[method-assign]
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
    for line in content.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "title" and value.strip():
            return value.strip().strip("\"'").strip() or None
    return None


_HTML_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)


def _markdown_source(doc: Document, lookup: Lookup) -> str:
    # With raw HTML off, an HTML comment in the source (`<!-- more -->`, editor notes) would be
    # printed as text; it was never visible in the original, so it is left out. Other raw HTML
    # stays, escaped, so no content silently disappears.
    # A blank line stands in for the comment so the blocks around it stay apart.
    out: list[str] = []
    for block in doc.blocks:
        text = _block_source(block, lookup)
        out.append("\n" if block.kind == "html" and _HTML_COMMENT.fullmatch(text) else text)
    return "".join(out)


def _markdown_body(doc: Document, lookup: Lookup) -> tuple[str, str | None]:
    md = _markdown()
    tokens = md.parse(_markdown_source(doc, lookup))
    title: str | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            title = _one_line(_unmark(_inline_text(tokens[i + 1].children or ()))) or None
            if title:
                break
    if title is None:
        title = next((_front_matter_title(t.content) for t in tokens if t.type == "front_matter"),
                     None)
    return md.renderer.render(tokens, md.options, {}), title


def edition_html(doc: Document, lookup: Lookup, *, lang: str, notice: str | None = None,
                 source_lang: str = "de") -> str:
    """The localized article as a standalone HTML page in language `lang`.

    `lookup` maps a segment's msgid to its translation (None keeps the source sentence, marked
    as `source_lang` so that browsers, screen readers and search engines read it as such), as
    for `Document.render`. `notice`, when given, is shown as a banner above the article (the
    build passes one while the article holds machine drafts or untranslated sentences).
    """
    if doc.format == "markdown":
        body, title = _markdown_body(doc, lookup)
    else:
        body, title = _text_body(doc, lookup)
    body = _lang_spans(body, source_lang)
    title = _unmark(title) if title else None
    page_title = _one_line(title) if title else doc.path.stem
    return _page(
        lang=lang,
        title=page_title,
        css=_EDITION_CSS,
        body=f"{_notice_html(notice)}<main>\n<article>\n{body}</article>\n</main>\n",
    )


# ---------------------------------------------------------------------------------------------
# Review sheet


@dataclass(frozen=True)
class ReviewRow:
    line: int
    kind: str
    source: str
    translation: str | None
    status: str  # "reviewed" | "draft" | "fuzzy" | "missing"
    confidence: float | None
    provenance: str | None
    po_line: int | None = None  # where the entry starts in the catalog
    previous_source: str | None = None  # the `#| msgid` of an entry whose source changed
    findings: tuple[Problem, ...] = ()  # what the gate's QA checks report for the entry


_STATUS_LABELS = {
    "reviewed": "reviewed",
    "draft": "machine draft",
    "fuzzy": "fuzzy",
    "missing": "missing",
}

_SHEET_CSS = """
main{max-width:88rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .25rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.75rem 0 .6rem}
.sub{margin:0 0 1rem;color:var(--muted)}
.summary{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;margin:.75rem 0;
padding:.75rem 1rem;background:var(--panel);border-radius:6px}
.summary .total{font-weight:600}
.bar{display:flex;height:.7rem;min-width:8rem;flex:1 1 12rem;border-radius:4px;overflow:hidden;
background:var(--rule)}
.bar span{display:block;height:100%}
.bar .reviewed{background:var(--ok)}.bar .draft{background:#e0a800}
.bar .fuzzy{background:#e8710a}.bar .missing{background:var(--bad)}
.legend{display:flex;gap:.9rem;font-size:.8rem;color:var(--muted);flex-basis:100%}
.legend i{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem;
vertical-align:-.05rem}
.legend .reviewed{background:var(--ok)}.legend .draft{background:#e0a800}
.legend .fuzzy{background:#e8710a}.legend .missing{background:var(--bad)}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;
font-weight:600;white-space:nowrap;border:1px solid transparent}
.badge.reviewed{background:var(--ok-bg);color:var(--ok)}
.badge.fuzzy{background:var(--warn-bg);color:var(--warn)}
.badge.missing{background:var(--bad-bg);color:var(--bad)}
.badge.draft{background:hsl(var(--h,40) 85% 86%);color:hsl(var(--h,40) 80% 22%)}
.badge.other{background:var(--panel);color:var(--muted);border-color:var(--rule)}
.counts .badge{margin-right:.25rem}
@media (max-width:45rem){main{padding:1rem .75rem 3rem}}
"""

_REVIEW_CSS = """
.weak ol{margin:0;padding-left:2rem;max-width:60rem}
.weak li{margin:.15rem 0}
.weak a{display:flex;gap:.6rem;align-items:baseline;text-decoration:none;color:inherit;
padding:.15rem .3rem;border-radius:4px}
.weak a:hover{background:var(--panel)}
.weak a:hover .excerpt{text-decoration:underline}
.weak .badge{flex:none;min-width:9.5rem;text-align:center}
.weak .excerpt{flex:1 1 auto;min-width:0}
.weak .where{flex:none;color:var(--muted);font-size:.85rem;white-space:nowrap}
.scale{display:inline-flex;align-items:center;gap:.4rem;font-size:.8rem;color:var(--muted)}
.scale i{display:inline-block;width:7rem;height:.6rem;border-radius:3px;
background:linear-gradient(90deg,hsl(0 85% 60%),hsl(40 85% 60%),hsl(95 70% 50%))}
.toggle{display:inline-flex;gap:.4rem;align-items:center;margin:.5rem 0;font-size:.9rem;
cursor:pointer}
#only-open:checked~table tr.st-reviewed:not([data-findings]){display:none}
table.sheet{width:100%;border-collapse:collapse;table-layout:fixed;font-size:.95rem}
.sheet th,.sheet td{padding:.5rem .6rem;border-bottom:1px solid var(--rule);vertical-align:top;
text-align:left}
.sheet thead th{position:sticky;top:0;background:var(--bg);border-bottom:2px solid var(--rule);
font-size:.85rem;z-index:1}
.sheet col.where{width:14rem}.sheet col.status{width:15rem}
.sheet td.src,.sheet td.tgt{white-space:pre-wrap;overflow-wrap:break-word}
.sheet td.where{font-size:.8rem;color:var(--muted)}
.sheet td.where .nb{white-space:nowrap}
.sheet td.where a{color:inherit}
.sheet td.where .kind,.sheet td.where .po{display:block}
.sheet tr{border-left:4px solid transparent}
.sheet tr.st-draft{border-left-color:hsl(var(--h,40) 85% 55%)}
.sheet tr.st-fuzzy{border-left-color:#e8710a}
.sheet tr.st-missing{border-left-color:var(--bad)}
.sheet tr:target{background:var(--note-bg)}
.sheet tr:target td{scroll-margin-top:3rem}
.sheet td.tgt .none{font-style:italic;color:var(--bad)}
.meter{display:block;height:.3rem;margin-top:.35rem;border-radius:2px;background:var(--rule);
overflow:hidden;max-width:7rem}
.meter span{display:block;height:100%;background:hsl(var(--h,40) 85% 50%)}
.prov{display:block;margin-top:.3rem;font-size:.75rem;color:var(--muted);overflow-wrap:anywhere}
tr{scroll-margin-top:3rem}
.badge.error{background:var(--bad-bg);color:var(--bad)}
.badge.warning{background:var(--warn-bg);color:var(--warn)}
.findings{list-style:none;margin:.45rem 0 0;padding:0;font-size:.8rem;line-height:1.4}
.findings li{margin:.3rem 0;padding:.2rem .45rem;border-left:3px solid;border-radius:2px;
overflow-wrap:anywhere}
.findings li.error{border-color:var(--bad);background:var(--bad-bg)}
.findings li.warning{border-color:var(--warn);background:var(--warn-bg)}
.findings .sev{font-weight:700}
.findings .error .sev{color:var(--bad)}.findings .warning .sev{color:var(--warn)}
.changed{display:block;margin-top:.45rem;font-size:.85rem;white-space:normal}
.changed .what{color:var(--muted);margin-right:.3rem}
.changed del{background:var(--bad-bg);color:var(--fg);text-decoration-thickness:2px}
.changed ins{background:var(--ok-bg);color:var(--fg);text-decoration-thickness:2px}
.sub code{overflow-wrap:anywhere}
/* A phone: each segment becomes a card (where, source, translation, status stacked at the
   full width) instead of four columns of which two fixed ones fill the screen. */
@media (max-width:45rem){
table.sheet,.sheet tbody,.sheet tr,.sheet td{display:block;width:auto}
.sheet colgroup{display:none}
.sheet thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.sheet tr{padding:.35rem 0;border-bottom:1px solid var(--rule)}
.sheet td{padding:.25rem .6rem;border-bottom:0}
.sheet td.src::before,.sheet td.tgt::before{content:attr(data-label);display:block;
font-size:.75rem;font-weight:600;color:var(--muted)}
.sheet td.where .po,.sheet td.where .kind{display:inline;margin-left:.6rem}
.weak ol{padding-left:1.5rem}
.weak a{flex-wrap:wrap;gap:.2rem .6rem}
.weak .badge{min-width:0}
}
"""


def _hue(confidence: float | None) -> int:
    # Red (0) for the weakest draft up to yellow-green (95): deliberately never the reviewed green.
    if confidence is None:
        return 40
    return round(max(0.0, min(1.0, confidence)) * 95)


def _confidence_text(confidence: float | None) -> str:
    return "?" if confidence is None else f"{confidence:.2f}"


def _badge(status: str, confidence: float | None) -> str:
    label = _STATUS_LABELS.get(status, status)
    if status == "draft":
        return (f'<span class="badge draft" style="--h:{_hue(confidence)}">'
                f"{_e(label)} {_e(_confidence_text(confidence))}</span>")
    cls = status if status in _STATUS_LABELS else "other"
    return f'<span class="badge {cls}">{_e(label)}</span>'


def _bar(counts: dict[str, int], total: int) -> str:
    if total <= 0:
        return '<span class="bar" role="img" aria-label="nothing to translate"></span>'
    spans = "".join(
        f'<span class="{key}" style="width:{100 * n / total:.2f}%" '
        f'title="{n} {_e(_STATUS_LABELS[key])}"></span>'
        for key, n in counts.items() if n > 0
    )
    label = f"{counts.get('reviewed', 0)} of {total} reviewed"
    return f'<span class="bar" role="img" aria-label="{label}">{spans}</span>'


def _legend() -> str:
    keys = "".join(f'<span><i class="{key}"></i>{_e(label)}</span>'
                   for key, label in _STATUS_LABELS.items())
    return f'<span class="legend" aria-hidden="true">{keys}</span>'


def _location(path: str, line: int) -> str:
    """`path:line`, breaking only after a slash: "file.txt:12" is what gets searched for."""
    head_dir, slash, base = path.rpartition("/")
    return ((f"{_e(head_dir)}{slash}<wbr>" if slash else "")
            + f'<span class="nb">{_e(base)}:{line}</span>')


def _findings(findings: Sequence[Problem]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="{"error" if f.severity == "error" else "warning"}">'
        f'<span class="sev">{_e(f.severity)}</span> <code>{_e(f.check)}</code>: '
        f"{_e(f.message)}</li>"
        for f in findings)
    return f'<ul class="findings" aria-label="QA findings">{items}</ul>'


def _word_diff(old: str, new: str) -> str:
    """Old source against new, word by word: what a reviewer needs to re-check."""
    a, b = old.split(), new.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_e(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f'<del><span class="sr-only" lang="en">removed: </span>'
                       f'{_e(" ".join(a[i1:i2]))}</del>')
        if j2 > j1:
            out.append(f'<ins><span class="sr-only" lang="en">added: </span>'
                       f'{_e(" ".join(b[j1:j2]))}</ins>')
    return " ".join(out)


def _excerpt(text: str, limit: int = 90) -> str:
    flat = _one_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def review_html(
    *,
    title: str,
    article: str,
    rows: Sequence[ReviewRow],
    source_lang: str,
    lang: str,
    edition_href: str | None,
    weakest: int = 10,
    catalog: str | None = None,
    title_lang: str | None = None,
) -> str:
    """A bilingual review sheet: one table row per segment, in the order given (article order).

    `article` names the source file as the PO references do, so each row's `article:line`
    can be searched for in the translator's PO editor; `catalog` names the PO file, so that a
    row with a `po_line` also cites `catalog:line` (for `$EDITOR +line` or a CI log). Each row
    shows its QA findings and, when its source changed, the old source against the new one.
    The `weakest` lowest-confidence machine drafts are listed at the top, linking to their
    rows. `title_lang` is the language of `title` when it is not the sheet's English.
    """
    counts = {key: sum(1 for r in rows if r.status == key) for key in _STATUS_LABELS}
    total = len(rows)
    pct = f"{100 * counts['reviewed'] / total:.0f}% reviewed" if total else "nothing to translate"

    shown_title = f'<span lang="{_e(title_lang)}">{_e(title)}</span>' if title_lang \
        else _e(title)
    files = f"<code>{_e(article)}</code>" + (f" · <code>{_e(catalog)}</code>" if catalog else "")
    head: list[str] = [
        f"<h1>Review: {shown_title}</h1>",
        f'<p class="sub">{files} · {_e(source_lang)} → {_e(lang)}',
    ]
    href = safe_href(edition_href) if edition_href is not None else None
    if href is not None:
        head.append(f' · <a class="edition" href="{_e(href)}">Open the edition</a>')
    head.append("</p>")

    summary = "".join(
        f'<span class="badge {key}">{n} {_e(_STATUS_LABELS[key])}</span>'
        for key, n in counts.items()
    )
    for severity in ("error", "warning"):
        found = sum(f.severity == severity for r in rows for f in r.findings)
        if found:
            summary += (f'<span class="badge {severity}">{found} QA {severity}'
                        f'{"s" if found > 1 else ""}</span>')
    head.append(
        f'<div class="summary"><span class="total">{total} segments · {pct}</span>'
        f'{_bar(counts, total)}<span class="counts">{summary}</span></div>'
    )

    # Weakest first; drafts whose engine gave no score are unknown rather than weak, so last.
    drafts = sorted(
        (i for i, r in enumerate(rows) if r.status == "draft"),
        key=lambda i: (rows[i].confidence is None, rows[i].confidence or 0.0, i),
    )
    weak: list[str] = ['<section class="weak" id="weakest"><h2>Weakest drafts</h2>']
    if drafts:
        shown = drafts[: max(weakest, 0)]
        weak.append('<p class="scale">Confidence <span>low</span><i></i><span>high</span></p>')
        weak.append("<ol>")
        for i in shown:
            r = rows[i]
            weak.append(
                f'<li><a href="#row-{i + 1}">{_badge("draft", r.confidence)} '
                f'<span class="excerpt" lang="{_e(source_lang)}">{_e(_excerpt(r.source))}</span> '
                f'<span class="where">{_e(article)}:{r.line}</span></a></li>'
            )
        weak.append("</ol>")
        if len(drafts) > len(shown):
            weak.append(f'<p class="muted">{len(drafts) - len(shown)} more machine drafts in '
                        "the table below.</p>")
    else:
        weak.append('<p class="muted">No machine drafts left to review.</p>')
    weak.append("</section>")

    table: list[str] = [
        '<section id="segments"><h2>Segments</h2>',
        '<input type="checkbox" id="only-open">',
        '<label class="toggle" for="only-open">Hide reviewed rows without QA findings</label>',
        '<table class="sheet">',
        '<colgroup><col class="where"><col class="src"><col class="tgt"><col class="status">'
        "</colgroup>",
        f'<thead><tr><th scope="col">Where</th><th scope="col">Source ({_e(source_lang)})</th>'
        f'<th scope="col">Translation ({_e(lang)})</th><th scope="col">Status</th></tr></thead>',
        "<tbody>",
    ]
    src_label = f"Source ({_e(source_lang)})"
    tgt_label = f"Translation ({_e(lang)})"
    for i, r in enumerate(rows, start=1):
        status_cls = r.status if r.status in _STATUS_LABELS else "other"
        style = f' style="--h:{_hue(r.confidence)}"' if r.status == "draft" else ""
        flagged = f' data-findings="{len(r.findings)}"' if r.findings else ""
        if r.translation is None or r.translation == "":
            tgt = '<span class="none">no translation</span>'
        else:
            tgt = _e(r.translation)
        src = _e(r.source)
        if r.previous_source is not None and r.previous_source != r.source:
            src += (f'<span class="changed"><span class="what" lang="en">Source changed:</span>'
                    f"{_word_diff(r.previous_source, r.source)}</span>")
        status = _badge(r.status, r.confidence)
        if r.status == "draft" and r.confidence is not None:
            width = max(0.0, min(1.0, r.confidence)) * 100
            status += f'<span class="meter"><span style="width:{width:.0f}%"></span></span>'
        if r.provenance:
            status += f'<span class="prov">{_e(r.provenance)}</span>'
        status += _findings(r.findings)
        po = (f'<span class="po">{_location(catalog, r.po_line)}</span>'
              if catalog and r.po_line else "")
        table.append(
            f'<tr id="row-{i}" class="st-{status_cls}"{style}{flagged}>'
            f'<td class="where"><a href="#row-{i}">{_location(article, r.line)}</a>{po}'
            f'<span class="kind">{_e(r.kind)}</span></td>'
            f'<td class="src" lang="{_e(source_lang)}" data-label="{src_label}">{src}</td>'
            f'<td class="tgt" lang="{_e(lang)}" data-label="{tgt_label}">{tgt}</td>'
            f'<td class="status">{status}</td></tr>'
        )
    table.append("</tbody></table></section>")

    body = "<main>\n" + "\n".join([*head, *weak, *table]) + "\n</main>\n"
    # The sheet's own words (headings, labels) are English UI; the cells carry their languages.
    return _page(lang="en", title=f"Review: {_one_line(title)} ({lang})",
                 css=_SHEET_CSS + _REVIEW_CSS, body=body)


# ---------------------------------------------------------------------------------------------
# Index


@dataclass(frozen=True)
class IndexRow:
    name: str
    title: str
    total: int
    reviewed: int
    drafts: int
    fuzzy: int
    missing: int
    edition_href: str | None
    review_href: str | None
    note: str | None
    title_lang: str | None = None  # when the title is not in the page's language (untranslated)


_INDEX_CSS = """
table.index{width:100%;border-collapse:collapse;font-size:.95rem}
.index th,.index td{padding:.6rem .6rem;border-bottom:1px solid var(--rule);text-align:left;
vertical-align:top}
.index thead th{font-size:.85rem;border-bottom:2px solid var(--rule)}
.index td.title{overflow-wrap:anywhere}
.index td.title a{font-weight:600}
.index td.title .name{display:block;font-size:.8rem;color:var(--muted)}
.index td.progress{width:18rem}
.index td.progress .bar{display:flex;margin:.3rem 0 .25rem}
.index td.progress .nums{font-size:.8rem;color:var(--muted)}
.index td.links a{margin-right:.75rem;white-space:nowrap}
.index .note{display:block;font-size:.85rem;color:var(--muted);margin-top:.2rem}
.index tfoot td{font-weight:600;border-bottom:0}
.state{font-size:.8rem}
/* A phone: one card per article rather than four columns wider than the screen. */
@media (max-width:45rem){
table.index,.index tbody,.index tfoot,.index tr,.index td{display:block;width:auto}
.index thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.index tr{padding:.4rem 0;border-bottom:1px solid var(--rule)}
.index td,.index td.progress{width:auto;padding:.2rem .6rem;border-bottom:0}
}
"""


def _index_state(row: IndexRow) -> tuple[str, str]:
    """(css class, label) for an article's overall translation state."""
    if row.edition_href is None and row.note:
        return "other", "skipped"
    if row.total == 0:
        return "other", "nothing to translate"
    if row.missing:
        return "missing", "incomplete"
    if row.drafts or row.fuzzy:
        return "fuzzy", "needs review"
    return "reviewed", "complete"


def index_html(*, lang: str, rows: Sequence[IndexRow]) -> str:
    """One page per target language: every article, how far its translation is, and links."""
    body: list[str] = [
        "<main>",
        f"<h1>Translations: {_e(lang)}</h1>",
    ]
    total = sum(r.total for r in rows)
    sums = {
        "reviewed": sum(r.reviewed for r in rows),
        "draft": sum(r.drafts for r in rows),
        "fuzzy": sum(r.fuzzy for r in rows),
        "missing": sum(r.missing for r in rows),
    }
    complete = sum(1 for r in rows if _index_state(r)[1] == "complete")
    pct = f"{100 * sums['reviewed'] / total:.0f}% reviewed" if total else "nothing to translate"
    body.append(
        f'<div class="summary"><span class="total">{len(rows)} articles · {complete} complete · '
        f"{total} segments · {pct}</span>{_bar(sums, total)}{_legend()}</div>"
    )
    if not rows:
        body.append('<p class="muted">No articles.</p>')
    else:
        body.append('<table class="index">')
        body.append('<thead><tr><th scope="col">Article</th><th scope="col">Status</th>'
                    '<th scope="col">Progress</th><th scope="col">Pages</th></tr></thead>')
        body.append("<tbody>")
        for r in rows:
            edition = safe_href(r.edition_href) if r.edition_href is not None else None
            review = safe_href(r.review_href) if r.review_href is not None else None
            shown_title = _e(r.title or r.name)
            title_lang = _e(r.title_lang or lang)
            title_html = (f'<a lang="{title_lang}" href="{_e(edition)}">{shown_title}</a>'
                          if edition is not None
                          else f'<strong lang="{title_lang}">{shown_title}</strong>')
            cls, label = _index_state(r)
            counts = {"reviewed": r.reviewed, "draft": r.drafts, "fuzzy": r.fuzzy,
                      "missing": r.missing}
            nums = " · ".join(
                [f"{r.reviewed}/{r.total} reviewed"]
                + [f"{n} {what}" for n, what in ((r.drafts, "drafts"), (r.fuzzy, "fuzzy"),
                                                 (r.missing, "missing")) if n]
            )
            links: list[str] = []
            if edition is not None:
                links.append(f'<a class="edition" href="{_e(edition)}">Edition</a>')
            if review is not None:
                links.append(f'<a class="review" href="{_e(review)}">Review sheet</a>')
            note = f'<span class="note">{_e(r.note)}</span>' if r.note else ""
            body.append(
                f'<tr class="st-{cls}"><td class="title">{title_html}'
                f'<span class="name">{_e(r.name)}</span></td>'
                f'<td class="state"><span class="badge {cls}">{_e(label)}</span>{note}</td>'
                f'<td class="progress">{_bar(counts, r.total)}<span class="nums">{nums}</span></td>'
                f'<td class="links">{"".join(links) or "—"}</td></tr>'
            )
        body.append("</tbody></table>")
    body.append("</main>")
    return _page(lang="en", title=f"Translations: {lang}", css=_SHEET_CSS + _INDEX_CSS,
                 body="\n".join(body) + "\n")
