"""The central model: a document is blocks of literal text and translatable segments.

Concatenating every part of every block gives back the source file byte for byte; that is
what makes an identity build lossless. A segment keeps both its exact source bytes (`raw`,
which may span lines and container markers such as `> `) and its normalized text (`text`,
the msgid).

A segment whose translation cannot stand in the file as it is (a YAML scalar in front
matter, an HTML attribute value) carries an `encode`: the function that turns a
translation into the text written in place of `raw`. `text` is then the decoded value, as
a reader of the file sees it, and `raw` its exact spelling in the source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Segment:
    text: str  # normalized sentence: the msgid
    raw: str  # exact source bytes of the sentence
    line: int  # 1-based line where the sentence starts
    # Translation -> the text written in place of `raw` (quoting, escaping); None: as is.
    # A module-level function, so that documents compare equal and can be pickled.
    encode: Callable[[str], str] | None = None

    def written(self, translation: str) -> str:
        """What stands in the file for `translation`: the source bytes when it equals the
        msgid (so an identity build is exact whatever the spelling), else the translation,
        encoded for its place."""
        if translation == self.text:
            return self.raw
        return self.encode(translation) if self.encode else translation


Part = str | Segment


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # title, heading, paragraph, caption, list item, quote, byline, code, blank…
    line: int  # 1-based line where the block starts
    parts: tuple[Part, ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(p for p in self.parts if isinstance(p, Segment))

    @property
    def translatable(self) -> bool:
        return any(isinstance(p, Segment) for p in self.parts)

    def render(self, lookup: Lookup, *, kept: Callable[[str], str] | None = None) -> str:
        """Text of the block with each segment replaced by its translation, if any.

        A segment without a translation keeps its source bytes, passed through `kept` when
        given (the HTML edition marks them as the source language); a segment with an
        `encode` passes its text through `kept` and that is encoded. A translation equal to
        its source is not a fallback: a translator chose it (a name, a quotation).
        """
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            done = lookup(part.text)
            if done is None and kept and part.encode:
                out.append(part.written(kept(part.text)))  # what `kept` adds, encoded too
            elif done is None:
                out.append(kept(part.raw) if kept else part.raw)
            else:
                out.append(part.written(done))
        return "".join(out)


# A lookup returns the translation of a segment's text, or None to keep the source.
Lookup = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Document:
    path: Path  # as given, relative to the project where possible
    format: str  # "text", "markdown" or "html"
    blocks: tuple[Block, ...]

    def segments(self) -> Iterator[tuple[Block, Segment]]:
        for block in self.blocks:
            for seg in block.segments:
                yield block, seg

    @property
    def source(self) -> str:
        return "".join(p if isinstance(p, str) else p.raw for b in self.blocks for p in b.parts)

    def render(self, lookup: Lookup) -> str:
        """Text of the document with each segment replaced by its translation, if any."""
        return "".join(block.render(lookup) for block in self.blocks)
