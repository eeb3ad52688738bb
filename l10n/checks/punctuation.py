"""quotes and brackets: the pairs a translation must keep."""

from __future__ import annotations

import re

from l10n.checks.prose import plain
from l10n.checks.registry import ERROR, CheckContext, register

_FOREIGN_QUOTES = {"en": "„‚»«›‹"}


def _double_quote_imbalance(text: str) -> int:
    """How many double quotation marks of `text` have no partner.

    German opens with „ and closes with “ (or ”); English opens with “ and closes with ”;
    guillemets pair » with « either way round; straight quotes pair with each other. A
    segment may legitimately close a quotation opened in an earlier paragraph, so only the
    count of unpaired marks is compared, not their direction.
    """
    text = plain(text)
    low = text.count("„")
    if low:
        curly = abs(low - text.count("“") - text.count("”"))
    else:
        curly = abs(text.count("“") - text.count("”"))
    guillemets = abs(text.count("»") - text.count("«"))
    return curly + guillemets + text.count('"') % 2


@register("quotes", ERROR)
def check_quotes(source: str, target: str, ctx: CheckContext) -> str | None:
    """Quotation marks are left unclosed, or use the source language's style.

    Adding or dropping a pair is house style (British single quotes, titles without
    quotes), so the check compares unpaired marks: a translation with more of them than its
    source has lost a closing (or opening) quote.
    """
    issues = []
    src, tgt = _double_quote_imbalance(source), _double_quote_imbalance(target)
    if tgt > src:
        issues.append(f"{tgt} unpaired double quotation mark(s) in the translation, {src} in "
                      "the source")
    foreign = sorted({q for q in _FOREIGN_QUOTES.get(ctx.target_lang, "") if q in plain(target)})
    if foreign:
        issues.append(f"quotation marks {' '.join(foreign)} are not {ctx.target_lang} style")
    return "; ".join(issues) or None


_BRACKET_PAIRS = ("()", "[]", "{}")
_ANY_BRACKET = re.compile(r"[][(){}]")


def _balanced(text: str) -> bool:
    if _ANY_BRACKET.search(text) is None:
        return True  # most sentences; the loop below is a Python step per character
    stack: list[str] = []
    closers = {pair[1]: pair[0] for pair in _BRACKET_PAIRS}
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in closers and (not stack or stack.pop() != closers[ch]):
            return False
    return not stack


# Square brackets and braces carry structure (credits, bylines, editorial insertions,
# placeholders) and must be kept; round ones are prose that translators may rewrite.
_STRUCTURAL_BRACKETS = "[]{}"


@register("brackets", ERROR)
def check_brackets(source: str, target: str, ctx: CheckContext) -> str | None:
    """Brackets are left unclosed, or square brackets and braces are not kept.

    Round brackets may come and go: "Poole (Dorset)" → "Poole, Dorset", a translator's
    gloss "Securities and Exchange Commission (SEC)".
    """
    diffs = [f"{ch} {source.count(ch)}→{target.count(ch)}" for ch in _STRUCTURAL_BRACKETS
             if source.count(ch) != target.count(ch)]
    if diffs:
        return "brackets differ (source→translation): " + ", ".join(diffs)
    if _balanced(source) and not _balanced(target):
        return "brackets are unbalanced in the translation"
    return None
