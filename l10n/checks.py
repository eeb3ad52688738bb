"""QA checks on translated entries: small named functions with a severity.

Each check is ``(source, target, ctx) -> message | None`` and is registered under a name
with a default severity. `run_checks` runs them all on one entry and returns `Problem`s;
checks never raise. A check can be switched off for a whole project (the caller passes
``disabled``, e.g. from config) or for one entry with a translator comment::

    # l10n-qa: ignore=numbers,length-ratio

(a translator comment, not a ``#,`` flag: GNU gettext tools drop unknown flags when they
rewrite a PO file, comments survive). ``ignore=all`` switches every check off.

=====================  ========  ============================================================
check                  severity  flags
=====================  ========  ============================================================
numbers                error     numbers, dates, months, times, decades differ after
                                 German→English normalisation (3,5 = 3.5; 1.500 = 1,500 =
                                 1 500; 10. Februar = February 10 = 10 February; 1,5 Mrd. =
                                 1.5 billion; 14.30 Uhr = 2:30 p.m. = 14.30; 15:13 = 15-13;
                                 70er Jahre = 1970s); a decimal comma left in English
quotes                 error     the translation has more unpaired double quotation marks than
                                 the source (a closing quote lost); German-style marks („ ‚ »
                                 «) left in an English translation. Quotes added, dropped or
                                 made single (house style) pass
brackets               error     the translation's brackets are unbalanced where the source's
                                 are balanced; the count of [ ] { } differs. Round brackets may
                                 be added (a gloss) or rewritten as commas
untranslated-german    warning   the translation reads as the source language (langdetect,
                                 seeded, source and target profiles only, on the target's
                                 words less capitalised words copied from the source; ≥ 5
                                 such words and 20 letters), or a clause of ≥ 3 words is
                                 copied from the source with its function words
identical              warning   translation equals the source: ≥ 3 words with a source-language
                                 function word, or a lowercase word and langdetect sure it is
                                 the source language (names, credits, boilerplate may stay)
repetition             warning   a word or phrase of ≤ 4 words doubled with only a space
                                 between ("the the"), a word or phrase repeated back to back
                                 ≥ 3 times, a phrase of ≥ 3 words twice in a row, or a 6-word
                                 phrase occurring twice, unless the source repeats itself
length-ratio           warning   len(target) / len(source) outside [0.5, 1.7] (sources of
                                 ≥ 20 characters only)
markup                 error     Markdown emphasis markers, inline code spans, HTML tags,
                                 link targets (so also the number of links) and URLs not
                                 preserved
glossary               error     a glossary source term occurs more often than its target
                                 terms (not at all, or once for two occurrences)
whitespace             warning   leading/trailing whitespace differs; double spaces added
end-punctuation        warning   final . ! ? : ; … differs (closing quotes and brackets ignored)
=====================  ========  ============================================================

Severities follow precision measured on professional translations (`bench/qa_precision.py`
on UD German PUD): a check that fires on more than 1% of correct entries is a warning.

Numbers written as words (`l10n.number_words`) excuse a digit without counterpart
(``28`` ↔ ``twenty-eight``, ``13.`` ↔ ``thirteenth``, ``zweimonatig`` ↔ ``2``). An English
``May`` is the month only after words such as "in" or "since"; elsewhere ("May I…",
"Theresa May") it counts only if the source has a May to match.
"""

# Typographic quotes, dashes and guillemets are this module's subject matter, not typos.

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import cache, lru_cache

from l10n.errors import ConfigError
from l10n.glossary import Glossary, GlossaryEntry
from l10n.langcodes import base_language
from l10n.langid import has_profile, probabilities
from l10n.number_words import spelled_values

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Problem:
    check: str
    severity: str  # "error" | "warning"
    message: str


@dataclass(frozen=True)
class CheckContext:
    source_lang: str = "de"
    target_lang: str = "en"
    glossary: Glossary | None = None
    min_length_ratio: float = 0.5
    max_length_ratio: float = 1.7
    length_ratio_min_chars: int = 20  # shorter sources vary too much to judge
    # Below this langdetect guesses: with 4 words, "blankets are being delivered" read as German.
    detect_min_words: int = 5
    detect_min_letters: int = 20
    identical_min_words: int = 3

    def __post_init__(self) -> None:
        # Checks know languages, not locales: a PO "Language: en_GB" gets English rules.
        object.__setattr__(self, "source_lang", base_language(self.source_lang))
        object.__setattr__(self, "target_lang", base_language(self.target_lang))


