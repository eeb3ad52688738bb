"""Word alignment: which source word each target word was translated from.

The engine gives attention per token (CTranslate2's `return_attention`): for each target
token, a weight for each source token. Words are whitespace-separated; a SentencePiece
token starting with "▁" (or, for BPE, a token after one not ending in "@@") starts one.
`word_matrix` sums the weights of a word's tokens into one weight per pair of words.

Attention alone is a noisy alignment, more so for small models, so `Alignment` adds what
the words themselves say: a name, a number or a cognate written alike on both sides
(`Tokajew`/`Tokayev`, `10.`/`10`), and the relative position in the sentence. How much
the attention counts is judged per sentence by how often it agrees with the words written
alike: a model whose attention does not align (bench/markup.py measures the fixture
package's) is outvoted by the words, a model whose attention does is followed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

Matrix = tuple[tuple[float, ...], ...]  # [target word][source word]

_EDGE_PUNCT = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each kind of evidence counts; each is a distribution over source words."""

    attention: float = 1.0  # scaled by how far the sentence's attention can be trusted
    lexical: float = 2.0  # words written alike: a name, a number, a cognate
    position: float = 0.5  # the same relative position in the sentence
    spread: float = 0.15  # how far (in sentence lengths) the position evidence reaches


WEIGHTS = Weights()
# Attention is trusted by how often it agrees with the words written alike in the same
# sentence; with no such words to judge by, it counts this much.
UNJUDGED_TRUST = 0.7


def starts_word(tokens: Sequence[str], index: int, *, bpe: bool = False) -> bool:
    """Whether the token at `index` begins a word: a SentencePiece piece starting with "▁",
    or (BPE) one after a token not ending in "@@"."""
    if index == 0:
        return True
    return not tokens[index - 1].endswith("@@") if bpe else tokens[index].startswith("▁")


def word_starts(tokens: Sequence[str], *, bpe: bool = False) -> list[int]:
    """Index of the word each token belongs to."""
    words: list[int] = []
    word = -1
    for index in range(len(tokens)):
        if starts_word(tokens, index, bpe=bpe):
            word += 1
        words.append(word)
    return words


def word_matrix(attention: Sequence[Sequence[float]], source_tokens: Sequence[str],
                target_tokens: Sequence[str], *, bpe: bool = False) -> Matrix | None:
    """Token attention summed into words, each target word's row normalized to 1; None when
    the tokens do not split into the words the texts have (the caller aligns without)."""
    if not source_tokens or not target_tokens or len(attention) < len(target_tokens):
        return None
    src_word = word_starts(source_tokens, bpe=bpe)
    tgt_word = word_starts(target_tokens, bpe=bpe)
    n_src, n_tgt = src_word[-1] + 1, tgt_word[-1] + 1
    rows = [[0.0] * n_src for _ in range(n_tgt)]
    for t, weights in zip(tgt_word, attention, strict=False):
        row = rows[t]
        for s, weight in zip(src_word, weights, strict=False):  # the EOS column is dropped
            row[s] += weight
    return tuple(_normalized(row) for row in rows)


def _normalized(row: list[float]) -> tuple[float, ...]:
    total = sum(row)
    return tuple(w / total for w in row) if total > 0 else tuple(row)


def _key(word: str) -> str:
    return _EDGE_PUNCT.sub("", word).casefold()


@lru_cache(maxsize=65536)
def _bigrams(word: str) -> frozenset[str]:
    return frozenset(word[i:i + 2] for i in range(len(word) - 1))


