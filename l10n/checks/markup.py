"""markup: Markdown emphasis, code spans, HTML elements, links and URLs kept."""

from __future__ import annotations

import re
from collections import Counter

from l10n.checks.html_elements import TAG, elements
from l10n.checks.prose import (
    AUTOLINK,
    BARE_URL,
    CODE_SPAN,
    EMAIL_AUTOLINK,
    LINK,
    REF_LINK,
)
from l10n.checks.registry import ERROR, CheckContext, register
from l10n.markup.inline import parse

_MARKUP_HINT = re.compile(r"[*_~`\[<]|://|www\.")


def _emphasis_markers(text: str) -> Counter[str]:
    """Emphasis and strong emphasis by delimiter ("*", "**", "_", "__"), read as CommonMark
    reads them (`l10n.markup.inline`, the parser that puts markup back into drafts)."""
    if "*" not in text and "_" not in text:
        return Counter()
    return Counter(mark.open for mark in parse(text, "markdown").walk()
                   if mark.kind in ("emphasis", "strong"))


def _markup(text: str, syntax: str | None = None
            ) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """The markup of `text` by kind, and its HTML end tags that close nothing open. In an
    HTML article's text only elements and URLs are markup (`*`, `` ` `` and `[a](b)` are
    text)."""
    if syntax == "html":
        html, stray = elements(text) if "<" in text else (Counter(), Counter())
        return {"URL": Counter(BARE_URL.findall(TAG.sub(" ", text))), "HTML": html}, stray
    no_code = CODE_SPAN.sub(" ", text)
    links = LINK.findall(no_code)
    # Link targets are compared whole; the URL pattern must not find them a second time.
    prose = AUTOLINK.sub(" ", LINK.sub(lambda m: m.group(2), no_code))
    html, stray = elements(prose) if "<" in prose else (Counter(), Counter())
    return {
        "code span": Counter(m.group(2) for m in CODE_SPAN.finditer(text)),
        "link target": Counter(f"{bang}({url})" for bang, _, url in links)
        + Counter(f"[{ref}]" for _, ref in REF_LINK.findall(no_code) if ref),
        "URL": Counter(AUTOLINK.findall(no_code) + EMAIL_AUTOLINK.findall(no_code)
                       + BARE_URL.findall(prose)),
        "HTML": html,
        "emphasis": _emphasis_markers(text),
    }, stray


def _markup_diff(kind: str, src: Counter[str], tgt: Counter[str]) -> list[str]:
    if kind == "emphasis":
        return [f"{kind} {item!r}: {src[item]}→{tgt[item]}" for item in sorted(src | tgt)
                if src[item] != tgt[item]]
    issues = [f"{kind} {item} missing" for item in (src - tgt).elements()]
    return issues + [f"{kind} {item} added" for item in (tgt - src).elements()]


@register("markup", ERROR)
def check_markup(source: str, target: str, ctx: CheckContext) -> str | None:
    """Inline markup, code spans, link targets or HTML elements are not preserved."""
    if not (_MARKUP_HINT.search(source) or _MARKUP_HINT.search(target)):
        return None  # the common case: prose without any markup
    (src, src_stray), (tgt, tgt_stray) = _markup(source, ctx.markup), _markup(target, ctx.markup)
    issues = [issue for kind in src for issue in _markup_diff(kind, src[kind], tgt[kind])]
    # The same tags, but an element closed before it is opened (a sentence may hold one
    # end of an element only: what the source has too is fine).
    issues += [f"HTML {end} before its start tag" for end in sorted(tgt_stray - src_stray)
               if src["HTML"][end] == tgt["HTML"][end]]
    return "; ".join(issues) or None