CheckFunc = Callable[[str, str, CheckContext], "str | None"]


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    func: CheckFunc
    summary: str


CHECKS: dict[str, Check] = {}


def _register(name: str, severity: str) -> Callable[[CheckFunc], CheckFunc]:
    def decorate(func: CheckFunc) -> CheckFunc:
        summary = (func.__doc__ or "").strip().partition("\n")[0]
        CHECKS[name] = Check(name=name, severity=severity, func=func, summary=summary)
        return func

    return decorate


def check_names() -> tuple[str, ...]:
    return tuple(CHECKS)


def validate_selection(names: Iterable[str] = (), severities: Mapping[str, str] | None = None,
                       ) -> None:
    """Raise `ConfigError` for unknown check names or severities (for config validation)."""
    known = ", ".join(CHECKS)
    for name in [*names, *(severities or {})]:
        if name not in CHECKS and name != "all":
            raise ConfigError(f"unknown QA check {name!r}", hint=f"known checks: {known}")
    for name, severity in (severities or {}).items():
        if severity not in SEVERITIES:
            raise ConfigError(f"severity of {name!r} must be 'error' or 'warning', not "
                              f"{severity!r}")


def run_checks(source: str, target: str, *, context: CheckContext,
               disabled: Collection[str] = (),
               severities: Mapping[str, str] | None = None) -> list[Problem]:
    """Run every enabled check on one entry. An empty target (untranslated) is not checked."""
    if not target or "all" in disabled:
        return []
    problems = []
    for check in CHECKS.values():
        if check.name in disabled:
            continue
        message = check.func(source, target, context)
        if message is not None:
            severity = (severities or {}).get(check.name, check.severity)
            problems.append(Problem(check=check.name, severity=severity, message=message))
    return problems


# Names are a comma-separated list; anything after it on the line is the translator's reason.
_QA_COMMENT = re.compile(r"^\s*#?\s*l10n-qa\s*:\s*ignore\s*=\s*([\w-]+(?:\s*,\s*[\w-]+)*)",
                         re.MULTILINE)


def disabled_by_comment(comments: str) -> set[str]:
    """Checks switched off by ``l10n-qa: ignore=a,b`` lines in a translator comment.

    ``all`` expands to every check. Unknown names are kept so the caller can report them
    (`validate_selection`).
    """
    names: set[str] = set()
    for match in _QA_COMMENT.finditer(comments or ""):
        names.update(n.strip() for n in match.group(1).split(","))
    if "all" in names:
        names.discard("all")
        names.update(CHECKS)
    return names


# ---------------------------------------------------------------- text preparation

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\))?)>?"
                   r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LINK = re.compile(r"(?<!\])\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\[([^\[\]]*)\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>")
_BARE_URL = re.compile(r"(?<![<(\w/.:])(?:https?://|www\.)[^\s<>()\"“”]*[^\s<>()\"“”.,;:!?'’]")
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b[^<>]*>")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD_OR_NUMBER = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """`text` without code spans, link targets and URLs: what a reader reads as prose."""
    text = _CODE_SPAN.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(2), text)
    text = _AUTOLINK.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    return _HTML_TAG.sub(" ", text)


# ---------------------------------------------------------------- numbers

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


def _group(m: re.Match[str], *names: str) -> str | None:
    """The first of `names` that matched; names absent from this language's regex are skipped."""
    groups = m.groupdict()
    return next((groups[n] for n in names if groups.get(n)), None)


def _month_number(lang: str, name: str) -> int | None:
    return _month_names(lang, abbreviations=True).get(name.rstrip("."))


def _date_tokens(m: re.Match[str], lang: str) -> list[str] | None:
    day = _group(m, "id", "dd", "nd", "ed", "fd")
    if day is None:
        return None
    named = _group(m, "dm", "em", "fm")
    month = _month_number(lang, named) if named else int(_group(m, "im", "nm") or 0)
    tokens = [f"date:{month:02d}-{int(day):02d}"]
    year = _group(m, "iy", "dy", "ny", "ey", "fy")
    if year:
        tokens.append(year if len(year) == 4 else f"{20 if int(year) < 50 else 19}{year}")
    return tokens


