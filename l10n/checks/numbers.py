"""numbers: numbers, dates, months, times and decades, normalised so that languages compare."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache

from l10n.checks.number_words import spelled_values
from l10n.checks.prose import plain
from l10n.checks.registry import ERROR, CheckContext, register

_ENGLISH_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                        "August", "September", "October", "November", "December")

# Full month names in calendar order, then abbreviations (only accepted next to a day).
_MONTHS = {
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "en": _ENGLISH_MONTH_NAMES,
}
_MONTH_VARIANTS = {"de": {"Jänner": 1, "Feber": 2}, "en": {}}
_MONTH_ABBREVIATIONS = {
    "de": {"Jan": 1, "Feb": 2, "Mär": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
           "Sept": 9, "Okt": 10, "Nov": 11, "Dez": 12},
    "en": {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
           "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12},
}
_SCALES = {
    "de": {"tsd": 3, "tausend": 3, "mio": 6, "million": 6, "millionen": 6, "mrd": 9,
           "milliarde": 9, "milliarden": 9, "billion": 12, "billionen": 12},
    "en": {"thousand": 3, "million": 6, "millions": 6, "mln": 6, "bn": 9, "billion": 9,
           "billions": 9, "trillion": 12, "trillions": 12},
}
# Thin, no-break and plain spaces group thousands in German and in British style ("10 000").
_SPACE_GROUP = "[\u00a0\u202f\u2009 ]"


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "sept" wins over "sep" and "Millionen" over "Million".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _month_names(lang: str, *, abbreviations: bool) -> dict[str, int]:
    names = {name: i for i, name in enumerate(_MONTHS[lang], start=1)}
    names.update(_MONTH_VARIANTS[lang])
    if abbreviations:
        names.update(_MONTH_ABBREVIATIONS[lang])
    return names


def _month_pattern(lang: str, *, abbreviations: bool) -> str:
    # Case-sensitive on purpose: English "march" and "may" are verbs.
    names = _alternation(_month_names(lang, abbreviations=abbreviations))
    return rf"(?:{names})(?:\.|\b)" if abbreviations else rf"(?:{names})\b"


_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_HOUR = r"(?:[01]?\d|2[0-4])"


def _number_pattern(lang: str) -> str:
    scales = rf"(?:\s*(?i:(?P<scale>{_alternation(_SCALES[lang])}))(?:\.|\b))?"
    if lang == "de":
        body = (rf"\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?!\d)|\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+"
                r"(?!\d)(?:,\d+)?|\d+,\d+|\d+\.\d+(?!\.?\d)|\d+")
    else:
        body = (rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!\d)|\d{{1,3}}(?:{_SPACE_GROUP}\d{{3}})+"
                r"(?!\d)(?:\.\d+)?|\d+\.\d+|\d+(?:st|nd|rd|th)?")
    return rf"(?<!\d)(?P<num>{body}){scales}"


def _date_patterns(lang: str) -> list[str]:
    month = _month_pattern(lang, abbreviations=True)
    year = r"(?:,?\s+(?P<{0}>\d{{4}})\b)?"
    iso = r"(?<!\d)(?P<iy>\d{4})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])(?!\d)"
    if lang == "de":
        return [
            iso,
            rf"(?<!\d)(?P<dd>{_DAY})\.\s*(?P<dm>{month}){year.format('dy')}",
            rf"(?<![\d.])(?P<nd>{_DAY})\.(?P<nm>{_MONTH_NUMBER})\.(?P<ny>\d{{4}}|\d\d)?(?!\d)",
        ]
    return [
        iso,
        rf"\b(?P<em>{month})\s+(?P<ed>{_DAY})(?:st|nd|rd|th)?\b{year.format('ey')}",
        rf"(?<!\d)(?P<fd>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<fm>{month}){year.format('fy')}",
    ]


def _time_pattern(lang: str) -> str:
    colon = rf"(?<![\d.,:])(?P<hh>{_HOUR}):(?P<mm>[0-5]\d)(?![\d:])"
    if lang == "de":
        clock = rf"(?<![\d.,])(?P<th>{_HOUR})(?:[.:](?P<tm>[0-5]\d))?\s*Uhr\b"
    else:
        clock = (rf"(?<![\d.,])(?P<th>{_HOUR})(?:[.:](?P<tm>[0-5]\d))?\s*"
                 r"(?:(?P<ampm>[ap])\.?\s?m\b\.?|o['’]clock\b)")
    return f"{clock}|{colon}"


# Decades: "70er Jahre", "1970ern", "Sechziger" = "1970s", "'70s", "Seventies".
_DECADE_WORDS = {
    "de": {"zwanziger": 20, "dreißiger": 30, "vierziger": 40, "fünfziger": 50, "sechziger": 60,
           "siebziger": 70, "achtziger": 80, "neunziger": 90},
    "en": {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
           "seventies": 70, "eighties": 80, "nineties": 90},
}
_LETTER_AFTER = r"(?![^\W\d_])"


def _decade_pattern(lang: str) -> str:
    words = rf"(?<![^\W\d_])(?i:(?P<decw>{_alternation(_DECADE_WORDS[lang])}))"
    if lang == "de":
        # German compounds: "Sechziger-Jahre-Hit", "Neunzigerjahre".
        return rf"(?<![\d.,])(?P<dec>(?:\d\d)?\d0)er(?:n|s)?{_LETTER_AFTER}|{words}"
    return (rf"(?<![\d.,])['’]?(?P<dec>(?:1\d|20)?\d0)['’]?s{_LETTER_AFTER}|{words}"
            rf"{_LETTER_AFTER}")


@cache
def _token_regex(lang: str) -> re.Pattern[str]:
    """One alternation per language; earlier branches win at the same position."""
    decades = [_decade_pattern(lang)] if lang in _DECADE_WORDS else []
    parts = [*_date_patterns(lang), _time_pattern(lang), *decades, _number_pattern(lang),
             rf"(?P<month>{_month_pattern(lang, abbreviations=False)})"]
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _group(groups: dict[str, str | None], *names: str) -> str | None:
    """The first of `names` that matched (`groups`: a match's groupdict); names absent
    from this language's regex are skipped."""
    return next((groups[n] for n in names if groups.get(n)), None)


def _month_number(lang: str, name: str) -> int | None:
    return _month_names(lang, abbreviations=True).get(name.rstrip("."))


def _date_tokens(groups: dict[str, str | None], lang: str) -> list[str] | None:
    day = _group(groups, "id", "dd", "nd", "ed", "fd")
    if day is None:
        return None
    named = _group(groups, "dm", "em", "fm")
    month = _month_number(lang, named) if named else int(_group(groups, "im", "nm") or 0)
    tokens = [f"date:{month:02d}-{int(day):02d}"]
    year = _group(groups, "iy", "dy", "ny", "ey", "fy")
    if year:
        tokens.append(year if len(year) == 4 else f"{20 if int(year) < 50 else 19}{year}")
    return tokens


def _time_tokens(groups: dict[str, str | None]) -> list[str] | None:
    hour_text = _group(groups, "th", "hh")
    if hour_text is None:
        return None
    hour, minute = int(hour_text), int(_group(groups, "tm", "mm") or 0)
    ampm = _group(groups, "ampm")
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    return [f"time:{hour:02d}:{minute:02d}"]


def _canonical(value: Decimal | str) -> str:
    number = Decimal(value).normalize()
    return format(number, "f")


def _number_token(m: re.Match[str], lang: str) -> str:
    text = re.sub(r"(?:st|nd|rd|th)$", "", m.group("num"))
    decimal_sep, group_sep = (",", ".") if lang == "de" else (".", ",")
    if lang == "de" and re.fullmatch(r"\d+\.\d+", text) and not re.fullmatch(
            r"\d{1,3}(?:\.\d{3})+", text):
        decimal_sep, group_sep = ".", ","  # "Version 3.5": a dotted number, kept as written
    text = re.sub(_SPACE_GROUP, "", text).replace(group_sep, "").replace(decimal_sep, ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    scale = m.group("scale")
    if scale:
        value = value.scaleb(_SCALES[lang][scale.rstrip(".").lower()])
    return _canonical(value)


# Words after which an English "May" is the month; elsewhere it may be the verb or a name
# ("May I…", "Theresa May").
# Words that also precede names ("and May", "after May's speech") are left out.
_MONTH_CONTEXT = re.compile(r"\b(?:in|of|since|until|till|by|from|through|early|late|mid|"
                            r"last|next|during)[\s-]+$", re.IGNORECASE)
OPTIONAL = "?"  # suffix of a token that need not have a counterpart


def _month_token(m: re.Match[str], lang: str, text: str) -> list[str]:
    month = _month_number(lang, m.group("month"))
    if not month:
        return []
    token = f"month:{month:02d}"
    if lang == "en" and m.group("month") == "May" and not _MONTH_CONTEXT.search(
            text[:m.start()]):
        return [token + OPTIONAL]
    return [token]


@cache
def _decade_values(lang: str) -> dict[str, int]:
    """Decade words by their case folding: the pattern that finds them is case-blind, and
    "ſixties" or "DREIẞIGER" is no key of `_DECADE_WORDS`."""
    return {word.casefold(): value for word, value in _DECADE_WORDS[lang].items()}


def _decade_token(groups: dict[str, str | None], lang: str) -> list[str] | None:
    digits, word = _group(groups, "dec"), _group(groups, "decw")
    if digits is None and word is None:
        return None
    value = int(digits) % 100 if digits else _decade_values(lang).get((word or "").casefold())
    return [] if value is None else [f"decade:{value:02d}"]


def _tokens_for(m: re.Match[str], lang: str, text: str) -> list[str]:
    groups = m.groupdict()  # once: it builds a dict of some thirty groups
    tokens = _date_tokens(groups, lang) or _time_tokens(groups) or _decade_token(groups, lang)
    if tokens is not None:
        return tokens
    if _group(groups, "num"):
        return [_number_token(m, lang)]
    if _group(groups, "month"):
        return _month_token(m, lang, text)
    return []


def digit_tokens(text: str) -> Counter[str]:
    """Digit sequences with separators dropped: for languages whose conventions we don't know."""
    return Counter(re.sub(r"[.,\u00a0\u202f\u2009']", "", d) for d in
                   re.findall(r"\d(?:[\d.,\u00a0\u202f\u2009']*\d)?", plain(text)))


def number_tokens(text: str, lang: str) -> Counter[str]:
    """Numbers, dates, months and times in `text`, normalised so that languages compare."""
    if lang not in _MONTHS:
        return digit_tokens(text)
    text = plain(text)
    tokens: Counter[str] = Counter()
    for m in _token_matches(text, lang):
        tokens.update(_tokens_for(m, lang, text))
    return tokens


@cache
def _token_starts(lang: str) -> re.Pattern[str]:
    """Where a token can begin: a digit, a quote ('70s), a month name (anywhere, as the
    month branch has no boundary before it) or a decade word where `_decade_pattern` lets
    one start: a superset of the starts of `_token_regex`. Tried at every character, the
    names cost 0.3 ms a sentence, a quarter of a gate's time; so each match is the one
    character a token starts with, from a class that `re` skips to in C, and the names are
    looked for behind it."""
    months = _month_names(lang, abbreviations=True)
    firsts = {*"'’", *(w[0] for w in months)}
    starts = [r"(?<=[\d'’])", rf"(?<=(?=(?:{_alternation(months)})).)"]
    if lang in _DECADE_WORDS:
        decades = _DECADE_WORDS[lang]
        firsts |= {c for w in decades for c in _case_variants(w[0])}
        starts.append(rf"(?<=(?<![^\W\d_])(?=(?i:{_alternation(decades)})).)")
    letters = "".join(re.escape(c) for c in sorted(firsts))
    return re.compile(rf"[\d{letters}](?:{'|'.join(starts)})")


# Letters that `re` matches case-blind to an ASCII letter besides its upper and lower case.
_OTHER_CASES = {"s": "ſ", "k": "\u212a", "i": "\u0130\u0131"}


def _case_variants(letter: str) -> set[str]:
    lower = letter.lower()
    return {lower, letter.upper(), *_OTHER_CASES.get(lower, "")}


def _token_matches(text: str, lang: str) -> Iterator[re.Match[str]]:
    """What `_token_regex(lang).finditer(text)` finds, leftmost first, without overlaps."""
    tokens, end = _token_regex(lang), 0
    for start in _token_starts(lang).finditer(text):
        if start.start() >= end and (m := tokens.match(text, start.start())):
            end = m.end()
            yield m


def _display(token: str) -> str:
    kind, _, value = token.rstrip(OPTIONAL).partition(":")
    if kind == "date":
        month, day = value.split("-")
        return f"{_ENGLISH_MONTH_NAMES[int(month) - 1]} {int(day)}"
    if kind == "month":
        return _ENGLISH_MONTH_NAMES[int(value) - 1]
    if kind == "time":
        return value
    if kind == "decade":
        return f"the {value}s"
    try:
        number = Decimal(token)
    except InvalidOperation:
        return token
    # Years read better ungrouped ("2010", not "2,010"); big numbers grouped ("1,500,000").
    return format(number, ",f" if abs(number) >= 10000 else "f")


def _cancel(missing: Counter[str], extra: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    return missing - extra, extra - missing


def _drop_optional(unmatched: Counter[str], other: Counter[str]) -> None:
    """Optional tokens ("May") of `unmatched` cancel what `other` needs; the rest vanish."""
    for token in [t for t in unmatched if t.endswith(OPTIONAL)]:
        needed = token.rstrip(OPTIONAL)
        other[needed] -= min(unmatched.pop(token), other[needed])


def _split_date(token: str) -> list[str]:
    """A date as its day and month: "vom 4. bis zum 14. Oktober" = "October 4 to 14"."""
    if not token.startswith("date:"):
        return [token]
    month, day = token[5:].split("-")
    return [str(int(day)), f"month:{month}"]


def _split_dates(tokens: Counter[str]) -> Counter[str]:
    return Counter(part for token in tokens.elements() for part in _split_date(token))


def _split_if_it_helps(missing: Counter[str], extra: Counter[str]
                       ) -> tuple[Counter[str], Counter[str]]:
    """Dates split into day and month where that explains differences; whole otherwise, so
    that a wrong day still reads "missing February 10; unexpected February 11"."""
    split_missing, split_extra = _cancel(_split_dates(missing), _split_dates(extra))
    if sum(split_missing.values()) + sum(split_extra.values()) < sum(missing.values()) + sum(
            extra.values()):
        return split_missing, split_extra
    return missing, extra


def _time_readings(token: str) -> list[list[str]]:
    """Other ways a translation writes a clock time or a score: 22.00, 10.30, 15-13."""
    if not token.startswith("time:"):
        return []
    hour, minute = map(int, token[5:].split(":"))
    readings = [[_canonical(f"{h}.{minute:02d}")] for h in {hour, hour % 12 or 12}]
    return [*readings, [str(hour), str(minute)]]


def _match_readings(unmatched: Counter[str], other: Counter[str]) -> None:
    """Cancel tokens of `unmatched` against another reading of them found in `other`."""
    for token in list(unmatched.elements()):
        for reading in _time_readings(token):
            wanted = Counter(reading)
            if all(other[t] >= n for t, n in wanted.items()):
                other.subtract(wanted)
                unmatched[token] -= 1
                break


def _spelled(token: str, values: frozenset[int]) -> bool:
    try:
        number = Decimal(token)
    except InvalidOperation:
        return False
    return number == number.to_integral_value() and int(number) in values


def number_differences(source: str, target: str, ctx: CheckContext
                       ) -> tuple[list[str], list[str]]:
    """(missing, unexpected) number tokens of `target` against `source`.

    Tokens are compared exactly first; what is left is reconciled in steps, each allowing a
    way translators legitimately rewrite numbers: an optional English "May"; dates split
    into day and month; clock times and scores in another notation; numbers spelled out.
    """
    if ctx.source_lang in _MONTHS and ctx.target_lang in _MONTHS:
        src, tgt = number_tokens(source, ctx.source_lang), number_tokens(target, ctx.target_lang)
    else:
        src, tgt = digit_tokens(source), digit_tokens(target)
    if src == tgt:
        return [], []
    missing, extra = _cancel(src, tgt)
    _drop_optional(extra, missing)
    _drop_optional(missing, extra)
    missing, extra = _split_if_it_helps(+missing, +extra)
    _match_readings(missing, extra)
    _match_readings(extra, missing)
    target_words = spelled_values(plain(target), ctx.target_lang)
    source_words = spelled_values(plain(source), ctx.source_lang)
    lost = [t for t in (+missing).elements() if not _spelled(t, target_words)]
    added = [t for t in (+extra).elements() if not _spelled(t, source_words)]
    return lost, added


# A decimal comma in English ("3,5", "6,30"): never an English number, whatever it matches.
_DECIMAL_COMMA = {"en": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])")}


@register("numbers", ERROR)
def check_numbers(source: str, target: str, ctx: CheckContext) -> str | None:
    """Numbers, dates and months differ between source and translation."""
    lost, added = number_differences(source, target, ctx)
    parts = []
    comma = _DECIMAL_COMMA.get(ctx.target_lang)
    found = comma.findall(plain(target)) if comma else []
    if found:
        parts.append(f"decimal comma in {', '.join(found)}, not {ctx.target_lang} style")
    if lost:
        parts.append("missing " + ", ".join(_display(t) for t in lost))
    if added:
        parts.append("unexpected " + ", ".join(_display(t) for t in added))
    return "numbers differ: " + "; ".join(parts) if parts else None
