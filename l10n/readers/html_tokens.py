"""HTML source as a flat list of tokens with exact offsets, from the standard library's parser.

`html.parser.HTMLParser` is maintained with CPython and tolerant the way browsers are (a stray
`<` is text, an unknown entity is text, script and style content is raw text). It reports
where each construct starts; a token ends where the next one starts, so the tokens tile the
source exactly and nothing the parser skips or repairs can go missing from a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

START, END, TEXT, COMMENT, OTHER = "start", "end", "text", "comment", "other"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # START, END, TEXT (character data and references), COMMENT, OTHER (doctype…)
    start: int
    end: int
    tag: str = ""  # lower-case element name of a START or END token
    attrs: tuple[tuple[str, str | None], ...] = ()  # as the parser reads them (unescaped)
    self_closing: bool = False  # `<br/>`


class _Collector(HTMLParser):
    def __init__(self, source: str) -> None:
        # Character references stay separate tokens; their text is taken from the source.
        super().__init__(convert_charrefs=False)
        self._line_starts = [0]
        self._line_starts += [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.found: list[tuple[str, int, str, tuple[tuple[str, str | None], ...], bool]] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add(self, kind: str, tag: str = "",
             attrs: list[tuple[str, str | None]] | None = None, closing: bool = False) -> None:
        self.found.append((kind, self._offset(), tag, tuple(attrs or ()), closing))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(START, tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(START, tag, attrs, closing=True)

    def handle_endtag(self, tag: str) -> None:
        self._add(END, tag)

    def handle_data(self, data: str) -> None:
        self._add(TEXT)

    def handle_entityref(self, name: str) -> None:
        self._add(TEXT)

    def handle_charref(self, name: str) -> None:
        self._add(TEXT)

    def handle_comment(self, data: str) -> None:
        self._add(COMMENT)

    def handle_decl(self, decl: str) -> None:
        self._add(OTHER)

    def handle_pi(self, data: str) -> None:
        self._add(OTHER)

    def unknown_decl(self, data: str) -> None:
        self._add(OTHER)


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, in order; consecutive text tokens are merged."""
    collector = _Collector(source)
    collector.feed(source)
    collector.close()
    found = sorted(collector.found, key=lambda f: f[1])  # already in order; cheap insurance
    tokens: list[Token] = []
    if found and found[0][1] > 0:  # never seen: the parser reports from offset 0
        tokens.append(Token(TEXT, 0, found[0][1]))
    for i, (kind, start, tag, attrs, closing) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(source)
        if end <= start:
            continue
        if kind == TEXT and tokens and tokens[-1].kind == TEXT and tokens[-1].end == start:
            tokens[-1] = Token(TEXT, tokens[-1].start, end)
            continue
        tokens.append(Token(kind, start, end, tag, attrs, closing))
    if not found and source:
        tokens.append(Token(TEXT, 0, len(source)))
    return tokens