def _time_tokens(m: re.Match[str]) -> list[str] | None:
    hour_text = _group(m, "th", "hh")
    if hour_text is None:
        return None
    hour, minute = int(hour_text), int(_group(m, "tm", "mm") or 0)
    ampm = _group(m, "ampm")
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


def _decade_token(m: re.Match[str], lang: str) -> list[str] | None:
    digits, word = _group(m, "dec"), _group(m, "decw")
    if digits is None and word is None:
        return None
    value = int(digits) % 100 if digits else _DECADE_WORDS[lang][(word or "").lower()]
    return [f"decade:{value:02d}"]


def _tokens_for(m: re.Match[str], lang: str, text: str) -> list[str]:
    tokens = _date_tokens(m, lang) or _time_tokens(m) or _decade_token(m, lang)
    if tokens is not None:
        return tokens
    if _group(m, "num"):
        return [_number_token(m, lang)]
    if _group(m, "month"):
        return _month_token(m, lang, text)
    return []


def digit_tokens(text: str) -> Counter[str]:
    """Digit sequences with separators dropped: for languages whose conventions we don't know."""
    return Counter(re.sub(r"[.,\u00a0\u202f\u2009']", "", d) for d in
                   re.findall(r"\d(?:[\d.,\u00a0\u202f\u2009']*\d)?", _plain(text)))


def number_tokens(text: str, lang: str) -> Counter[str]:
    """Numbers, dates, months and times in `text`, normalised so that languages compare."""
    if lang not in _MONTHS:
        return digit_tokens(text)
    text = _plain(text)
    tokens: Counter[str] = Counter()
    for m in _token_regex(lang).finditer(text):
        tokens.update(_tokens_for(m, lang, text))
    return tokens


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
    target_words = spelled_values(_plain(target), ctx.target_lang)
    source_words = spelled_values(_plain(source), ctx.source_lang)
    lost = [t for t in (+missing).elements() if not _spelled(t, target_words)]
    added = [t for t in (+extra).elements() if not _spelled(t, source_words)]
    return lost, added


# A decimal comma in English ("3,5", "6,30"): never an English number, whatever it matches.
_DECIMAL_COMMA = {"en": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])")}


@_register("numbers", ERROR)
def check_numbers(source: str, target: str, ctx: CheckContext) -> str | None:
    """Numbers, dates and months differ between source and translation."""
    lost, added = number_differences(source, target, ctx)
    parts = []
    comma = _DECIMAL_COMMA.get(ctx.target_lang)
    found = comma.findall(_plain(target)) if comma else []
    if found:
        parts.append(f"decimal comma in {', '.join(found)}, not {ctx.target_lang} style")
    if lost:
        parts.append("missing " + ", ".join(_display(t) for t in lost))
    if added:
        parts.append("unexpected " + ", ".join(_display(t) for t in added))
    return "numbers differ: " + "; ".join(parts) if parts else None


# ---------------------------------------------------------------- quotes and brackets

_FOREIGN_QUOTES = {"en": "„‚»«›‹"}


def _double_quote_imbalance(text: str) -> int:
    """How many double quotation marks of `text` have no partner.

    German opens with „ and closes with “ (or ”); English opens with “ and closes with ”;
    guillemets pair » with « either way round; straight quotes pair with each other. A
    segment may legitimately close a quotation opened in an earlier paragraph, so only the
    count of unpaired marks is compared, not their direction.
    """
    text = _plain(text)
    low = text.count("„")
    if low:
        curly = abs(low - text.count("“") - text.count("”"))
    else:
        curly = abs(text.count("“") - text.count("”"))
    guillemets = abs(text.count("»") - text.count("«"))
    return curly + guillemets + text.count('"') % 2


@_register("quotes", ERROR)
def check_quotes(source: str, target: str, ctx: CheckContext) -> str | None:
    """Quotation marks are left unclosed, or use the source language's style.

    Adding or dropping a pair is house style (British single quotes, titles without
    quotes), so the check compares unpaired marks: a translation with more of them than its
    source has lost a closing (or opening) quote.
    """
    issues = []
    src, tgt = _double_quote_imbalance(source), _double_quote_imbalance(target)
    if tgt > src:
        issues.append(f"{tgt} unpaired double quotation mark(s) in the translation, {src} in "
                      "the source")
    foreign = sorted({q for q in _FOREIGN_QUOTES.get(ctx.target_lang, "") if q in _plain(target)})
    if foreign:
        issues.append(f"quotation marks {' '.join(foreign)} are not {ctx.target_lang} style")
    return "; ".join(issues) or None


