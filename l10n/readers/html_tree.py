"""The open elements at each token, with HTML's implied end tags: which block owns a text.

A simplified form of the HTML standard's tree construction: a start tag closes what HTML
says it closes (`<p>` before a block, `<li>` before the next item, cells and rows before the
next one), an end tag closes what is open inside its element (within scope), and a
misnested inline end tag (`<b><p>…</b>`) does not end the block around it. That decides
where every translated block starts and ends, which is all the reader needs.
"""

from __future__ import annotations

from l10n.readers.html_elements import (
    BLOCK_KINDS,
    CLOSES_P,
    HEADINGS,
    IMPLIED_BY,
    INLINE,
    SCOPE,
    TABLE_PARTS,
    TABLE_SCOPE,
    VERBATIM,
    VOID,
)
from l10n.readers.html_tokens import END, START, Token


def block_owners(tokens: list[Token]) -> tuple[list[str | None], list[bool]]:
    """For each token, the kind of the innermost open translated element (None outside one or
    inside verbatim content), and whether it lies in verbatim content."""
    stack: list[str] = []
    owners: list[str | None] = []
    verbatim: list[bool] = []
    for token in tokens:
        # A verbatim element's own start tag is not its content: its title is translated.
        enclosed = any(tag in VERBATIM for tag in stack)
        if token.kind == START:
            _open(stack, token)
        elif token.kind == END:
            _close(stack, token.tag)
        # Tags are looked at with the stack as it is after them; a block element's own tags
        # are never inline, so they break runs whatever owner they get.
        verbatim.append(enclosed)
        owner = next((BLOCK_KINDS[tag] for tag in reversed(stack) if tag in BLOCK_KINDS), None)
        inside = enclosed or any(tag in VERBATIM for tag in stack)
        owners.append(None if inside else owner)
    return owners, verbatim


def _open(stack: list[str], token: Token) -> None:
    tag = token.tag
    if stack and stack[-1] == "title" and tag not in INLINE:
        stack.pop()  # an unclosed title ends where the page's structure goes on
    if tag in CLOSES_P:
        _pop_to(stack, frozenset({"p"}), SCOPE | {"button"})
    if tag in IMPLIED_BY:
        closes, boundary = IMPLIED_BY[tag]
        _pop_to(stack, closes, boundary | SCOPE)
    if tag in HEADINGS and stack and stack[-1] in HEADINGS:
        stack.pop()
    if tag == "body" and "head" in stack:
        _pop_to(stack, frozenset({"head"}), frozenset())
    if tag not in VOID and not token.self_closing:
        stack.append(tag)


def _close(stack: list[str], tag: str) -> None:
    if tag in INLINE:
        # A misnested inline end tag (`<b><p>…</b>`) does not end the block around it.
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] == tag:
                if all(t in INLINE for t in stack[i + 1:]):
                    del stack[i:]
                return
            if stack[i] not in INLINE:
                return
        return
    wanted = HEADINGS if tag in HEADINGS else frozenset({tag})
    # A table's end tags close the cells and rows left open inside it (HTML's table scope).
    boundary = TABLE_SCOPE if tag in TABLE_PARTS else SCOPE - wanted
    _pop_to(stack, wanted, boundary)


def _pop_to(stack: list[str], wanted: frozenset[str], boundary: frozenset[str]) -> None:
    """Pop the innermost element named in `wanted` and everything opened inside it, unless
    an element of `boundary` comes first."""
    for i in range(len(stack) - 1, -1, -1):
        if stack[i] in wanted:
            del stack[i:]
            return
        if stack[i] in boundary:
            return


