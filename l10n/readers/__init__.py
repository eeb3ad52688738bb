"""Readers turn an article file into a `Document`; the suffix picks the reader."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from l10n.errors import BadInputError
from l10n.fsutil import read_utf8
from l10n.readers.settings import DEFAULT, ReadSettings

# The readers, and the document model they build, are imported when an article is read:
# the HTML reader (its tokenizer, html.parser, front matter, YAML scalars) and the Markdown
# one cost milliseconds that `check` and `stats`, which need only the suffixes here (a
# project's articles), should not pay, nor a corpus of text articles.
if TYPE_CHECKING:
    from l10n.document import Document, Part

    # A reader is called as reader(source, path, settings); one that has no settings to
    # heed takes and ignores them.
    Reader = Callable[[str, Path, ReadSettings], Document]

BOM = "\ufeff"


def _imported(module: str) -> Reader:
    """The reader `read_<name>` of `l10n.readers.<name>`, imported when first called."""
    def read(source: str, path: Path, settings: ReadSettings) -> Document:
        reader: Reader = getattr(import_module(f"l10n.readers.{module}"), f"read_{module}")
        return reader(source, path, settings)

    return read


READERS: dict[str, Reader] = {
    ".txt": _imported("text"),
    ".html": _imported("html"),
    ".htm": _imported("html"),
    ".md": _imported("markdown"),
    ".markdown": _imported("markdown"),
}


# The inline markup an article's sentences hold, by suffix (see l10n.markup).
_MARKUP = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def markup_of(article: str) -> Literal["markdown", "html"] | None:
    """The inline markup of the sentences of `article` (a path), None for plain text."""
    return _MARKUP.get(posixpath.splitext(article)[1].lower())  # type: ignore[return-value]


def is_article(path: Path) -> bool:
    return path.suffix.lower() in READERS and not path.name.startswith(".")


# A carriage return that does not start a CRLF: a line end of old Mac files.
_BARE_CR = re.compile(r"\r(?!\n)")


def parse(source: str, path: Path, settings: ReadSettings = DEFAULT) -> Document:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise BadInputError(f"unsupported article type {path.suffix!r}", path=path,
                            hint=f"use one of: {', '.join(sorted(READERS))}")
    _refuse_nul(source, path)
    if _BARE_CR.search(source):
        # The readers know LF and CRLF. A bare CR becomes LF for them, character for
        # character, and the parts get the original text back: the edition keeps the CRs.
        return _with_text_of(source, parse(_BARE_CR.sub("\n", source), path, settings))
    if source.startswith(BOM):
        from l10n.document import Block, Document

        # A byte-order mark is file encoding, not text: keep it verbatim, out of any msgid.
        doc = reader(source[1:], path, settings)
        return Document(path, doc.format, (Block("blank", 1, (BOM,)), *doc.blocks))
    return reader(source, path, settings)


def _refuse_nul(source: str, path: Path) -> None:
    """A NUL byte cannot go into a PO file (gettext tools cut the string there)."""
    at = source.find("\x00")
    if at < 0:
        return
    line_start = max(source.rfind("\n", 0, at), source.rfind("\r", 0, at)) + 1
    line = len(_LINE_END.findall(source, 0, at)) + 1
    raise BadInputError(f"article holds a NUL byte (column {at - line_start + 1})",
                        path=path, line=line,
                        hint="remove it, e.g. `tr -d '\\000' < in > out`; a NUL byte is "
                        "usually a sign of a binary or UTF-16 file")


_LINE_END = re.compile(r"\r\n|\r|\n")


def _with_text_of(source: str, doc: Document) -> Document:
    """`doc` with every part's text taken from `source` at the same offsets (same length)."""
    from l10n.document import Document

    offset = 0

    def original(part: Part) -> Part:
        nonlocal offset
        raw = part if isinstance(part, str) else part.raw
        text = source[offset:offset + len(raw)]
        offset += len(raw)
        return text if isinstance(part, str) else replace(part, raw=text)

    blocks = tuple(replace(block, parts=tuple(original(p) for p in block.parts))
                   for block in doc.blocks)
    return Document(doc.path, doc.format, blocks)


def read_document(file: Path, *, shown_as: Path | None = None, data: bytes | None = None,
                  settings: ReadSettings = DEFAULT) -> Document:
    """Read and parse an article (`data`: its bytes, already read). `shown_as` is the path
    used in references and messages; `settings` are the project's (`Project.reading`)."""
    shown = shown_as or file
    source = read_utf8(file, what="article", shown=shown, data=data)
    doc = parse(source, shown, settings)
    if not any(True for _ in doc.segments()):
        raise BadInputError("article has no text to translate", path=shown,
                            hint="remove the empty file from the corpus")
    return doc