def alike(a: str, b: str) -> bool:
    """Written alike: equal, the same number, or a name/cognate sharing most letter pairs
    (the Dice coefficient of their letter bigrams ≥ 0.6)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0] or a.isdigit() or b.isdigit():
        return False
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= 0.6


@dataclass
class Alignment:
    source: tuple[str, ...]  # words
    target: tuple[str, ...]
    attention: Matrix | None  # from the engine, or None
    weights: Weights = WEIGHTS
    # How far the engine's attention can be trusted (see `trust`); None: judge it from
    # this sentence alone.
    trusted: float | None = None

    @cached_property
    def scores(self) -> Matrix:
        n_src, n_tgt = len(self.source), len(self.target)
        weights = self.weights
        attention = self.attention if self.sure else None
        if attention is None or not weights.attention:
            trust = 0.0
        elif not weights.lexical:
            trust = 1.0  # nothing to judge attention by: it is all there is
        elif self.trusted is not None:
            trust = self.trusted
        else:
            judged, agreed = self.judged()
            trust = agreed / judged if judged else UNJUDGED_TRUST
        # Squared: attention that agrees with the words half the time is mostly noise (the
        # fixture package's agrees 27% of the time and counts 7%).
        trust *= trust
        twins = self.twins
        src_at = [(s + 0.5) / n_src for s in range(n_src)]
        rows = []
        for t in range(n_tgt):
            here = (t + 0.5) / n_tgt
            nearness = [math.exp(-((at - here) / weights.spread) ** 2 / 2) for at in src_at]
            # Position speaks where attention cannot be trusted; else it only breaks ties.
            scale = weights.position * (1.05 - trust) / (sum(nearness) or 1.0)
            row = [near * scale for near in nearness]
            for s in twins[t]:
                row[s] += weights.lexical
            if attention is not None and trust:
                factor = weights.attention * trust
                row = [r + factor * a for r, a in zip(row, attention[t], strict=True)]
            rows.append(tuple(row))
        return tuple(rows)

    @cached_property
    def twins(self) -> tuple[tuple[int, ...], ...]:
        """For each target word, the source words written alike."""
        by_initial: dict[str, list[tuple[int, str]]] = {}
        for s, word in enumerate(self.source):
            key = _key(word)
            if key:
                by_initial.setdefault(key[0], []).append((s, key))
        out = []
        for word in self.target:
            key = _key(word)
            # Words written alike start alike (see `alike`): only those are compared.
            out.append(tuple(s for s, other in by_initial.get(key[:1], ()) if alike(key, other)))
        return tuple(out)

    def judged(self) -> tuple[int, int]:
        """(words written alike with one twin, those whose attention points at the twin)."""
        if not self.sure or self.attention is None:
            return 0, 0
        judged = agreed = 0
        for t, twins in enumerate(self.twins):
            if len(twins) != 1:
                continue
            judged += 1
            row = self.attention[t]
            agreed += max(range(len(row)), key=row.__getitem__) == twins[0]
        return judged, agreed


    @property
    def sure(self) -> bool:
        """Whether the engine's attention fits these words (else only the words speak)."""
        return self.attention is not None and len(self.attention) == len(self.target) and \
            all(len(row) == len(self.source) for row in self.attention)

    @cached_property
    def source_of(self) -> tuple[int, ...]:
        """For each target word, its best source word."""
        return tuple(max(range(len(row)), key=row.__getitem__) if row else -1
                     for row in self.scores)

    @cached_property
    def target_of(self) -> tuple[int, ...]:
        """For each source word, the target word that draws most on it."""
        out = []
        for s in range(len(self.source)):
            column = [row[s] for row in self.scores]
            out.append(max(range(len(column)), key=column.__getitem__) if column else -1)
        return tuple(out)

    def targets(self, words: range, *, strict: bool = False) -> list[int]:
        """Target words aligned to any of the source `words` (ascending); unless `strict`,
        where none is, the target words that draw most on them."""
        found = [t for t, s in enumerate(self.source_of) if s in words]
        if not found and not strict:
            found = sorted({self.target_of[s] for s in words if self.target_of[s] >= 0})
        return found


def trust(alignments: Sequence[Alignment]) -> float:
    """How far one engine's attention aligns words, judged over many sentences at once:
    the share of words written alike whose attention points at their twin."""
    judged = agreed = 0
    for alignment in alignments:
        j, a = alignment.judged()
        judged += j
        agreed += a
    return agreed / judged if judged else UNJUDGED_TRUST
