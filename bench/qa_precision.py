"""Precision and recall of the QA checks on professional translations, beside pofilter.

Run from the repository root:

    .venv/bin/python bench/qa_precision.py [--pud PATH] [--seed 9] [--split 500]

Data: UD German PUD as de/en pairs (`../shared/data/parallel/de_en_pud.tsv`, CC BY-SA 3.0;
tab-separated with a header, fields CSV-quoted where they contain quotes). The English
sentences are the originals and the German ones professional translations of them, so
every pair is a correct translation; read backwards (German source, English target) it is
what a reviewed l10n catalog holds. The first `--split` pairs are the tuning half (the
checks were adjusted looking at them), the rest is held out; both are reported.

What it measures, all in one run:

1. False positives: per check, the share of correct entries it flags (any severity), and
   the share with an error-severity finding, a warning, or any finding. Translate
   Toolkit's `pofilter` (its StandardChecker, target language English) runs on the same
   entries; its share per test is listed too.
2. Gate failures: the pairs are grouped into articles of 10–30 consecutive sentences
   (whole PUD documents, which are 1–5 sentences each); an article fails the default gate
   when any of its entries has an error-severity finding. Shown with the bench glossary,
   without one (a project without a glossary), and without the pairs listed in
   `KNOWN_DISCREPANCIES`, whose translations really differ (read and listed by hand).
3. The same through the real gate: the articles written as a project, extracted, their
   catalogs filled with the professional translations, and `l10n check --min-reviewed 0`
   run on it (no glossary).
4. Recall: each error type below is injected, with a seeded RNG, into every entry it
   applies to; an injected entry counts as found when a check reports something the clean
   entry did not (a new check name or message), so a false alarm that was already there is
   no credit. Found by any finding, found as an error, and found by pofilter.

The glossary used here is `BENCH_GLOSSARY` below: common terms of the PUD news and
Wikipedia sentences, the kind a project would fix.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.checks import CHECKS, ERROR, CheckContext, run_checks  # noqa: E402
from l10n.glossary import Glossary, GlossaryEntry  # noqa: E402

PUD = ROOT.parent / "shared" / "data" / "parallel" / "de_en_pud.tsv"

# source term, accepted targets, a wrong translation (for the injected glossary errors).
BENCH_GLOSSARY = (
    ("Präsident", ("president",), "chairman"),
    ("Regierung", ("government",), "cabinet"),
    ("Polizei", ("police",), "guards"),
    ("Kaiser", ("emperor",), "king"),
    ("Film", ("film", "movie"), "picture"),
    ("Krieg", ("war",), "conflict"),
    ("Kirche", ("church",), "chapel"),
    ("Russland", ("Russia",), "Rossiya"),
    ("Frankreich", ("France",), "Frankreich"),
    ("Deutschland", ("Germany",), "Deutschland"),
    ("Europa", ("Europe",), "the continent"),
    ("Vereinigten Staaten", ("United States", "US", "U.S."), "America"),
    ("Trump", ("Trump",), "the candidate"),
    ("Clinton", ("Clinton",), "the candidate"),
    ("Obama", ("Obama",), "the president"),
    ("Album", ("album",), "record"),
    ("Insel", ("island",), "isle"),
    ("Dollar", ("dollar", "$"), "buck"),
    ("Pfund", ("pound", "£"), "quid"),
    ("Partei", ("party",), "faction"),
    ("Universität", ("university",), "college"),
)


# Pairs whose translations differ in fact, found by reading every pair a check flags; they
# are reported as false positives like the rest, and once more set apart.
KNOWN_DISCREPANCIES = {
    "w02013033": "the year 1956 of the German is not in the English",
    "n04006014": "the English writes 1,335 euros for the German 1,335 €",
    "n04006016": "1,335 Euro in the German, 1,365 euros in the English",
    "n01116009": "the English 'mid-Sixties' is not in the German",
}


def bench_glossary() -> Glossary:
    return Glossary(entries=tuple(GlossaryEntry(src, targets)
                                  for src, targets, _ in BENCH_GLOSSARY))


WRONG_TERM = {src: wrong for src, _, wrong in BENCH_GLOSSARY}


@dataclass(frozen=True)
class Pair:
    sent_id: str
    doc: str
    de: str
    en: str


def load_pud(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Pair(r["sent_id"], r["doc"], r["de"], r["en"])
                for r in csv.DictReader(f, delimiter="\t")]


def articles(pairs: list[Pair], *, low: int = 10, high: int = 30) -> list[list[Pair]]:
    """Consecutive whole documents joined until an article has `low`–`high` sentences."""
    docs: dict[str, list[Pair]] = {}
    for pair in pairs:
        docs.setdefault(pair.doc, []).append(pair)
    result: list[list[Pair]] = [[]]
    for doc in docs.values():
        if len(result[-1]) >= low or len(result[-1]) + len(doc) > high:
            result.append([])
        result[-1].extend(doc)
    return [a for a in result if a]


# ---------------------------------------------------------------- the two checkers

Findings = frozenset[tuple[str, str, str]]  # (check, severity, message)


class L10nChecker:
    def __init__(self, glossary: Glossary) -> None:
        self.context = CheckContext(glossary=glossary)

    def __call__(self, source: str, target: str) -> Findings:
        return frozenset((p.check, p.severity, p.message)
                         for p in run_checks(source, target, context=self.context))


class PofilterChecker:
    """Translate Toolkit's default pofilter tests, as `pofilter` runs them on a PO unit."""

    def __init__(self) -> None:
        from translate.filters import checks
        from translate.storage import pypo

        self._unit = pypo.pounit
        self._checker = checks.StandardChecker(checks.CheckerConfig(targetlanguage="en"))

    def __call__(self, source: str, target: str) -> Findings:
        unit = self._unit(source)
        unit.target = target
        failures = self._checker.run_filters(unit)
        return frozenset((name, "error", str(message)) for name, message in failures.items())


