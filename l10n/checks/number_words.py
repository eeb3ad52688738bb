"""Numbers written as words, for the ``numbers`` check (``twenty-eight`` = 28, ``dritten`` = 3).

Translators spell out small numbers and ordinals as house style asks (``15 Jahre`` →
``fifteen years``, ``13. Jahrhundert`` → ``thirteenth century``), so a digit on one side may
be a word on the other. The parsers return the values a text spells out; the check uses
them only to excuse a digit that has no counterpart, never to demand one.

English is parsed properly (units, tens, ``hundred``, scales, ordinals, ``twenty eight``,
``one hundred and five``, ``three million``). German compounds words freely
(``Achtzehnjährigen``, ``zweimonatigen``), so German number words are found at the start of
any word, which is lenient on purpose: a wrongly excused extra digit costs less than a false
alarm on a correct translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen")
_EN_ORDINAL_UNITS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                     "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
                     "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
                     "nineteenth")
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = {"thousand": 10**3, "thousandth": 10**3, "million": 10**6, "millionth": 10**6,
              "billion": 10**9, "trillion": 10**12}

_EN_SMALL = {w: i for i, w in enumerate(_EN_UNITS)} | {
    w: i for i, w in enumerate(_EN_ORDINAL_UNITS)} | {"dozen": 12}
_EN_TEN_VALUES = {w: 10 * (i + 2) for i, w in enumerate(_EN_TENS)} | {
    w[:-1] + "ieth": 10 * (i + 2) for i, w in enumerate(_EN_TENS)}


class _EnglishNumber:
    """Accumulates one spelled-out English number: total of finished scales + open group."""

    def __init__(self) -> None:
        self.values: set[int] = set()
        self.total, self.group, self.last, self.scale = 0, 0, "", 0

    def flush(self) -> None:
        if self.last:
            self.values.add(self.total + self.group)
        self.total, self.group, self.last, self.scale = 0, 0, "", 0

    def unit(self, value: int) -> None:
        after_tens = self.last == "tens" and value < 10
        if not (after_tens or self.last in ("hundred", "scale")):
            self.flush()
        self.group += value
        self.last = "unit"

    def tens(self, value: int) -> None:
        if self.last not in ("hundred", "scale"):
            self.flush()
        self.group += value
        self.last = "tens"

    def hundred(self) -> None:
        self.group = (self.group or 1) * 100
        self.last = "hundred"

    def scale_word(self, scale: int) -> None:
        if self.scale and scale >= self.scale:  # "three million and five million": two numbers
            group, self.group = self.group, 0
            self.flush()
            self.group, self.last = group, "unit"
        self.total += (self.group or 1) * scale
        self.group, self.last, self.scale = 0, "scale", scale


@lru_cache(maxsize=4096)
def english_values(text: str) -> frozenset[int]:
    """The numbers `text` spells out in English words."""
    number = _EnglishNumber()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _EN_SMALL:
            number.unit(_EN_SMALL[word])
        elif word in _EN_TEN_VALUES:
            number.tens(_EN_TEN_VALUES[word])
        elif word in ("hundred", "hundredth"):
            number.hundred()
        elif word in _EN_SCALES:
            number.scale_word(_EN_SCALES[word])
        elif not (word == "and" and number.last in ("hundred", "scale")):
            number.flush()
    number.flush()
    return frozenset(number.values)


_DE_UNIT = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
            "acht": 8, "neun": 9}
_DE_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
            "siebzig": 70, "achtzig": 80, "neunzig": 90}
_DE_TEENS = {"drei": 13, "vier": 14, "fünf": 15, "sech": 16, "sieb": 17, "acht": 18, "neun": 19}
# Stems, so that ordinals (dritte, siebten, zweiter) and compounds match too.
_DE_WORDS = {"null": 0, "eins": 1, "ein": 1, "erst": 1, "zweit": 2, "dritt": 3, "sieb": 7,
             "zehn": 10, "elf": 11, "zwölf": 12, "dutzend": 12, "hundert": 100,
             "tausend": 1000} | _DE_UNIT
_DE_SCALES = {"tausend": 10**3, "million": 10**6, "millionen": 10**6, "milliarde": 10**9,
              "milliarden": 10**9, "billion": 10**12, "billionen": 10**12}


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that "sieben" wins over "sieb" and "dreißig" is not "drei".
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_UNITS = _alternation(_DE_UNIT)
_DE_NUMBER = re.compile(
    rf"(?<![^\W\d_])(?:"
    rf"(?:(?P<hu>{_UNITS})?hundert(?:(?P<hru>{_UNITS})und)?(?P<hrt>{_alternation(_DE_TENS)})?)"
    rf"|(?:(?P<u>{_UNITS})und)?(?P<t>{_alternation(_DE_TENS)})"
    rf"|(?P<teen>{_alternation(_DE_TEENS)})zehn"
    rf"|(?P<w>{_alternation(_DE_WORDS)})"
    rf")(?:\s+(?P<scale>{_alternation(_DE_SCALES)})\b)?")


def _german_value(m: re.Match[str]) -> int:
    if m.group("w"):
        value = _DE_WORDS[m.group("w")]
    elif m.group("teen"):
        value = _DE_TEENS[m.group("teen")]
    elif m.group("t"):
        value = _DE_TENS[m.group("t")] + _DE_UNIT.get(m.group("u") or "", 0)
    else:
        value = (100 * _DE_UNIT.get(m.group("hu") or "", 1) + _DE_TENS.get(m.group("hrt") or "", 0)
                 + _DE_UNIT.get(m.group("hru") or "", 0))
    if m.group("scale"):
        value *= _DE_SCALES[m.group("scale")]
    return value


@lru_cache(maxsize=4096)
def german_values(text: str) -> frozenset[int]:
    """The numbers `text` may spell out in German words, found at the start of any word."""
    return frozenset(_german_value(m) for m in _DE_NUMBER.finditer(text.lower()))


_PARSERS = {"en": english_values, "de": german_values}


def spelled_values(text: str, lang: str) -> frozenset[int]:
    """Numbers spelled out in `text`; empty for a language without a parser."""
    parser = _PARSERS.get(lang)
    return parser(text) if parser else frozenset()