_BRACKET_PAIRS = ("()", "[]", "{}")


def _balanced(text: str) -> bool:
    stack: list[str] = []
    closers = {pair[1]: pair[0] for pair in _BRACKET_PAIRS}
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in closers and (not stack or stack.pop() != closers[ch]):
            return False
    return not stack


# Square brackets and braces carry structure (credits, bylines, editorial insertions,
# placeholders) and must be kept; round ones are prose that translators may rewrite.
_STRUCTURAL_BRACKETS = "[]{}"


@_register("brackets", ERROR)
def check_brackets(source: str, target: str, ctx: CheckContext) -> str | None:
    """Brackets are left unclosed, or square brackets and braces are not kept.

    Round brackets may come and go: "Poole (Dorset)" → "Poole, Dorset", a translator's
    gloss "Securities and Exchange Commission (SEC)".
    """
    diffs = [f"{ch} {source.count(ch)}→{target.count(ch)}" for ch in _STRUCTURAL_BRACKETS
             if source.count(ch) != target.count(ch)]
    if diffs:
        return "brackets differ (source→translation): " + ", ".join(diffs)
    if _balanced(source) and not _balanced(target):
        return "brackets are unbalanced in the translation"
    return None


# ---------------------------------------------------------------- language detection


@cache
def _detectable(source_lang: str, target_lang: str) -> bool:
    return source_lang != target_lang and has_profile(source_lang) and has_profile(target_lang)


def _judgeable_words(source: str, target: str) -> list[str]:
    """Target words for language detection, without capitalised words copied from the source.

    Names ("Die Welt", "Kassym-Jomart", "Bundestag") legitimately pass through unchanged and
    would make an English sentence look German; lowercase leftovers ("die", "anzuerkennen")
    are the evidence of untranslated text.
    """
    copied = set(_WORD.findall(source))
    return [w for w in _WORD.findall(_plain(target)) if not (w[0].isupper() and w in copied)]


def source_language_probability(words: list[str], ctx: CheckContext) -> float | None:
    """P(words are in the source rather than the target language), None if it can't be judged."""
    if len(words) < ctx.detect_min_words or sum(map(len, words)) < ctx.detect_min_letters:
        return None
    if not _detectable(ctx.source_lang, ctx.target_lang):
        return None
    if _plainly_target(words, ctx):
        return 0.0
    found = probabilities(" ".join(words), langs=(ctx.source_lang, ctx.target_lang))
    if not found:
        return None  # no n-gram known to either profile
    return found.get(ctx.source_lang, 0.0)


def _plainly_target(words: list[str], ctx: CheckContext) -> bool:
    """Target-language prose beyond doubt: several of its function words and not one word
    that only the source language has. Most correct translations are, and langdetect (a
    millisecond per entry, most of a gate's time) is then not asked."""
    target_words = _FUNCTION_WORDS.get(ctx.target_lang)
    markers = _SOURCE_ONLY_WORDS.get((ctx.source_lang, ctx.target_lang))
    if target_words is None or markers is None:
        return False
    lowered = [w.lower() for w in words]
    return sum(w in target_words for w in lowered) >= 3 and not any(w in markers
                                                                    for w in lowered)


# Lowercase German words that mark a clause as German and are no English words ("die",
# "was", "also", "will" are left out), for spotting German copied into a translation.
# Keyed by language pair: Dutch, for one, has "er", "als" and "over" too.
_SOURCE_ONLY_WORDS = {
    ("de", "en"): frozenset({
        "der", "das", "den", "dem", "des", "und", "oder", "aber", "ist", "sind", "wird",
        "werden", "wurde", "wurden", "hat", "haben", "hatte", "nicht", "mit", "von", "vom",
        "zu", "zum", "zur", "für", "auf", "im", "bei", "nach", "aus", "sich", "dass", "ein",
        "eine", "einen", "einem", "einer", "eines", "es", "er", "sie", "wir", "ihr", "auch",
        "als", "wie", "noch", "nur", "über", "unter", "durch", "gegen", "ohne", "wenn", "weil",
        "schon", "sehr", "mehr", "kein", "keine", "sein", "seine", "seiner", "ihre", "ihrer",
        "diese", "dieser", "dieses", "kann", "können", "muss", "soll", "wieder", "jetzt",
        "immer", "zwischen", "waren", "seit", "bis", "doch", "dann",
    }),
}
_MIN_COPIED_WORDS = 3


