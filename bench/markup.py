"""Markup-safe drafts on the tiny fixture package: where spans land, well-formedness, cost.

In one run:

  (1) Landing: each row of `bench/data/markup_gold.tsv` wraps some words of a sentence the
      fixture package translates as recorded (hand-made gold: the target words they must
      land on). The sentence is translated once with attention, the span put back as
      Markdown strong, a Markdown link and an HTML element, and the draft's span compared
      with the gold: exact (the same words, punctuation aside) or overlapping. Three
      aligners are compared: attention only, words only (names, cognates and position,
      no attention) and what l10n uses (both).
  (2) Well-formedness: --sentences generated Markdown and HTML sentences (UD German PUD
      sentences with random nested inline markup, code, links, images, line breaks,
      autolinks and entities) are translated and their markup put back. A draft is
      well-formed when it parses to the same marks, nested the same way, as its msgid
      (sibling order may differ) and the `markup` QA check finds nothing. Goal: 100%.
  (3) Cost: the same plain sentences translated without and with alignment (attention
      returned and markup placed), best of --repeat; goal ≤ 1.3×.

    python bench/markup.py [--sentences 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.checks.markup import check_markup  # noqa: E402
from l10n.checks.registry import CheckContext  # noqa: E402
from l10n.engines.argos import ArgosEngine  # noqa: E402
from l10n.markup import align, restore  # noqa: E402
from l10n.markup.inline import Mark, Marked, Syntax, parse  # noqa: E402
from l10n.markup.place import aligned, place  # noqa: E402

PACKAGE = ROOT / "tests" / "fixtures" / "translate-de_en-tiny.argosmodel"
GOLD = ROOT / "bench" / "data" / "markup_gold.tsv"
PUD = ROOT / "tests" / "data" / "parallel" / "de_en_pud.tsv"

WRAPS: dict[str, tuple[Syntax, Callable[[str], str]]] = {
    "markdown strong": ("markdown", lambda w: f"**{w}**"),
    "markdown link": ("markdown", lambda w: f"[{w}](https://example.org/a)"),
    "html element": ("html", lambda w: f'<a href="/a">{w}</a>'),
}


def engine() -> ArgosEngine:
    folder = Path(tempfile.mkdtemp(prefix="l10n-bench-markup-"))
    with zipfile.ZipFile(PACKAGE) as archive:
        archive.extractall(folder)
    return ArgosEngine.from_path(next(p for p in folder.iterdir() if p.is_dir()))


def _words(text: str) -> list[str]:
    return [w for w in (re.sub(r"^\W+|\W+$", "", w) for w in text.split()) if w]


def landing(mt: ArgosEngine) -> None:
    rows = [line.rstrip("\n").split("\t") for line in GOLD.read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
    sentences = list(dict.fromkeys(row[0] for row in rows))
    done = dict(zip(sentences, mt.translate_batch(sentences, align=True), strict=True))
    judged = align.trust([aligned(parse(s, "markdown"), r.text, r.attention)
                          for s, r in done.items()])
    print(f"    the fixture's attention agrees with words written alike: {judged:.0%}")
    aligners = {
        "attention only": (True, align.Weights(lexical=0.0, position=1e-9)),
        "words only (no attention)": (False, align.WEIGHTS),
        "l10n (attention + words)": (True, align.WEIGHTS),
    }
    print(f"(1) landing: {len(rows)} gold spans on {len(sentences)} sentences, "
          f"3 markups each")
    print(f"    {'aligner':28} {'exact':>7} {'overlap':>8}")
    for name, (use_attention, weights) in aligners.items():
        exact = overlap = total = 0
        for source, words, expected in rows:
            for syntax, wrap in WRAPS.values():
                marked = parse(source.replace(words, wrap(words), 1), syntax)
                result = done[source]
                attention = result.attention if use_attention else None
                draft = place(marked, result.text, attention, weights=weights,
                              trust=judged if use_attention and weights.lexical else None).text
                landed = _span_words(parse(draft, syntax))
                total += 1
                exact += landed == _words(expected)
                overlap += bool(set(landed) & set(_words(expected)))
        print(f"    {name:28} {exact / total:7.1%} {overlap / total:8.1%}")


def _span_words(marked: Marked) -> list[str]:
    mark = next((m for m in marked.walk() if not m.atom), None)
    return _words(marked.plain[mark.start:mark.end]) if mark else []


# --- generated sentences ---------------------------------------------------------------------

def generated(count: int, seed: int) -> list[tuple[str, Syntax]]:
    rng = random.Random(seed)
    lines = PUD.read_text("utf-8").splitlines()[1:]
    german = [line.split("\t")[2] for line in lines]
    out: list[tuple[str, Syntax]] = []
    for i in range(count):
        syntax: Syntax = "markdown" if i % 2 == 0 else "html"
        text = rng.choice(german)
        if syntax == "html":
            text = text.replace("&", "&amp;").replace("<", "&lt;")
        decorated = _decorate(text, syntax, rng)
        while "](" in parse(decorated, syntax).plain:  # a link in a link is no link: again
            decorated = _decorate(text, syntax, rng)
        out.append((decorated, syntax))
    return out


def _decorate(text: str, syntax: Syntax, rng: random.Random) -> str:
    words = text.split()
    for _ in range(rng.randint(1, 4)):
        if len(words) < 3:
            break
        start = rng.randrange(len(words))
        end = min(len(words), start + rng.randint(1, 4))
        kind = rng.choice(["strong", "emphasis", "link", "code", "atom", "nested"])
        open_, close = _delimiters(kind, syntax, rng)
        if any(ch in "".join(words[start:end]) for ch in "<>[]`*_&"):
            continue  # keep generated spans from straddling earlier ones
        if kind == "atom":
            words.insert(start, open_)
            continue
        words[start] = open_ + words[start]
        words[end - 1] = words[end - 1] + close
    if syntax == "html" and rng.random() < 0.3:
        at = rng.randrange(1, len(words)) if len(words) > 1 else 0
        words[at] = "10&nbsp;km " + words[at]
    return " ".join(words)


def _delimiters(kind: str, syntax: Syntax, rng: random.Random) -> tuple[str, str]:
    if syntax == "markdown":
        return {
            "strong": ("**", "**"), "emphasis": ("*", "*"),
            "link": ("[", f"](https://example.org/{rng.randint(1, 99)})"),
            "code": ("`", "`"), "atom": (rng.choice(["<br>", "<https://example.org>"]), ""),
            "nested": ("**[", "](https://example.org/n)**"),
        }[kind]
    return {
        "strong": ("<strong>", "</strong>"), "emphasis": ("<em class=\"x\">", "</em>"),
        "link": (f'<a href="/p/{rng.randint(1, 99)}">', "</a>"),
        "code": ("<code>", "</code>"),
        "atom": (rng.choice(["<br>", "<br/>", "<img src=a.png>"]), ""),
        "nested": ('<b><a href="/n">', "</a></b>"),
    }[kind]


def skeleton(marks: tuple[Mark, ...]) -> list[tuple[str, str, str, object]]:
    return sorted((m.kind, m.open, m.close if not m.verbatim else m.content + m.close,
                   skeleton(m.children)) for m in marks)


def well_formed(msgid: str, draft: str, syntax: Syntax) -> bool:
    if skeleton(parse(msgid, syntax).marks) != skeleton(parse(draft, syntax).marks):
        return False
    return check_markup(msgid, draft, CheckContext(markup=syntax)) is None


def wellformedness(mt: ArgosEngine, count: int, seed: int) -> list[str]:
    cases = generated(count, seed)
    marked = [parse(text, syntax) for text, syntax in cases]
    results = mt.translate_batch([m.plain for m in marked], align=True)
    bad: list[str] = []
    noted = 0
    drafts = restore([(m, r.text, r.attention) for m, r in zip(marked, results, strict=True)])
    for (text, syntax), placed in zip(cases, drafts, strict=True):
        noted += bool(placed.notes)
        if not well_formed(text, placed.text, syntax):
            bad.append(f"{text}\n      → {placed.text}")
    share = 1 - len(bad) / len(cases)
    print(f"(2) well-formed drafts: {len(cases) - len(bad)}/{len(cases)} = {share:.1%} "
          f"({sum(s == 'markdown' for _, s in cases)} Markdown, "
          f"{sum(s == 'html' for _, s in cases)} HTML); {noted} marked for review")
    for case in bad[:5]:
        print("    not well-formed:", case)
    return [m.plain for m in marked]


def cost(mt: ArgosEngine, sentences: list[str], repeat: int, seed: int) -> None:
    marked = [parse(text, syntax) for text, syntax in generated(len(sentences), seed)]

    def plain() -> None:
        mt.translate_batch([m.plain for m in marked])

    def with_alignment() -> None:
        results = mt.translate_batch([m.plain for m in marked], align=True)
        restore([(m, r.text, r.attention) for m, r in zip(marked, results, strict=True)])

    plain()  # load the model before timing
    times = {}
    for name, job in (("plain", plain), ("aligned", with_alignment)):
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            job()
            best = min(best, time.perf_counter() - start)
        times[name] = best
    print(f"(3) cost on {len(marked)} sentences: plain {times['plain']:.2f} s, with alignment "
          f"and placing {times['aligned']:.2f} s = {times['aligned'] / times['plain']:.2f}× "
          "(goal ≤ 1.3×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    mt = engine()
    landing(mt)
    plains = wellformedness(mt, args.sentences, args.seed)
    cost(mt, plains, args.repeat, args.seed)


if __name__ == "__main__":
    main()
