"""Language identification with langdetect, seeded so that results are reproducible.

Loading all 55 langdetect profiles costs ~180 ms; loading only the languages a question is
about costs ~2 ms, which keeps `l10n check` fast. Nothing is imported until first use.
"""

from __future__ import annotations

import math
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


def probabilities(text: str, *, langs: tuple[str, ...] | None = None) -> dict[str, float]:
    """Language → probability for `text`, among `langs` (default: all); {} if undecidable.

    Asked about a few languages (the gate's "source or target?"), every n-gram of the text
    is scored, with langdetect's profiles and smoothing: exact, repeatable, and a tenth of
    the time of langdetect's seven random walks, which were most of a gate's time. Asked
    about all 55, langdetect samples as it always does."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory(langs)
    detector = factory.create()
    detector.append(text)
    if langs is None:
        try:
            return {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}  # no n-gram known to any loaded profile
    # langdetect's own text cleaning and n-gram extraction (pinned below 2 in pyproject).
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    if not ngrams:
        return {}
    logs = _log_probabilities(langs)
    scores = [0.0] * len(factory.langlist)
    for gram in ngrams:
        row = logs.get(gram)
        if row is None:
            weight = detector.alpha / detector.BASE_FREQ
            row = logs[gram] = [math.log(weight + p) for p in factory.word_lang_prob_map[gram]]
        for index, value in enumerate(row):
            scores[index] += value
    top = max(scores)
    odds = [math.exp(score - top) for score in scores]
    total = sum(odds)
    return {lang: share / total for lang, share in zip(factory.langlist, odds, strict=True)}


def detect(text: str) -> tuple[str, float]:
    """Most likely language of `text` and its probability; ("", 0.0) when undecidable."""
    found = probabilities(text)
    if not found:
        return "", 0.0
    lang = max(found, key=found.__getitem__)
    return lang, found[lang]