def _copied_runs(source: str, target: str) -> list[list[str]]:
    """Runs of ≥ 3 consecutive words that the translation copies from the source."""
    src, tgt = _WORD.findall(_plain(source)), _WORD.findall(_plain(target))
    matcher = SequenceMatcher(None, src, tgt, autojunk=False)
    return [tgt[b.b:b.b + b.size] for b in matcher.get_matching_blocks()
            if b.size >= _MIN_COPIED_WORDS]


def _reads_as_source(run: list[str], ctx: CheckContext) -> bool:
    """A copied run is source-language prose, not a name or a title kept as it is.

    With the source's function words ("die Annexion der Krim anzuerkennen"): two of them, or
    one in four words or more. Without: two lowercase words (names are capitalised) that
    langdetect, asked only about the two languages, takes for the source language.
    Copied names and titles ("University of North Carolina", "Alternative für Deutschland")
    pass both tests; a longer German name ("Bund für Umwelt und Naturschutz") does not, as
    German capitalises its nouns and a name cannot be told from a clause."""
    markers = _SOURCE_ONLY_WORDS.get((ctx.source_lang, ctx.target_lang), frozenset())
    found = sum(w in markers for w in run)
    if found >= 2 or (found and len(run) > _MIN_COPIED_WORDS):
        return True
    if sum(w[0].islower() for w in run) < 2 or not _detectable(ctx.source_lang, ctx.target_lang):
        return False
    guess = probabilities(" ".join(run), langs=(ctx.source_lang, ctx.target_lang))
    return guess.get(ctx.source_lang, 0.0) >= _COPIED_MIN_PROBABILITY


_COPIED_MIN_PROBABILITY = 0.9


def _copied_clause(source: str, target: str, ctx: CheckContext) -> str | None:
    """A clause of the source copied into the translation, word for word."""
    for run in _copied_runs(source, target):
        if _reads_as_source(run, ctx):
            return " ".join(run)
    return None


