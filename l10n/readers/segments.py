"""Turn a block's raw text into literal parts and sentence segments.

Readers say which pieces of a block's raw text are content (one piece per source line,
with container markers such as `> ` or `- ` left outside); this module splits the content
into sentences and hands back parts whose concatenation is exactly the raw text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from l10n.document import Part, Segment
from l10n.readers.segment import split_sentences

_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


def normalize(text: str) -> str:
    """The msgid form of a sentence: soft line breaks (and the blanks around them) become one
    space, so re-wrapping a paragraph in the source does not invalidate its translations."""
    return _LINE_BREAK.sub(" ", text)


def split_block(raw: str, line: int, pieces: Sequence[tuple[int, int]], *,
                protected: Sequence[tuple[int, int]] = ()) -> tuple[Part, ...]:
    """Parts for `raw`, whose content is `pieces` (start, end offsets into raw, in order).

    The pieces are joined with "\n" for segmentation; `protected` spans are offsets into that
    joined text inside which no sentence boundary may fall (Markdown links, code spans).
    """
    joined_parts: list[str] = []
    to_raw: list[int] = []  # joined offset -> raw offset, one entry per joined character (+ end)
    for i, (start, end) in enumerate(pieces):
        if i:
            joined_parts.append("\n")
            to_raw.append(pieces[i - 1][1])
        joined_parts.append(raw[start:end])
        to_raw.extend(range(start, end))
    to_raw.append(pieces[-1][1] if pieces else 0)
    joined = "".join(joined_parts)

    parts: list[Part] = []
    cursor = 0
    for start, end in split_sentences(joined, protected=protected):
        raw_start, raw_end = to_raw[start], to_raw[end - 1] + 1
        if raw_start > cursor:
            parts.append(raw[cursor:raw_start])
        seg_raw = raw[raw_start:raw_end]
        parts.append(Segment(text=normalize(joined[start:end]), raw=seg_raw,
                             line=line + raw.count("\n", 0, raw_start)))
        cursor = raw_end
    if cursor < len(raw):
        parts.append(raw[cursor:])
    return tuple(parts)
