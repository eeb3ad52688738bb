"""Format directives (`%s`, `%(name)d`, `%1$d`) as gettext's format-c.c and format-python.c
parse them: msgcat never breaks a line inside one.

Only c/objc-format and python-format are parsed; for other format flags (java,
python-brace, qt...) a line may be split inside a directive where msgcat 0.21 would not.
"""

from __future__ import annotations


def directive_interiors(value: str, language: str) -> set[int] | None:
    """Indices inside format directives (not their first character), where gettext
    never breaks a line. Only c/objc and python formats are parsed."""
    if language in ("c", "objc"):
        spans = _c_directives(value)
    elif language == "python":
        spans = _python_directives(value)
    else:
        return None
    interiors: set[int] = set()
    for start, end in spans:
        interiors.update(range(start + 1, end + 1))
    return interiors or None


def _digits(text: str, pos: int) -> int:
    while pos < len(text) and "0" <= text[pos] <= "9":
        pos += 1
    return pos


def _python_directives(text: str) -> list[tuple[int, int]]:
    """(first, last) index of each valid directive before the first invalid one
    (gettext's format-python.c: an invalid directive ends the parse)."""
    spans: list[tuple[int, int]] = []
    named = unnamed = 0
    pos, end = 0, len(text)
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            return spans
        start = pos
        pos += 1
        is_named = False
        if pos < end and text[pos] == "(":
            depth = 0
            pos += 1
            while pos < end:
                if text[pos] == "(":
                    depth += 1
                elif text[pos] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                pos += 1
            if pos >= end:
                return spans
            pos += 1
            is_named = True
        while pos < end and text[pos] in "-+ #0":
            pos += 1
        for part in ("width", "precision"):
            if part == "precision":
                if pos >= end or text[pos] != ".":
                    break
                pos += 1
            if pos < end and text[pos] == "*":
                # A '*' takes an unnamed argument.
                if named:
                    return spans
                unnamed += 1
                pos += 1
            else:
                pos = _digits(text, pos)
        if pos < end and text[pos] in "hlL":
            pos += 1
        if pos >= end:
            return spans
        conversion = text[pos]
        if conversion != "%":
            if conversion not in "csriduoxXeEfFgG":
                return spans
            if is_named:
                if unnamed:
                    return spans
                named += 1
            else:
                if named:
                    return spans
                unnamed += 1
        spans.append((start, pos))
        pos += 1


def _c_directives(text: str) -> list[tuple[int, int]]:
    """Like _python_directives, for gettext's format-c.c (ISO C plus `%1$d` and `I`)."""
    spans: list[tuple[int, int]] = []
    numbered = unnumbered = 0
    pos, end = 0, len(text)
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            return spans
        start = pos
        pos += 1
        number, pos = _argument_number(text, pos)
        if number == 0:
            return spans
        while pos < end and text[pos] in " +-#0'I":
            pos += 1
        for part in ("width", "precision"):
            if part == "precision":
                if pos >= end or text[pos] != ".":
                    break
                pos += 1
            if pos < end and text[pos] == "*":
                star, pos = _argument_number(text, pos + 1)
                if star == 0:
                    return spans
                # Numbered and unnumbered arguments are exclusive.
                if star is None:
                    if numbered:
                        return spans
                    unnumbered += 1
                else:
                    if unnumbered:
                        return spans
                    numbered += 1
            else:
                pos = _digits(text, pos)
        while pos < end and text[pos] in "hlLqjzZt":
            pos += 1
        if pos >= end or text[pos] not in "%mcCsSdiouxXeEfFgGaApn":
            return spans
        if text[pos] not in "%m":
            if number is None:
                if numbered:
                    return spans
                unnumbered += 1
            else:
                if unnumbered:
                    return spans
                numbered += 1
        spans.append((start, pos))
        pos += 1


def _argument_number(text: str, pos: int) -> tuple[int | None, int]:
    """A `N$` argument number at `pos`: (N, position after it), or (None, pos) if absent."""
    after = _digits(text, pos)
    if after > pos and after < len(text) and text[after] == "$":
        return int(text[pos:after]), after + 1
    return None, pos
