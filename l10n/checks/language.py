"""untranslated-german and identical: source-language text left in a translation."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cache

from l10n.checks.prose import FUNCTION_WORDS, WORD, plain, words
from l10n.checks.registry import WARNING, CheckContext, register
from l10n.langid import has_profile, probabilities


@cache
def _detectable(source_lang: str, target_lang: str) -> bool:
    return source_lang != target_lang and has_profile(source_lang) and has_profile(target_lang)


def _judgeable_words(source: str, target: str) -> list[str]:
    """Target words for language detection, without capitalised words copied from the source.

    Names ("Die Welt", "Kassym-Jomart", "Bundestag") legitimately pass through unchanged and
    would make an English sentence look German; lowercase leftovers ("die", "anzuerkennen")
    are the evidence of untranslated text.
    """
    copied = set(words(source))
    return [w for w in words(plain(target)) if not (w[0].isupper() and w in copied)]


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
    target_words = FUNCTION_WORDS.get(ctx.target_lang)
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


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(n)), strict=False))


def _copied_runs(source: str, target: str) -> list[Sequence[str]]:
    """Runs of ≥ 3 consecutive words that the translation copies from the source."""
    src, tgt = words(plain(source)), words(plain(target))
    if not _ngrams(src, _MIN_COPIED_WORDS) & _ngrams(tgt, _MIN_COPIED_WORDS):
        return []  # nearly every translation: no run to look for, and difflib is slow
    matcher = SequenceMatcher(None, src, tgt, autojunk=False)
    return [tgt[b.b:b.b + b.size] for b in matcher.get_matching_blocks()
            if b.size >= _MIN_COPIED_WORDS]


def _reads_as_source(run: Sequence[str], ctx: CheckContext) -> bool:
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


@register("untranslated-german", WARNING)
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


def _reads_as_prose(words: list[str], lang: str) -> bool:
    function_words = FUNCTION_WORDS.get(lang)
    if function_words is None:
        return any(w[0].islower() for w in words)
    return any(w.lower() in function_words for w in words)


@register("identical", WARNING)
def check_identical(source: str, target: str, ctx: CheckContext) -> str | None:
    """The translation is the source text, unchanged."""
    if " ".join(source.split()) != " ".join(target.split()):
        return None
    words = WORD.findall(plain(source))
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