@_register("untranslated-german", WARNING)
def check_untranslated(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation, or part of it, is still in the source language."""
    probability = source_language_probability(_judgeable_words(source, target), ctx)
    if probability is not None and probability >= 0.5:
        return (f"translation looks like {ctx.source_lang!r}, not {ctx.target_lang!r} "
                f"(p={probability:.2f})")
    # A translation identical to its source is the identical check's finding.
    copied = _copied_clause(source, target, ctx) if source.strip() != target.strip() else None
    if copied:
        return f"{ctx.source_lang!r} text left in the translation: “{copied}”"
    return None


# ---------------------------------------------------------------- identical, repetition, length


# Function words that mark running prose in a language; names, credits and boilerplate
# in another language ("Subscribe to our newsletters") contain none of them.
_FUNCTION_WORDS = {
    "de": frozenset({
        "der", "die", "das", "den", "dem", "des", "und", "oder", "aber", "ist", "sind", "war",
        "wird", "werden", "wurde", "hat", "haben", "nicht", "mit", "von", "vom", "zu", "zum",
        "zur", "für", "auf", "im", "bei", "nach", "aus", "sich", "dass", "ein", "eine", "einen",
        "einem", "einer", "es", "er", "sie", "wir", "auch", "als", "wie", "noch",
    }),
    "en": frozenset({
        "the", "and", "or", "but", "is", "are", "was", "were", "will", "has", "have", "not",
        "with", "of", "to", "for", "on", "at", "by", "from", "that", "this", "it", "he", "she",
        "we", "also", "as",
    }),
}


def _reads_as_prose(words: list[str], lang: str) -> bool:
    function_words = _FUNCTION_WORDS.get(lang)
    if function_words is None:
        return any(w[0].islower() for w in words)
    return any(w.lower() in function_words for w in words)


@_register("identical", WARNING)
def check_identical(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation is the source text, unchanged."""
    if " ".join(source.split()) != " ".join(target.split()):
        return None
    words = _WORD.findall(_plain(source))
    # Names, acronyms and credits ("Amanat", "[Kremlin pool/EPA/EFE]") may stay as they are.
    if len(words) >= ctx.identical_min_words and _reads_as_prose(words, ctx.source_lang):
        return "translation is identical to the source"
    if len(words) >= 2 and _looks_like_source_text(words, ctx):
        return "translation is identical to the source"
    return None


_IDENTICAL_MIN_PROBABILITY = 0.99


def _looks_like_source_text(words: list[str], ctx: CheckContext) -> bool:
    """A short text without function words that is still source-language prose: a
    headline ("Tokajew verurteilt Krieg"), a question ("Funktioniert Staffel 2 bisher?").
    It needs a lowercase word, as names and credits rarely have one."""
    if not any(w[0].islower() for w in words) or not _detectable(ctx.source_lang,
                                                                ctx.target_lang):
        return False
    guess = probabilities(" ".join(words), langs=(ctx.source_lang, ctx.target_lang))
    return guess.get(ctx.source_lang, 0.0) >= _IDENTICAL_MIN_PROBABILITY


def _consecutive_repeat(words: list[str], max_n: int = 8) -> tuple[int, int, int]:
    """(n, times, start) of the longest back-to-back repetition of an n-gram; times 1 if none."""
    best = (1, 1, 0)
    for n in range(1, min(max_n, len(words) // 2) + 1):
        for start in range(len(words) - 2 * n + 1):
            times = 1
            while words[start:start + n] == words[start + times * n:start + (times + 1) * n]:
                times += 1
            if times > best[1] or (times == best[1] > 1 and n > best[0]):
                best = (n, times, start)
    return best


def _is_loop(n: int, times: int) -> bool:
    return times >= 3 or (times >= 2 and n >= 3)


def _repeated_phrase(words: list[str], n: int) -> int | None:
    """Start of the first n-gram that occurs again later without overlapping, or None."""
    seen: dict[tuple[str, ...], int] = {}
    for start in range(len(words) - n + 1):
        gram = tuple(words[start:start + n])
        if gram in seen and start - seen[gram] >= n:
            return seen[gram]
        seen.setdefault(gram, start)
    return None


def _words_lower(text: str) -> list[str]:
    return [w.lower() for w in _WORD_OR_NUMBER.findall(_plain(text))]


_PUNCTUATION = "\"'“”„‘’‚«»()[]{}.,;:!?…–—-*_"
# Words that legitimately stand twice in a row: English "what he had had", German
# relative pronouns after articles ("Länder, die die Währung…").
_DOUBLES_ALLOWED = {"en": frozenset({"had"}),
                    "de": frozenset({"die", "der", "das", "den", "dem", "des", "sie", "was"})}
_MAX_DOUBLED = 4  # words in a doubled phrase


def _doubled(text: str, allowed: frozenset[str]) -> str | None:
    """A word or phrase written twice with only a space between ("In the the end")."""
    tokens = _plain(text).split()
    lower = [t.strip(_PUNCTUATION).lower() for t in tokens]
    for n in range(1, _MAX_DOUBLED + 1):
        for i in range(len(tokens) - 2 * n + 1):
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


@_register("repetition", WARNING)
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


@_register("length-ratio", WARNING)
def check_length_ratio(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation is much shorter or longer than the source."""
    src, tgt = len(_plain(source).strip()), len(_plain(target).strip())
    if src < ctx.length_ratio_min_chars:
        return None
    ratio = tgt / src
    if ctx.min_length_ratio <= ratio <= ctx.max_length_ratio:
        return None
    return (f"translation is {ratio:.2f}× the source length (expected "
            f"{ctx.min_length_ratio:g}–{ctx.max_length_ratio:g})")


# ---------------------------------------------------------------- markup

_EMPHASIS_RUN = re.compile(r"\*+|_+|~~")
_MARKUP_HINT = re.compile(r"[*_~`\[<]|://|www\.")


def _emphasis_markers(text: str) -> Counter[str]:
    """Emphasis delimiter runs that can open or close (CommonMark's flanking, simplified)."""
    markers: Counter[str] = Counter()
    for m in _EMPHASIS_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isspace() and after.isspace():
            continue  # "5 * 3", a lone asterisk
        if m.group().startswith("_") and before.isalnum() and after.isalnum():
            continue  # snake_case: intraword underscores are not emphasis
        markers[m.group()] += 1
    return markers


def _markup(text: str) -> dict[str, Counter[str]]:
    no_code = _CODE_SPAN.sub(" ", text)
    links = _LINK.findall(no_code)
    # Link targets are compared whole; the URL pattern must not find them a second time.
    prose = _AUTOLINK.sub(" ", _LINK.sub(lambda m: m.group(2), no_code))
    return {
        "code span": Counter(m.group(2) for m in _CODE_SPAN.finditer(text)),
        "link target": Counter(f"{bang}({url})" for bang, _, url in links)
        + Counter(f"[{ref}]" for _, ref in _REF_LINK.findall(no_code) if ref),
        "URL": Counter(_AUTOLINK.findall(no_code) + _BARE_URL.findall(prose)),
        "HTML tag": Counter(m.group(0).split()[0].rstrip(">").lower() + ">"
                            for m in _HTML_TAG.finditer(prose)),
        "emphasis": _emphasis_markers(_plain(text)),
    }


def _markup_diff(kind: str, src: Counter[str], tgt: Counter[str]) -> list[str]:
    if kind == "emphasis":
        return [f"{kind} {item!r}: {src[item]}→{tgt[item]}" for item in sorted(src | tgt)
                if src[item] != tgt[item]]
    issues = [f"{kind} {item} missing" for item in (src - tgt).elements()]
    return issues + [f"{kind} {item} added" for item in (tgt - src).elements()]


@_register("markup", ERROR)
def check_markup(source: str, target: str, ctx: CheckContext) -> str | None:
    """Inline markup, code spans or link targets are not preserved."""
    if not (_MARKUP_HINT.search(source) or _MARKUP_HINT.search(target)):
        return None  # the common case: prose without any markup
    src, tgt = _markup(source), _markup(target)
    issues = [issue for kind in src for issue in _markup_diff(kind, src[kind], tgt[kind])]
    return "; ".join(issues) or None


# ---------------------------------------------------------------- glossary, whitespace


@_register("glossary", ERROR)
def check_glossary(source: str, target: str, ctx: CheckContext) -> str | None:
    """A glossary term in the source is not translated as the glossary says."""
    if ctx.glossary is None:
        return None
    # Link targets and URLs are not prose: a term in a link is the markup check's business.
    return "; ".join(_glossary_message(*found) for found in
                     ctx.glossary.undercounted(_plain(source), _plain(target))) or None


def _glossary_message(entry: GlossaryEntry, wanted: int, got: int) -> str:
    message = f"{entry.source!r} should be translated as " + " or ".join(map(repr, entry.targets))
    if got:
        message += f" ({wanted} times in the source, {got} in the translation)"
    return message


def _edges(text: str) -> tuple[str, str]:
    body = text.strip()
    if not body:
        return text, ""
    start = text.index(body)
    return text[:start], text[start + len(body):]


@_register("whitespace", WARNING)
def check_whitespace(source: str, target: str, ctx: CheckContext) -> str | None:
    """Leading or trailing whitespace differs, or double spaces were added."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(source), _edges(target)
    issues = []
    if src_lead != tgt_lead:
        issues.append(f"leading whitespace {src_lead!r} in the source, {tgt_lead!r} in the "
                      "translation")
    if src_trail != tgt_trail:
        issues.append(f"trailing whitespace {src_trail!r} in the source, {tgt_trail!r} in the "
                      "translation")
    if "  " in target.strip() and "  " not in source.strip():
        issues.append("double space in the translation")
    return "; ".join(issues) or None


_END_PUNCTUATION = ".!?:;…"
_CLOSERS = "\"'“”‘’»«›‹)]}*_` \t\n"


def _end_mark(text: str) -> str:
    """The sentence-final punctuation, looking through closing quotes, brackets, emphasis."""
    body = text.rstrip(_CLOSERS)
    if body.endswith("..."):
        return "…"
    return body[-1] if body and body[-1] in _END_PUNCTUATION else ""


@_register("end-punctuation", WARNING)
def check_end_punctuation(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation ends with different punctuation than the source."""
    src, tgt = _end_mark(source), _end_mark(target)
    if src == tgt:
        return None
    describe = {"": "no end punctuation"}
    return (f"source ends with {describe.get(src, repr(src))}, translation with "
            f"{describe.get(tgt, repr(tgt))}")