# ---------------------------------------------------------------- injected errors

Injector = Callable[[Pair, random.Random], "str | None"]
INJECTORS: dict[str, Injector] = {}


def injector(name: str) -> Callable[[Injector], Injector]:
    def register(func: Injector) -> Injector:
        INJECTORS[name] = func
        return func
    return register


_EN_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")


def _replace_span(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


@injector("wrong number")
def wrong_number(pair: Pair, rng: random.Random) -> str | None:
    spans = list(_EN_NUMBER.finditer(pair.en))
    if not spans:
        return None
    m = rng.choice(spans)
    positions = [i for i, ch in enumerate(m.group()) if ch.isdigit()]
    i = rng.choice(positions)
    old = m.group()[i]
    new = rng.choice([d for d in "123456789" if d != old] if i == 0 else
                     [d for d in "0123456789" if d != old])
    return _replace_span(pair.en, m.start() + i, m.start() + i + 1, new)


@injector("number dropped")
def number_dropped(pair: Pair, rng: random.Random) -> str | None:
    spans = list(_EN_NUMBER.finditer(pair.en))
    if not spans:
        return None
    m = rng.choice(spans)
    end = m.end() + 1 if pair.en[m.end():m.end() + 1] == " " else m.end()
    return _replace_span(pair.en, m.start(), end, "")


_EN_FORMATTED = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.,])\d+\.\d+"
                           r"(?![\d.])|(?<![\w.,])\d{5,}(?![\w.,])")


def _german_format(number: str) -> str:
    if re.fullmatch(r"\d{5,}", number):  # 25000 → 25.000
        return f"{int(number):,}".replace(",", ".")
    return number.translate(str.maketrans(",.", ".,"))


@injector("German number format")
def german_number_format(pair: Pair, rng: random.Random) -> str | None:
    spans = list(_EN_FORMATTED.finditer(pair.en))
    if not spans:
        return None
    m = rng.choice(spans)
    return _replace_span(pair.en, m.start(), m.end(), _german_format(m.group()))


