"""Archive scale: every command on corpora of 1,000 to 20,000 articles, beside gettext.

Run from the repository root:

    .venv/bin/python bench/scale_commands.py [--sizes 1000,5000,20000] [--keep DIR]

For each size, in one run so that every figure comes from the same machine and load:

1. Generates a project (in a temporary folder, deterministically) of that many German news
   articles of about 14 sentences each, drawn from the 1,000 sentences of UD German PUD
   (`tests/data/parallel/de_en_pud.tsv`); each article gets a title of its own.
2. Times, as fresh processes in wall time (what CI pays):
   - `l10n extract` on the new corpus, again with nothing changed, and again after one
     article was edited (same size and mtime: the content is what counts);
   - the catalogs are then filled with the professional English of the same sentences
     (reviewed), and `l10n check --min-reviewed 0` runs with nothing changed (warm state),
     after one catalog changed, and from scratch (no state);
   - `l10n stats` as a table and as JSON;
   - `l10n translate --engine pseudo --no-cache` on a copy with empty catalogs: wall time
     and peak memory (max RSS of the process);
   - the peers over the same catalogs: a shell loop of `msgfmt --statistics` (one process
     per catalog, as a CI script checking each file would) and Translate Toolkit's
     `pocount` over the locales folder.
3. Prints one table per size with each figure's ratio to the msgfmt loop.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.catalog.poformat import dumpb, load  # noqa: E402

PUD = ROOT / "tests" / "data" / "parallel" / "de_en_pud.tsv"
BIN = Path(sys.executable).parent
L10N = [str(BIN / "l10n")]
POCOUNT = shutil.which("pocount", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def pairs() -> list[tuple[str, str]]:
    with PUD.open(encoding="utf-8", newline="") as fh:
        return [(row["de"], row["en"]) for row in csv.DictReader(fh, delimiter="\t")]


def make_corpus(root: Path, size: int, sentences: list[tuple[str, str]]) -> None:
    rng = random.Random(size)
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.l10n]\nsource-lang = "de"\n'
                                         'target-langs = ["en"]\n', encoding="utf-8")
    for index in range(size):
        paragraphs = []
        for _ in range(rng.randint(3, 5)):
            paragraphs.append(" ".join(rng.choice(sentences)[0]
                                       for _ in range(rng.randint(2, 5))))
        title = f"Meldung {index}: {rng.choice(sentences)[0].rstrip('.')}"
        (corpus / f"a{index:06d}.txt").write_text("\n\n".join([title, *paragraphs]) + "\n",
                                                   encoding="utf-8")


def review_all(root: Path, english: dict[str, str]) -> None:
    """Every entry translated by the professional English where the sentence is known."""
    for path in (root / "locales" / "en").glob("*.po"):
        po = load(path)
        for entry in po:
            entry.msgstr = english.get(entry.msgid, entry.msgid)
        path.write_bytes(dumpb(po))


def timed(args: list[str], *, cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, check=True,
                          capture_output=True, text=True)
    seconds, rss, code = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {code}")
    return float(seconds), int(rss) // 1024


def msgfmt_loop(root: Path) -> float:
    script = 'for f in locales/en/*.po; do msgfmt --statistics -o /dev/null "$f" 2>/dev/null; done'
    started = time.perf_counter()
    subprocess.run(["sh", "-c", script], cwd=root, check=True)
    return time.perf_counter() - started


def touch_content(path: Path) -> None:
    """Change an article without changing its size or mtime."""
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("e", "a", 1) if "e" in text else text.replace("a", "e", 1)
    path.write_text(swapped, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def measure(size: int, work: Path, sentences: list[tuple[str, str]]) -> list[tuple[str, float, int]]:
    root = work / f"p{size}"
    make_corpus(root, size, sentences)
    rows: list[tuple[str, float, int]] = []

    def run(label: str, *args: str) -> None:
        seconds, rss = timed([*L10N, *args], cwd=root)
        rows.append((label, seconds, rss))
        print(f"  {label}: {seconds:.2f} s, {rss} MiB", file=sys.stderr, flush=True)

    run("extract, first run", "extract")
    run("extract, nothing changed", "extract")
    touch_content(root / "corpus" / "a000000.txt")
    run("extract, one article edited", "extract")
    pristine = work / f"p{size}-untranslated"
    shutil.copytree(root, pristine)
    review_all(root, dict(sentences))
    run("check, first run", "check", "--min-reviewed", "0")
    run("check, nothing changed", "check", "--min-reviewed", "0")
    catalog = root / "locales" / "en" / "a000001.po"
    po = load(catalog)
    po[0].msgstr += " (edited)"
    catalog.write_bytes(dumpb(po))
    run("check, one catalog edited", "check", "--min-reviewed", "0")
    state = root / ".l10n"
    if state.exists():
        shutil.rmtree(state)
    run("check, from scratch (no state)", "check", "--min-reviewed", "0")
    run("stats (table)", "stats")
    run("stats --format json", "stats", "--format", "json")
    seconds, rss = timed([*L10N, "translate", "--engine", "pseudo", "--no-cache"], cwd=pristine)
    rows.append(("translate --engine pseudo", seconds, rss))
    rows.append(("peer: msgfmt --statistics loop", msgfmt_loop(root), 0))
    if POCOUNT:
        seconds, _ = timed([POCOUNT, "locales/en"], cwd=root)
        rows.append(("peer: pocount", seconds, 0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    args = parser.parse_args()
    sentences = pairs()
    work = args.keep or Path(tempfile.mkdtemp(prefix="l10n-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"{size} articles", file=sys.stderr, flush=True)
            rows = measure(size, work, sentences)
            peer = next(s for label, s, _ in rows if label.startswith("peer: msgfmt"))
            print(f"\n{size:,} articles ({size * 14:,} sentences or so)")
            print(f"| {'command':<34} | {'seconds':>8} | {'× msgfmt loop':>13} | "
                  f"{'peak MiB':>8} |")
            print(f"|{'-' * 36}|{'-' * 10}|{'-' * 15}|{'-' * 10}|")
            for label, seconds, rss in rows:
                print(f"| {label:<34} | {seconds:8.2f} | {seconds / peer:13.3f} | "
                      f"{rss or '':>8} |")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
