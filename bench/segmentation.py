"""Throughput and accuracy of `l10n.readers.segment.split_sentences` against its peers.

Run from the repository root:

    .venv/bin/python bench/segmentation.py [--repeat N]

Corpus: UD German PUD (397 documents) plus the seed article's 20 paragraphs, from
tests/data/segmentation/, each document split on its own as the readers do with
paragraphs. Throughput is characters of input per second of wall time, the best of N
passes over the corpus after one warm-up pass (which also loads the splitter). Peers, timed
in the same run: raw `sentence_splitter.SentenceSplitter("de").split` (the library under
ours, without quote mapping, offsets or the German rules) and pysbd if it is installed.

Boundary F1: a boundary is the character offset where a sentence other than a document's
first one starts; precision and recall are micro-averaged over the corpus and a boundary
counts only at exactly the gold offset. Peers return strings, mapped onto offsets by
counting non-whitespace characters.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.readers.segment import split_sentences  # noqa: E402

DATA = ROOT / "tests" / "data" / "segmentation"

Splitter = Callable[[str], list[int]]  # text -> boundary offsets


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def gold_boundaries(doc: dict[str, Any]) -> set[int]:
    starts: list[int] = []
    pos = 0
    for sentence in doc["sentences"]:
        pos = doc["text"].index(sentence, pos)
        starts.append(pos)
        pos += len(sentence)
    return set(starts[1:])


def starts_from_strings(text: str, sentences: list[str]) -> list[int]:
    """Offsets where sentences 2..n start, for splitters that return strings."""
    nonspace = [i for i, ch in enumerate(text) if not ch.isspace()]
    starts: list[int] = []
    seen = 0
    for sentence in sentences[:-1]:
        seen += sum(not ch.isspace() for ch in sentence)
        if seen < len(nonspace):
            starts.append(nonspace[seen])
    return starts


def scores(split: Splitter, docs: list[dict[str, Any]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for doc in docs:
        gold = gold_boundaries(doc)
        predicted = set(split(doc["text"]))
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def throughput(run: Callable[[str], object], texts: list[str], repeat: int) -> float:
    for text in texts:  # warm-up: loads models and prefix lists
        run(text)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            run(text)
        best = min(best, time.perf_counter() - start)
    return sum(map(len, texts)) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best is kept)")
    args = parser.parse_args()

    pud = load("de_pud_gold.jsonl")
    seed = load("seed_000_gold.jsonl")
    texts = [d["text"] for d in pud + seed]

    from sentence_splitter import SentenceSplitter

    moses = SentenceSplitter(language="de")
    # name -> (call to time, boundary offsets for scoring)
    peers: dict[str, tuple[Callable[[str], object], Splitter]] = {
        "l10n.readers.segment.split_sentences": (
            split_sentences,
            lambda t: [s for s, _ in split_sentences(t)[1:]],
        ),
        "sentence_splitter (raw Moses, de)": (
            moses.split,
            lambda t: starts_from_strings(t, moses.split(t)),
        ),
    }
    try:
        import pysbd
    except ImportError:
        print("pysbd: not installed, skipped")
    else:
        sbd = pysbd.Segmenter(language="de", clean=False)
        peers["pysbd (de)"] = (sbd.segment, lambda t: starts_from_strings(t, sbd.segment(t)))

    chars = sum(map(len, texts))
    print(f"corpus: {len(texts)} documents (PUD + seed), {chars:,} characters")
    print(f"throughput: best of {args.repeat} passes")
    print(f"{'splitter':36} {'chars/s':>11} {'PUD P':>7} {'PUD R':>7} {'PUD F1':>7} {'seed F1':>8}")
    rates: dict[str, float] = {}
    for name, (run, boundaries) in peers.items():
        rates[name] = throughput(run, texts, args.repeat)
        _, _, seed_f1 = scores(boundaries, seed)
        p, r, f1 = scores(boundaries, pud)
        print(f"{name:36} {rates[name]:11,.0f} {p:7.4f} {r:7.4f} {f1:7.4f} {seed_f1:8.4f}")
    ours = "l10n.readers.segment.split_sentences"
    for name, rate in rates.items():
        if name != ours:
            print(f"throughput ratio l10n / {name}: {rates[ours] / rate:.2f}")


if __name__ == "__main__":
    main()
