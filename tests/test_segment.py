"""The German sentence segmenter: gold data, tricky cases, offsets, pathological input."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import l10n.readers.segment as segment
from l10n.readers.segment import split_sentences

DATA = Path(__file__).parent / "data" / "segmentation"


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def sentences(text: str, **kwargs: Any) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, **kwargs)]


def assert_well_formed(text: str, spans: list[tuple[int, int]]) -> None:
    """Spans are ordered, non-empty, stripped, and only whitespace lies outside them."""
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text)
        assert not text[pos:start].strip()
        assert not text[start].isspace() and not text[end - 1].isspace()
        pos = end
    assert not text[pos:].strip()
    if text.strip():
        assert spans


# -- gold data -------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", load("seed_000_gold.jsonl"), ids=lambda d: f"p{d['paragraph']}")
def test_seed_article_paragraphs_split_exactly_as_annotated(doc: dict[str, Any]) -> None:
    assert sentences(doc["text"]) == doc["sentences"]


def test_seed_article_as_one_text_with_blank_lines() -> None:
    paragraphs = load("seed_000_gold.jsonl")
    text = "\n\n".join(p["text"] for p in paragraphs) + "\n"
    assert sentences(text) == [s for p in paragraphs for s in p["sentences"]]


def gold_boundaries(doc: dict[str, Any]) -> set[int]:
    starts: list[int] = []
    pos = 0
    for sentence in doc["sentences"]:
        pos = doc["text"].index(sentence, pos)
        starts.append(pos)
        pos += len(sentence)
    return set(starts[1:])


def boundary_scores(docs: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Micro-averaged boundary precision, recall and F1 over a corpus.

    A boundary is the character offset where a sentence other than a document's first one
    starts; the start and end of a document are not counted (no segmenter can miss them).
    A predicted boundary is right only at exactly the gold offset.
    """
    tp = fp = fn = 0
    for doc in docs:
        gold = gold_boundaries(doc)
        predicted = {start for start, _ in split_sentences(doc["text"])[1:]}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_boundary_f1_on_ud_german_pud() -> None:
    docs = load("de_pud_gold.jsonl")
    assert len(docs) == 397
    assert sum(len(gold_boundaries(d)) for d in docs) == 603
    precision, recall, f1 = boundary_scores(docs)
    assert f1 >= 0.99, (precision, recall, f1)


def test_boundary_scores_counts_offsets() -> None:
    doc = {"text": "Eins. Zwei. Drei.", "sentences": ["Eins.", "Zwei.", "Drei."]}
    assert gold_boundaries(doc) == {6, 12}
    assert boundary_scores([doc]) == (1.0, 1.0, 1.0)


# -- tricky cases ----------------------------------------------------------------------------

