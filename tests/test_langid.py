"""Language identification asked about two languages: word by word, exactly as langdetect
scores every n-gram of the whole text."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import langid

PUD = Path(__file__).parent / "data" / "parallel" / "de_en_pud.tsv"
LANGS = ("de", "en")


def _whole_text(text: str, langs: tuple[str, ...]) -> dict[str, float]:
    """langdetect's cleaning and n-grams over the whole text, scored in one pass."""
    factory = langid._factory(langs)
    detector = factory.create()
    detector.append(text)
    detector.cleaning_text()
    grams = detector._extract_ngrams()
    if not grams:
        return {}
    weight = detector.alpha / detector.BASE_FREQ
    scores = [0.0] * len(factory.langlist)
    for gram in grams:
        for index, p in enumerate(factory.word_lang_prob_map[gram]):
            scores[index] += math.log(weight + p)
    top = max(scores)
    odds = [math.exp(s - top) for s in scores]
    return {lang: o / sum(odds) for lang, o in zip(factory.langlist, odds, strict=True)}


def _same(text: str) -> None:
    found, expected = langid.probabilities(text, langs=LANGS), _whole_text(text, LANGS)
    assert found.keys() == expected.keys(), text
    for lang, p in expected.items():
        assert math.isclose(found[lang], p, rel_tol=1e-9, abs_tol=1e-12), text


def test_pud_sentences_score_as_whole_texts() -> None:
    with PUD.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows[:400]:
        _same(row["de"])
        _same(row["en"])
        _same(f"{row['de']}  {row['en']}")  # mixed, with a double space


def test_awkward_texts_score_as_whole_texts() -> None:
    for text in ["", " ", "   ", "1234 5678", "https://example.org/a?b=c und so",
                 "mail redaktion@example.org bitte", "ÄRZTE fordern MEHR Geld",
                 "Москва заявила, что die Regierung", "x", " Leading and trailing ",
                 "Sẽ có mưa to", "中文 und Deutsch 和 English", "a\u0301b\u0300c",
                 "word " * 3000]:
        _same(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("aäbcdeéfghijklmnoöpqrsßtuüvwxyz"
                                             "AÄBCDEFGHIJKLMNOÖPQRSTUÜVWXYZ"
                                             "  ,.-'’“„0123456789:/@абвгд中文ệ")),
               max_size=120))
def test_any_text_scores_as_whole_text(text: str) -> None:
    _same(text)
