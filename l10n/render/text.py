"""The `source` edition: the article in its own format (text or Markdown), translated."""

from __future__ import annotations

from l10n.document import Document, Lookup


def edition_text(doc: Document, lookup: Lookup, *, notice: str | None = None) -> str:
    """The document with each segment translated (`Document.render`), and `notice`, when
    given, as its first paragraph: a quotation in bold in Markdown, in brackets in text."""
    text = doc.render(lookup)
    if not notice:
        return text
    # The notice goes first, but front matter must stay the first thing in the file.
    first = doc.blocks[0]
    head = first.parts[0] if first.kind == "front matter" and first.parts else ""
    assert isinstance(head, str)
    return head + _notice_line(doc, notice) + text[len(head):]


def _notice_line(doc: Document, notice: str) -> str:
    newline = "\r\n" if "\r\n" in doc.source else "\n"
    if doc.format == "markdown":
        return f"> **{notice}**{newline}{newline}"
    return f"[{notice}]{newline}{newline}"