def _closing_quotes(text: str) -> list[int]:
    curly = [i for i, ch in enumerate(text) if ch == "”"]
    straight = [i for i, ch in enumerate(text) if ch == '"'][1::2]  # every second one closes
    return curly + straight


@injector("closing quote dropped")
def closing_quote_dropped(pair: Pair, rng: random.Random) -> str | None:
    closers = _closing_quotes(pair.en)
    if not closers:
        return None
    i = rng.choice(closers)
    return _replace_span(pair.en, i, i + 1, "")


@injector("German copied")
def german_copied(pair: Pair, rng: random.Random) -> str | None:
    return pair.de if len(pair.de.split()) >= 3 else None


@injector("part left in German")
def part_left_in_german(pair: Pair, rng: random.Random) -> str | None:
    """The first part translated, the rest of the German sentence left as it was."""
    en, de = pair.en.split(), pair.de.split()
    if len(de) < 8 or len(en) < 8:
        return None
    share = rng.uniform(0.3, 0.6)
    return " ".join(en[:round(len(en) * share)] + de[round(len(de) * share):])


_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


@injector("doubled word or phrase")
def doubled_word(pair: Pair, rng: random.Random) -> str | None:
    words = pair.en.split(" ")
    n = rng.choice((1, 1, 2, 3))
    starts = [i for i in range(len(words) - n + 1)
              if all(_PLAIN_WORD.fullmatch(w) for w in words[i:i + n])]
    if not starts:
        return None
    i = rng.choice(starts)
    return " ".join(words[:i + n] + words[i:i + n] + words[i + n:])


_FINAL = re.compile(r"[.!?…](?=[\"”’')\]]*\s*$)")


@injector("final punctuation dropped")
def final_punctuation_dropped(pair: Pair, rng: random.Random) -> str | None:
    m = _FINAL.search(pair.en)
    return _replace_span(pair.en, m.start(), m.end(), "") if m else None


def _glossary_hits(pair: Pair) -> Iterator[tuple[GlossaryEntry, list[re.Match[str]]]]:
    """Glossary entries in the source with their target occurrences in the translation."""
    for entry in bench_glossary().entries:
        if not entry.in_source(pair.de):
            continue
        found = [m for pattern in entry._target_res for m in pattern.finditer(pair.en)]
        if found:
            yield entry, sorted(found, key=lambda m: m.start())


@injector("glossary term mistranslated")
def glossary_mistranslated(pair: Pair, rng: random.Random) -> str | None:
    hits = list(_glossary_hits(pair))
    if not hits:
        return None
    entry, found = rng.choice(hits)
    text = pair.en
    for m in reversed(found):
        text = _replace_span(text, m.start(), m.end(), WRONG_TERM[entry.source])
    return text


@injector("glossary term missing once")
def glossary_missing_once(pair: Pair, rng: random.Random) -> str | None:
    """A term the source uses twice, translated as the glossary says only once."""
    # Only where the translation renders every occurrence, so that one replaced is a loss.
    hits = [(e, found) for e, found in _glossary_hits(pair)
            if len(found) >= 2 and e.source_count(pair.de) == len(found)]
    if not hits:
        return None
    entry, found = rng.choice(hits)
    m = rng.choice(found)
    return _replace_span(pair.en, m.start(), m.end(), WRONG_TERM[entry.source])


# ---------------------------------------------------------------- measuring


@dataclass
class Precision:
    entries: int
    per_check: Counter[str]
    errors: int
    warnings: int
    any: int


def precision(pairs: list[Pair], findings: list[Findings]) -> Precision:
    per_check: Counter[str] = Counter()
    for found in findings:
        per_check.update({check for check, _, _ in found})
    return Precision(
        entries=len(pairs), per_check=per_check,
        errors=sum(any(s == ERROR for _, s, _ in f) for f in findings),
        warnings=sum(any(s != ERROR for _, s, _ in f) for f in findings),
        any=sum(bool(f) for f in findings))


@dataclass
class Recall:
    applicable: int = 0
    found: int = 0
    as_error: int = 0
    pofilter: int = 0


