"""Readers turn an article file into a `Document`; the suffix picks the reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from l10n.document import Document
from l10n.errors import BadInputError
from l10n.readers.markdown import read_markdown
from l10n.readers.text import read_text

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
    return reader(source, path)


def read_document(file: Path, *, shown_as: Path | None = None) -> Document:
    """Read and parse an article. `shown_as` is the path used in references and messages."""
    shown = shown_as or file
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read article: {exc.strerror}", path=shown) from exc
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=shown, line=line,
            hint="convert it first, e.g. `iconv -f latin1 -t utf-8`") from exc
    doc = parse(source, shown)
    if not any(True for _ in doc.segments()):
        raise BadInputError("article has no text to translate", path=shown,
                            hint="remove the empty file from the corpus")
    return doc
