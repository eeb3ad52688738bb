"""Language identification with langdetect, seeded so that results are reproducible."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _factory() -> Any:
    # langdetect loads ~55 language profiles on first use (~0.3 s): only pay when asked.
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def detect(text: str) -> tuple[str, float]:
    """Most likely language of `text` and its probability; ("", 0.0) when undecidable."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "", 0.0
    return best.lang, best.prob