def _new(corrupt: Findings, clean: Findings) -> Findings:
    return corrupt - clean


def recall(pairs: list[Pair], clean: dict[str, tuple[Findings, Findings]], seed: int,
           ours: L10nChecker, theirs: PofilterChecker) -> dict[str, Recall]:
    results = {}
    for name, inject in INJECTORS.items():
        rng = random.Random(f"{seed}:{name}")
        result = Recall()
        for pair in pairs:
            corrupt = inject(pair, rng)
            if corrupt is None or corrupt == pair.en:
                continue
            clean_ours, clean_theirs = clean[pair.sent_id]
            new = _new(ours(pair.de, corrupt), clean_ours)
            result.applicable += 1
            result.found += bool(new)
            result.as_error += any(s == ERROR for _, s, _ in new)
            result.pofilter += bool(_new(theirs(pair.de, corrupt), clean_theirs))
        results[name] = result
    return results


def gate_fails(pair: Pair, clean: dict[str, tuple[Findings, Findings]], *,
               glossary: bool = True, known: bool = True) -> bool:
    """Whether an error-severity finding of ours on the correct entry fails the gate."""
    if not known and pair.sent_id in KNOWN_DISCREPANCIES:
        return False
    return any(s == ERROR and (glossary or check != "glossary")
               for check, s, _ in clean[pair.sent_id][0])


def article_failures(pairs: list[Pair], clean: dict[str, tuple[Findings, Findings]],
                     **which: bool) -> tuple[int, int]:
    groups = articles(pairs)
    failed = sum(any(gate_fails(p, clean, **which) for p in group) for group in groups)
    return failed, len(groups)


def gate_on_catalogs(pairs: list[Pair]) -> tuple[int, int, int]:
    """`l10n check --min-reviewed 0` itself on a project of the PUD articles, translated.

    Each article is a text file (one sentence a paragraph, the first the title), extracted
    by `l10n extract --force`; every entry whose msgid is a PUD sentence gets its
    professional translation, reviewed (a sentence segmented differently stays
    untranslated and unchecked). Returns (articles failing, articles, entries checked).
    """
    from l10n.catalog.po.read import load
    from l10n.catalog.po.write import dumps

    english = {p.de: p.en for p in pairs}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").mkdir()
        (root / "l10n.toml").write_text('source-lang = "de"\ntarget-langs = ["en"]\n',
                                        encoding="utf-8")
        for i, article in enumerate(articles(pairs)):
            text = "\n\n".join(p.de for p in article) + "\n"
            (root / "corpus" / f"pud-{i:03d}.txt").write_text(text, encoding="utf-8")
        _l10n(root, "extract", "--force")
        checked = 0
        for path in sorted((root / "locales" / "en").glob("*.po")):
            po = load(path)
            for entry in po:
                if entry.msgid in english:
                    entry.msgstr = english[entry.msgid]
                    checked += 1
            path.write_text(dumps(po), encoding="utf-8")
        report = json.loads(_l10n(root, "check", "--min-reviewed", "0", "--format", "json"))
        failing = {i["path"] for i in report["issues"] if i["severity"] == ERROR}
        return len(failing), len(report["catalogs"]), checked


