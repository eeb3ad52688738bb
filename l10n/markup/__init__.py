"""Markup-safe machine translation: the engine sees plain sentences, drafts keep the markup.

`inline.parse` takes a msgid's inline markup out (Markdown emphasis, code, links, images,
inline HTML; HTML elements and entities); the engine translates the plain text with word
alignment (`align`); `place` puts the markup back around the aligned target words. `restore`
does the last step for a batch, judging first how far the engine's attention aligns words.
"""

from __future__ import annotations

from collections.abc import Sequence

from l10n.markup.align import Matrix, trust
from l10n.markup.inline import Marked, Syntax, parse
from l10n.markup.place import Placed, aligned, place

__all__ = ["Marked", "Placed", "Syntax", "parse", "place", "restore"]


def restore(items: Sequence[tuple[Marked, str, Matrix | None]]) -> list[Placed]:
    """Each (msgid taken apart, its translation, the engine's attention) put back together.
    The attention of the whole batch is judged at once: one sentence says too little."""
    alignments = [aligned(marked, text, attention) if marked.marks else None
                  for marked, text, attention in items]
    judged = trust([a for a in alignments if a is not None and a.attention is not None])
    for alignment in alignments:
        if alignment is not None:
            alignment.trusted = judged
    return [place(marked, text, attention, alignment=alignment)
            for (marked, text, attention), alignment in zip(items, alignments, strict=True)]
