"""Language identification with langdetect, seeded so that results are reproducible.

Loading all 55 langdetect profiles costs ~180 ms; loading only the languages a question is
about costs ~2 ms, which keeps `l10n check` fast. Nothing is imported until first use.
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any


@cache
def _factory(langs: tuple[str, ...] | None) -> Any:
    """A langdetect factory with the profiles of `langs` (None: every profile)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    names = langs or tuple(sorted(p.name for p in Path(PROFILES_DIRECTORY).iterdir()))
    factory = DetectorFactory()
    factory.load_json_profile([Path(PROFILES_DIRECTORY, lang).read_text(encoding="utf-8")
                               for lang in names])
    factory.set_seed(0)  # langdetect samples n-grams at random; the seed makes it repeatable
    return factory


@cache
def has_profile(lang: str) -> bool:
    spec = find_spec("langdetect")
    if spec is None or not spec.submodule_search_locations:
        return False
    return any(Path(p, "profiles", lang).is_file() for p in spec.submodule_search_locations)


@cache
def _log_probabilities(langs: tuple[str, ...]) -> dict[str, list[float]]:
    """n-gram → smoothed log-probability per language of `langs`, filled as n-grams are met."""
    return {}


@cache
def _word_scores(langs: tuple[str, ...]) -> dict[tuple[str, bool], list[float] | None]:
    """(word, a space follows it) → the sum of its n-grams' rows of `_log_probabilities`
    (None: no n-gram known), filled as words are met."""
    return {}


# Words remembered per language pair before the memo starts again: a few MB.
_MAX_WORDS = 200_000


def probabilities(text: str, *, langs: tuple[str, ...] | None = None) -> dict[str, float]:
    """Language → probability for `text`, among `langs` (default: all); {} if undecidable.

    Asked about a few languages (the gate's "source or target?"), every n-gram of the text
    is scored, with langdetect's profiles and smoothing: exact, repeatable, and a tenth of
    the time of langdetect's seven random walks, which were most of a gate's time. Asked
    about all 55, langdetect samples as it always does."""
    factory = _factory(langs)
    if langs is None:
        from langdetect.lang_detect_exception import LangDetectException

        detector = factory.create()
        detector.append(text)
        try:
            return {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}  # no n-gram known to any loaded profile
    # langdetect's n-grams never span a space (its n-gram buffer starts again after one),
    # so a text's score is the sum of its words' scores, and words repeat: each is scored
    # once. Words come from langdetect's own cleaning, and their n-grams from its own
    # extraction (pinned below 2 in pyproject). Summed word by word, a probability may
    # differ from the whole text's sum in its last bits (at most 3e-12 measured).
    words = _cleaned(text, factory).split(" ")
    memo = _word_scores(langs)
    if len(memo) > _MAX_WORDS:
        memo.clear()
    scores = [0.0] * len(factory.langlist)
    known = False
    last = len(words) - 1
    for index, word in enumerate(words):
        if not word:
            continue
        key = (word, index < last)
        if key not in memo:
            memo[key] = _score(word + " " if index < last else word, factory, langs)
        row = memo[key]
        if row is not None:
            known = True
            for lang, value in enumerate(row):
                scores[lang] += value
    if not known:
        return {}
    top = max(scores)
    odds = [math.exp(score - top) for score in scores]
    total = sum(odds)
    return {lang: share / total for lang, share in zip(factory.langlist, odds, strict=True)}


def _cleaned(text: str, factory: Any) -> str:
    """The text as langdetect's `Detector.append` and `cleaning_text` leave it (their
    character loops, in regular expressions): URLs and e-mail addresses out, spaces
    collapsed, Latin letters out of a text that is mostly in another script."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)
    text = _SPACES.sub(" ", text[:_detector(factory).max_text_length])
    # langdetect means to spare "Latin Extended Additional" here, but compares a block
    # number with its name: every character from U+0300 on counts as non-Latin.
    if 2 * len(_LATIN.findall(text)) < len(_NON_LATIN.findall(text)):
        text = _LATIN.sub("", text)
    return text


_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")


@cache
def _detector(factory: Any) -> Any:
    return factory.create()


def _score(chunk: str, factory: Any, langs: tuple[str, ...]) -> list[float] | None:
    detector = _detector(factory)
    detector.text = chunk
    grams = detector._extract_ngrams()
    if not grams:
        return None
    logs = _log_probabilities(langs)
    weight = detector.alpha / detector.BASE_FREQ
    scores = [0.0] * len(factory.langlist)
    for gram in grams:
        row = logs.get(gram)
        if row is None:
            row = logs[gram] = [math.log(weight + p) for p in factory.word_lang_prob_map[gram]]
        for index, value in enumerate(row):
            scores[index] += value
    return scores


def detect(text: str) -> tuple[str, float]:
    """Most likely language of `text` and its probability; ("", 0.0) when undecidable."""
    found = probabilities(text)
    if not found:
        return "", 0.0
    lang = max(found, key=found.__getitem__)
    return lang, found[lang]
