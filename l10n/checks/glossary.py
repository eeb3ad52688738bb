"""glossary: the project's terms translated as the glossary says."""

from __future__ import annotations

from l10n.checks.prose import plain
from l10n.checks.registry import ERROR, CheckContext, register
from l10n.glossary import GlossaryEntry


@register("glossary", ERROR)
def check_glossary(source: str, target: str, ctx: CheckContext) -> str | None:
    """A glossary term in the source is not translated as the glossary says."""
    if ctx.glossary is None:
        return None
    # Link targets and URLs are not prose: a term in a link is the markup check's business.
    return "; ".join(_glossary_message(*found) for found in
                     ctx.glossary.undercounted(plain(source), plain(target))) or None


def _glossary_message(entry: GlossaryEntry, wanted: int, got: int) -> str:
    message = f"{entry.source!r} should be translated as " + " or ".join(map(repr, entry.targets))
    if got:
        message += f" ({wanted} times in the source, {got} in the translation)"
    return message
