"""repetition and length-ratio: what machine translation does when it loops or drops text."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import eq

from l10n.checks.prose import WORD_OR_NUMBER, plain
from l10n.checks.registry import WARNING, CheckContext, register


def _consecutive_repeat(words: Sequence[str], max_n: int = 8) -> tuple[int, int, int]:
    """(n, times, start) of the longest back-to-back repetition of an n-gram; times 1 if none."""
    best = (1, 1, 0)
    for n in range(1, min(max_n, len(words) // 2) + 1):
        if not any(map(eq, words, words[n:])):
            continue  # no word stands again n words on: nearly every n of every sentence
        for start in range(len(words) - 2 * n + 1):
            if words[start] != words[start + n]:
                continue  # no repetition starts here (times would stay 1)
            times = 1
            while words[start:start + n] == words[start + times * n:start + (times + 1) * n]:
                times += 1
            if times > best[1] or (times == best[1] > 1 and n > best[0]):
                best = (n, times, start)
    return best


def _is_loop(n: int, times: int) -> bool:
    return times >= 3 or (times >= 2 and n >= 3)


def _repeated_phrase(words: Sequence[str], n: int) -> int | None:
    """Start of the first n-gram that occurs again later without overlapping, or None."""
    if len(words) - len(set(words)) < n:
        return None  # a second copy of an n-gram repeats n words at least
    seen: dict[tuple[str, ...], int] = {}
    for start in range(len(words) - n + 1):
        gram = tuple(words[start:start + n])
        if gram in seen and start - seen[gram] >= n:
            return seen[gram]
        seen.setdefault(gram, start)
    return None


@lru_cache(maxsize=1024)
def _words_lower(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD_OR_NUMBER.findall(plain(text)))


_PUNCTUATION = "\"'“”„‘’‚«»()[]{}.,;:!?…–—-*_"
# Words that legitimately stand twice in a row: English "what he had had", German
# relative pronouns after articles ("Länder, die die Währung…").
_DOUBLES_ALLOWED = {"en": frozenset({"had"}),
                    "de": frozenset({"die", "der", "das", "den", "dem", "des", "sie", "was"})}
_MAX_DOUBLED = 4  # words in a doubled phrase


def _doubled(text: str, allowed: frozenset[str]) -> str | None:
    """A word or phrase written twice with only a space between ("In the the end")."""
    tokens = plain(text).split()
    lower = [t.strip(_PUNCTUATION).lower() for t in tokens]
    for n in range(1, _MAX_DOUBLED + 1):
        if not any(map(eq, lower, lower[n:])):
            continue
        for i in range(len(tokens) - 2 * n + 1):
            if lower[i] != lower[i + n]:
                continue
            first = tokens[i:i + n]
            # A comma or full stop between the copies is emphasis ("No, no"), not a slip.
            if lower[i:i + n] != lower[i + n:i + 2 * n] or not first[-1][-1].isalnum():
                continue
            if not all(any(ch.isalpha() for ch in t) for t in first):
                continue
            if n == 1 and lower[i] in allowed:
                continue
            return " ".join(first)
    return None


@register("repetition", WARNING)
def check_repetition(source: str, target: str, ctx: CheckContext) -> str | None:
    """A word or phrase is doubled, or repeats as machine translation loops do."""
    doubled = _doubled(target, _DOUBLES_ALLOWED.get(ctx.target_lang, frozenset()))
    # A source that doubles a word itself ("sehr, sehr", "Really really") may be mirrored.
    if doubled and _doubled(source, _DOUBLES_ALLOWED.get(ctx.source_lang, frozenset())) is None:
        kind = "phrase" if " " in doubled else "word"
        return f"“{doubled} {doubled}”: doubled {kind}"
    tgt = _words_lower(target)
    n, times, start = _consecutive_repeat(tgt)
    if _is_loop(n, times) and _consecutive_repeat(_words_lower(source))[1] < times:
        return f"“{' '.join(tgt[start:start + n])}” repeated {times} times in a row"
    start_phrase = _repeated_phrase(tgt, 6)
    if start_phrase is not None and _repeated_phrase(_words_lower(source), 4) is None:
        return f"“{' '.join(tgt[start_phrase:start_phrase + 6])}…” occurs twice"
    return None


@register("length-ratio", WARNING)
def check_length_ratio(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation is much shorter or longer than the source."""
    src, tgt = len(plain(source).strip()), len(plain(target).strip())
    if src < ctx.length_ratio_min_chars:
        return None
    ratio = tgt / src
    if ctx.min_length_ratio <= ratio <= ctx.max_length_ratio:
        return None
    return (f"translation is {ratio:.2f}× the source length (expected "
            f"{ctx.min_length_ratio:g}–{ctx.max_length_ratio:g})")
