"""QA checks on translated entries: small named functions with a severity.

One module per subject (numbers, punctuation, language, text, markup, glossary, edges), each
registering its checks with `registry.register`; they are imported here in the order the
checks run and are reported.

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
markup                 error     Markdown emphasis markers, inline code spans, link targets
                                 (so also the number of links), URLs, or HTML elements with
                                 their attributes not preserved; text attributes (alt,
                                 title, aria-label, placeholder) may differ, character
                                 references are spelling (&amp; = &)
glossary               error     a glossary source term occurs more often than its target
                                 terms (not at all, or once for two occurrences)
whitespace             warning   leading/trailing whitespace differs; double spaces added
end-punctuation        warning   final . ! ? : ; … differs (closing quotes and brackets ignored)
=====================  ========  ============================================================

Severities follow precision measured on professional translations (`bench/qa_precision.py`
on UD German PUD): a check that fires on more than 1% of correct entries is a warning.

Numbers written as words (`l10n.checks.number_words`) excuse a digit without counterpart
(``28`` ↔ ``twenty-eight``, ``13.`` ↔ ``thirteenth``, ``zweimonatig`` ↔ ``2``). An English
``May`` is the month only after words such as "in" or "since"; elsewhere ("May I…",
"Theresa May") it counts only if the source has a May to match.
"""

from __future__ import annotations

from l10n.checks.registry import (
    CHECKS,
    ERROR,
    SEVERITIES,
    WARNING,
    Check,
    CheckContext,
    Problem,
    check_names,
    disabled_by_comment,
    run_checks,
    validate_selection,
)

# Registration order is the order checks run and findings are listed in.
# isort: off
from l10n.checks import numbers, punctuation, language, text, markup, glossary, edges
# isort: on

__all__ = ["CHECKS", "ERROR", "SEVERITIES", "WARNING", "Check", "CheckContext", "Problem",
           "check_names", "disabled_by_comment", "edges", "glossary", "language", "markup",
           "numbers", "punctuation", "run_checks", "text", "validate_selection"]