CASES: list[tuple[str, list[str]]] = [
    # ordinals and dates: Moses never breaks after 1. to 99.
    (
        "Tokajew war am 10. Februar zu Besuch in Moskau.",
        ["Tokajew war am 10. Februar zu Besuch in Moskau."],
    ),
    ("Am Dienstag (1. März) sagte er das.", ["Am Dienstag (1. März) sagte er das."]),
    ("Das war im 19. Jahrhundert. Heute nicht.", ["Das war im 19. Jahrhundert.", "Heute nicht."]),
    (
        "Er wurde am 3.3.2022 gewählt. Danach nicht.",
        ["Er wurde am 3.3.2022 gewählt.", "Danach nicht."],
    ),
    (
        "Die Zahl stieg im Jahr 2010. Danach fiel sie.",
        ["Die Zahl stieg im Jahr 2010.", "Danach fiel sie."],
    ),
    # ordinals above 99 before a noun that takes one
    (
        "Sie feierte ihren 100. Geburtstag in Berlin.",
        ["Sie feierte ihren 100. Geburtstag in Berlin."],
    ),
    ("Zum 1000. Mal. Jetzt reicht es.", ["Zum 1000. Mal.", "Jetzt reicht es."]),
    ("Die Zahl stieg auf 150. Danach fiel sie.", ["Die Zahl stieg auf 150.", "Danach fiel sie."]),
    # a small number or Roman numeral before an article or pronoun ends a sentence
    (
        "Die Zahl stieg auf 12. Die Polizei ermittelt.",
        ["Die Zahl stieg auf 12.", "Die Polizei ermittelt."],
    ),
    ("Er las S. 5 bis 10. Dann schlief er.", ["Er las S. 5 bis 10.", "Dann schlief er."]),
    ("Ludwig XIV. regierte lange.", ["Ludwig XIV. regierte lange."]),
    ("Papst Johannes Paul II. Er war Pole.", ["Papst Johannes Paul II.", "Er war Pole."]),
    ("Das gilt z. B. Die Grünen.", ["Das gilt z. B. Die Grünen."]),
    # abbreviations
    (
        "Das gilt z. B. für Kasachstan. Russland nicht.",
        ["Das gilt z. B. für Kasachstan.", "Russland nicht."],
    ),
    ("Das gilt z.B. für Kasachstan.", ["Das gilt z.B. für Kasachstan."]),
    ("Es ist kalt, d. h. unter 0 Grad.", ["Es ist kalt, d. h. unter 0 Grad."]),
    (
        "Die Regierung bzw. das Parlament entscheidet.",
        ["Die Regierung bzw. das Parlament entscheidet."],
    ),
    ("Er kam mit der Nr. 10 ins Ziel.", ["Er kam mit der Nr. 10 ins Ziel."]),
    ("Die Kosten betragen 3 Mio. Euro.", ["Die Kosten betragen 3 Mio. Euro."]),
    ("Der Preis stieg um ca. 10 Prozent.", ["Der Preis stieg um ca. 10 Prozent."]),
    ("Dr. Müller kam. Prof. Schmidt nicht.", ["Dr. Müller kam.", "Prof. Schmidt nicht."]),
    ("Die Hl. Cäcilie ist eine Heilige.", ["Die Hl. Cäcilie ist eine Heilige."]),
    ("Es steht in Abs. 3 des Gesetzes.", ["Es steht in Abs. 3 des Gesetzes."]),
    ("Die XY GmbH & Co. KG wächst.", ["Die XY GmbH & Co. KG wächst."]),
    # German words the Moses list took for abbreviations
    (
        "Siehe Art. 5 GG. Das ist nicht seine Art. Er schweigt.",
        ["Siehe Art. 5 GG.", "Das ist nicht seine Art.", "Er schweigt."],
    ),
    ("Er trägt einen Bart. Sie nicht.", ["Er trägt einen Bart.", "Sie nicht."]),
    # German quotes: „…“ and its single form, »…« and «…»
    (
        "„Wir begrüßen das“, erklärte der Rat. „Wir begrüßen auch die Weigerung.“",
        ["„Wir begrüßen das“, erklärte der Rat.", "„Wir begrüßen auch die Weigerung.“"],
    ),
    (
        "„Es gibt keinen Weg. Wir sind bereit, wenn das nötig ist“, sagte Tokajew.",
        ["„Es gibt keinen Weg.", "Wir sind bereit, wenn das nötig ist“, sagte Tokajew."],
    ),
    (
        "Das setzt Vertrauen voraus. Leider ist dies nicht geschehen.“",
        ["Das setzt Vertrauen voraus.", "Leider ist dies nicht geschehen.“"],
    ),
    (
        "Er sagte: „Es gibt keinen Weg.“ Dann ging er.",
        ["Er sagte: „Es gibt keinen Weg.“", "Dann ging er."],
    ),
    ("»Es gibt keinen Weg.« Dann ging er.", ["»Es gibt keinen Weg.«", "Dann ging er."]),
    ("«Es gibt keinen Weg.» Dann ging er.", ["«Es gibt keinen Weg.»", "Dann ging er."]),
    ("Er sagte \u201aNein.\u2018 Dann ging er.", ["Er sagte \u201aNein.\u2018", "Dann ging er."]),
    ("„Wer kommt?“, fragte sie. Niemand!", ["„Wer kommt?“, fragte sie.", "Niemand!"]),
    (
        "die „Banditen“ und „Terroristen“ verantwortlich.",
        ["die „Banditen“ und „Terroristen“ verantwortlich."],
    ),
    # other punctuation
    ("Was nun? Wir wissen es nicht.", ["Was nun?", "Wir wissen es nicht."]),
    ("Der Euro fiel um 2,5 %. Der Dollar stieg.", ["Der Euro fiel um 2,5 %.", "Der Dollar stieg."]),
    ("Er verdiente 1.000 Euro. Sie mehr.", ["Er verdiente 1.000 Euro.", "Sie mehr."]),
    ("Sicherheit (OVKS). Im Rahmen half er.", ["Sicherheit (OVKS).", "Im Rahmen half er."]),
    ("Das dankte er. [Kremlin pool/EPA/EFE]", ["Das dankte er.", "[Kremlin pool/EPA/EFE]"]),
    ("Es geht… weiter so.", ["Es geht… weiter so."]),
    ("Subscribe to our newsletters", ["Subscribe to our newsletters"]),
    # whitespace: soft line breaks, blank lines, CRLF, tabs, no-break spaces
    ("Er kam\nnach Hause. Dann\nging er.", ["Er kam\nnach Hause.", "Dann\nging er."]),
    ("Titel ohne Punkt\n\nErster Satz.", ["Titel ohne Punkt", "Erster Satz."]),
    ("Titel ohne Punkt\n  \t\nErster Satz.", ["Titel ohne Punkt", "Erster Satz."]),
    ("Satz eins.\r\nSatz zwei.\r\n\r\nDrei", ["Satz eins.", "Satz zwei.", "Drei"]),
    ("  Eins.\tZwei.  \n", ["Eins.", "Zwei."]),
    ("Er sah es.\u00a0Dann ging er.", ["Er sah es.\u00a0Dann ging er."]),
    (
        "Am 10.\u00a0Februar kam er. Dann\u2009ging er.",
        ["Am 10.\u00a0Februar kam er.", "Dann\u2009ging er."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_tricky_cases(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert_well_formed(text, spans)
    assert [text[a:b] for a, b in spans] == expected


# -- protected spans -------------------------------------------------------------------------


def test_protected_span_over_a_boundary_merges_its_sentences() -> None:
    text = "Siehe `foo. Bar` und mehr. Danach."
    code = (text.index("`"), text.rindex("`") + 1)
    assert sentences(text) == ["Siehe `foo.", "Bar` und mehr.", "Danach."]
    assert sentences(text, protected=[code]) == ["Siehe `foo. Bar` und mehr.", "Danach."]


def test_protected_span_merges_across_several_boundaries() -> None:
    text = "Eins. Zwei. Drei. Vier."
    assert sentences(text, protected=[(0, 12)]) == ["Eins. Zwei. Drei.", "Vier."]
    # only the gap's characters count: a span ending or starting at a sentence is harmless
    assert sentences(text, protected=[(0, 5), (6, 11)]) == ["Eins.", "Zwei.", "Drei.", "Vier."]
    # a span holding just the whitespace of a gap still forbids it
    assert sentences(text, protected=[(5, 6)]) == ["Eins. Zwei.", "Drei.", "Vier."]


def test_protected_spans_unsorted_nested_and_empty() -> None:
    text = "Eins. Zwei. Drei. Vier. Fünf."
    protected = [(18, 25), (0, 12), (2, 3), (7, 7), (100, 90)]
    assert sentences(text, protected=protected) == ["Eins. Zwei. Drei.", "Vier. Fünf."]


def test_protected_link_text() -> None:
    text = "Lesen Sie [den Bericht. Teil 2](https://example.org/a. B) hier. Ende."
    link = (text.index("["), text.index(")") + 1)
    assert sentences(text, protected=[link]) == [text[: text.index(" Ende")], "Ende."]


# -- offsets ---------------------------------------------------------------------------------


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t\u00a0\u3000 ") == []


def test_whitespace_table_matches_str_isspace() -> None:
    expected = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" "}
    assert set(segment._WHITESPACE) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aZü1. ,!?„“\u201a\u2018»«()[]\n\t\u00a0…-")), max_size=300
    )
)
def test_any_text_gives_well_formed_spans(text: str) -> None:
    assert_well_formed(text, split_sentences(text))


def test_long_paragraphs_split_as_a_whole_would(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paragraphs longer than the window go through in pieces; the result must not show it.
    text = " ".join(d["text"] for d in load("de_pud_gold.jsonl")[:80])
    assert len(text) > 4 * segment._WINDOW
    windowed = split_sentences(text)
    assert_well_formed(text, windowed)
    monkeypatch.setattr(segment, "_WINDOW", len(text))
    assert windowed == split_sentences(text)


# Tokens and characters that exercise Moses' rules around a gap (quotes, brackets, numbers).
_TOKENS = "Satz. am 10. Februar z. B. Nr. „Ja.“ sagte er. III. Die ? ! … (1. März) Er ab ) “ ( „"
_CHARACTERS = "aBD. ,!?„“\u201a\u2018»«()[]\n\t\u00a0…-0123\"'"


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.lists(
            st.sampled_from([*_TOKENS.split(), "x" * 40 + ".", "\n", "\u00a0"]), max_size=60
        ).map(" ".join),
        st.text(alphabet=_CHARACTERS, max_size=200),
    ),
    st.integers(min_value=1, max_value=40),
)
def test_windows_of_any_size_give_the_same_split(text: str, window: int) -> None:
    whole = split_sentences(text)
    original = segment._WINDOW
    segment._WINDOW = window
    try:
        assert split_sentences(text) == whole
    finally:
        segment._WINDOW = original


