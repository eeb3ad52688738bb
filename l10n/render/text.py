"""The `source` edition: the article in its own format (text or Markdown), translated."""

from __future__ import annotations

from l10n.document import Document, Lookup


def edition_text(doc: Document, lookup: Lookup, *, notice: str | None = None) -> str:
    """The document with each segment translated (`Document.render`), and `notice`, when
    given, as its first paragraph: a quotation in bold in Markdown, in brackets in text."""
    text = doc.render(lookup)
    if not notice:
        return text
    # The notice goes first, but a byte-order mark and front matter must stay the first
    # things in the file.
    blocks = doc.blocks
    head = 0
    if blocks and blocks[0].parts == (_BOM,):
        head, blocks = len(_BOM), blocks[1:]
    if blocks and blocks[0].kind == "front matter":
        head += len(blocks[0].render(lookup))
    return text[:head] + _notice_line(doc, notice) + text[head:]


_BOM = "\ufeff"


def _notice_line(doc: Document, notice: str) -> str:
    newline = "\r\n" if "\r\n" in doc.source else "\n"
    if doc.format == "markdown":
        return f"> **{notice}**{newline}{newline}"
    return f"[{notice}]{newline}{newline}"
