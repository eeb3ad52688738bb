"""Readers turn an article file into a `Document`; the suffix picks the reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from l10n.document import Block, Document
from l10n.errors import BadInputError
from l10n.fsutil import read_utf8
from l10n.readers.markdown import read_markdown
from l10n.readers.text import read_text

BOM = "\ufeff"
READERS: dict[str, Callable[[str, Path], Document]] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}


def is_article(path: Path) -> bool:
    return path.suffix.lower() in READERS and not path.name.startswith(".")


def parse(source: str, path: Path) -> Document:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BadInputError(f"unsupported article type {path.suffix!r}", path=path,
                            hint=f"use one of: {', '.join(sorted(READERS))}")
    if source.startswith(BOM):
        # A byte-order mark is file encoding, not text: keep it verbatim, out of any msgid.
        doc = reader(source[1:], path)
        return Document(path, doc.format, (Block("blank", 1, (BOM,)), *doc.blocks))
    return reader(source, path)


def read_document(file: Path, *, shown_as: Path | None = None) -> Document:
    """Read and parse an article. `shown_as` is the path used in references and messages."""
    shown = shown_as or file
    source = read_utf8(file, what="article", shown=shown)
    doc = parse(source, shown)
    if not any(True for _ in doc.segments()):
        raise BadInputError("article has no text to translate", path=shown,
                            hint="remove the empty file from the corpus")
    return doc