def _l10n(root: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "l10n", *args, "--project", str(root)],
                          capture_output=True, text=True, check=False)
    if done.returncode == 2:
        raise SystemExit(f"l10n {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


# ---------------------------------------------------------------- report


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    –"


def print_precision(title: str, halves: list[tuple[str, Precision]], names: list[str],
                    severities: dict[str, str]) -> None:
    heads = " | ".join(f"{label} ({p.entries})" for label, p in halves)
    print(f"\n| {title} | severity | {heads} |")
    print("|---|---|" + "---:|" * len(halves))
    for name in names:
        cells = " | ".join(f"{pct(p.per_check[name], p.entries)} ({p.per_check[name]})"
                           for _, p in halves)
        print(f"| {name} | {severities.get(name, '')} | {cells} |")
    for label, attr in (("any error", "errors"), ("any warning", "warnings"),
                        ("any finding", "any")):
        cells = " | ".join(f"{pct(getattr(p, attr), p.entries)} ({getattr(p, attr)})"
                           for _, p in halves)
        print(f"| **{label}** | | {cells} |")


def print_recall(halves: list[tuple[str, dict[str, Recall]]]) -> None:
    print("\n| injected error | " + " | ".join(
        f"{label}: n | l10n any | l10n error | pofilter" for label, _ in halves) + " |")
    print("|---|" + "---:|---:|---:|---:|" * len(halves))
    for name in INJECTORS:
        cells = []
        for _, results in halves:
            r = results[name]
            cells.append(f"{r.applicable} | {pct(r.found, r.applicable)} | "
                         f"{pct(r.as_error, r.applicable)} | {pct(r.pofilter, r.applicable)}")
        print(f"| {name} | " + " | ".join(cells) + " |")


GATE_ROWS = (
    ("with the bench glossary", {}),
    ("without a glossary", {"glossary": False}),
    (f"without a glossary, less the {len(KNOWN_DISCREPANCIES)} known discrepancies",
     {"glossary": False, "known": False}),
)


def print_gate(results: list[tuple[str, list[Pair], dict[str, Recall]]],
               clean: dict[str, tuple[Findings, Findings]]) -> None:
    """Correct entries with an error, and articles the default gate fails, three ways."""
    print("\n| the default gate fails | " + " | ".join(
        f"{label}: entries | articles" for label, _, _ in results) + " |")
    print("|---|" + "---:|---:|" * len(results))
    for title, which in GATE_ROWS:
        cells = []
        for _, half, _ in results:
            entries = sum(gate_fails(p, clean, **which) for p in half)
            failed, total = article_failures(half, clean, **which)
            cells.append(f"{pct(entries, len(half))} ({entries}) | "
                         f"{pct(failed, total)} ({failed} of {total})")
        print(f"| {title} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--pud", type=Path, default=PUD)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--split", type=int, default=500,
                        help="pairs in the tuning half; the rest are held out")
    args = parser.parse_args(argv)

    pairs = load_pud(args.pud)
    halves = [("tune", pairs[:args.split]), ("held out", pairs[args.split:])]
    ours, theirs = L10nChecker(bench_glossary()), PofilterChecker()
    started = time.perf_counter()
    clean = {p.sent_id: (ours(p.de, p.en), theirs(p.de, p.en)) for p in pairs}
    results = [(label, half, recall(half, clean, args.seed, ours, theirs))
               for label, half in halves]
    elapsed = time.perf_counter() - started

    print(f"{len(pairs)} PUD pairs ({args.pud.name}); tune = first {args.split}, "
          f"held out = the other {len(pairs) - args.split}; seed {args.seed}; "
          f"{elapsed:.1f} s for both checkers")
    severities = {name: check.severity for name, check in CHECKS.items()}
    print_precision("l10n check", [(label, precision(half, [clean[p.sent_id][0] for p in half]))
                                   for label, half, _ in results], list(CHECKS), severities)
    theirs_prec = [(label, precision(half, [clean[p.sent_id][1] for p in half]))
                   for label, half, _ in results]
    fired = sorted({n for _, p in theirs_prec for n in p.per_check},
                   key=lambda n: (-sum(p.per_check[n] for _, p in theirs_prec), n))
    print_precision("pofilter test", theirs_prec, fired, {})
    print_gate(results, clean)
    cells = []
    for _, half, _ in results:
        failed, total, checked = gate_on_catalogs(half)
        cells.append(f"{pct(failed, total)} ({failed} of {total}, {checked} entries)")
    print("\n`l10n check --min-reviewed 0` on the articles as catalogs (no glossary), "
          "articles failing: " + "; ".join(f"{label} {cell}" for (label, _, _), cell
                                            in zip(results, cells, strict=True)))
    print_recall([(label, rec) for label, _, rec in results])


if __name__ == "__main__":
    main()