def test_huge_paragraph_without_punctuation_is_one_sentence() -> None:
    text = " ".join(f"wort{i}" for i in range(20_000))
    assert split_sentences(text) == [(0, len(text))]


class _Stub:
    def __init__(self, result: list[str]) -> None:
        self.result = result

    def split(self, text: str) -> list[str]:
        return self.result


@pytest.mark.parametrize(
    ("splitter_output", "expected"),
    [
        # a sentence ending inside a word is extended to the word's end
        (["Eins. Zw", "ei. Drei."], ["Eins. Zwei.", "Drei."]),
        # characters changed and whitespace rewritten: grouping by character counts
        (["EINS.\nZWEI.", "DREI."], ["Eins. Zwei.", "Drei."]),
        # text dropped: what is left over joins the last sentence
        (["Eins."], ["Eins. Zwei. Drei."]),
        (["", ""], ["Eins. Zwei. Drei."]),
        # text added: nothing invented
        (["Eins.", "Zwei.", "Drei.", "Vier."], ["Eins.", "Zwei.", "Drei."]),
    ],
)
def test_fallback_alignment_when_the_library_changes(
    monkeypatch: pytest.MonkeyPatch, splitter_output: list[str], expected: list[str]
) -> None:
    monkeypatch.setattr(segment, "_splitter", lambda: _Stub(splitter_output))
    text = "Eins.  Zwei.\nDrei."
    spans = split_sentences(text)
    assert_well_formed(text, spans)
    assert [" ".join(text[a:b].split()) for a, b in spans] == expected


# -- pathological input: these must return, quickly ------------------------------------------

_rng = random.Random(0)
PATHOLOGICAL = {
    "no punctuation": ("wort " * 10_000)[:50_000],
    "no whitespace": "x" * 50_000,
    "only periods": "." * 50_000,
    "periods and spaces": ". " * 25_000,
    "only exclamations": "!" * 50_000,
    "only quotes": "„“»«" * 12_500,
    "only newlines": "\n" * 50_000,
    "only spaces": " " * 50_000,
    "spaced punctuation": "! ? . „ “ ( ) " * 3_500,
    "ordinals": "1. " * 16_000,
    "abbreviations": "z. B. " * 8_000,
    "long word then period": "x" * 50_000 + ". Satz.",
    "random": "".join(_rng.choice("aB. ,!?„“()[]\n\u00a0…-0123") for _ in range(50_000)),
    "lone surrogates": "\ud800 x. Y " * 5_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_returns(text: str) -> None:
    assert_well_formed(text, split_sentences(text))
