"""whitespace and end-punctuation: how a sentence starts and ends."""

from __future__ import annotations

from l10n.checks.registry import WARNING, CheckContext, register


def _edges(text: str) -> tuple[str, str]:
    body = text.strip()
    if not body:
        return text, ""
    start = text.index(body)
    return text[:start], text[start + len(body):]


@register("whitespace", WARNING)
def check_whitespace(source: str, target: str, ctx: CheckContext) -> str | None:
    """Leading or trailing whitespace differs, or double spaces were added."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(source), _edges(target)
    issues = []
    if src_lead != tgt_lead:
        issues.append(f"leading whitespace {src_lead!r} in the source, {tgt_lead!r} in the "
                      "translation")
    if src_trail != tgt_trail:
        issues.append(f"trailing whitespace {src_trail!r} in the source, {tgt_trail!r} in the "
                      "translation")
    if "  " in target.strip() and "  " not in source.strip():
        issues.append("double space in the translation")
    return "; ".join(issues) or None


_END_PUNCTUATION = ".!?:;…"
_CLOSERS = "\"'“”‘’»«›‹)]}*_` \t\n"


def _end_mark(text: str) -> str:
    """The sentence-final punctuation, looking through closing quotes, brackets, emphasis."""
    body = text.rstrip(_CLOSERS)
    if body.endswith("..."):
        return "…"
    return body[-1] if body and body[-1] in _END_PUNCTUATION else ""


@register("end-punctuation", WARNING)
def check_end_punctuation(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation ends with different punctuation than the source."""
    src, tgt = _end_mark(source), _end_mark(target)
    if src == tgt:
        return None
    describe = {"": "no end punctuation"}
    return (f"source ends with {describe.get(src, repr(src))}, translation with "
            f"{describe.get(tgt, repr(tgt))}")
