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
3. Prints one table per size with each figure's ratio to the msgfmt loop. With
   `--compare REV` every l10n command also runs with the l10n of that commit (checked out
   in a temporary git worktree, same interpreter and dependencies): before and after.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from l10n.catalog.po.read import load  # noqa: E402
from l10n.catalog.po.write import dumpb  # noqa: E402

PUD = ROOT / "tests" / "data" / "parallel" / "de_en_pud.tsv"
BIN = Path(sys.executable).parent
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


def timed(args: list[str], *, cwd: Path, code: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one fresh process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    env = dict(os.environ)
    if code is not None:  # which l10n: a checkout's folder
        env["PYTHONPATH"] = str(code)
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, check=True,
                          capture_output=True, text=True, env=env)
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


def measure(root: Path, code: Path,
            sentences: list[tuple[str, str]]) -> dict[str, tuple[float, int]]:
    """Every command on the project at `root` with the l10n at `code`."""
    rows: dict[str, tuple[float, int]] = {}
    l10n = [sys.executable, "-m", "l10n"]

    def run(label: str, *args: str, cwd: Path = root) -> None:
        rows[label] = timed([*l10n, *args], cwd=cwd, code=code)
        print(f"  {code.name}: {label}: {rows[label][0]:.2f} s, {rows[label][1]} MiB",
              file=sys.stderr, flush=True)

    run("extract, first run", "extract")
    run("extract, nothing changed", "extract")
    touch_content(root / "corpus" / "a000000.txt")
    run("extract, one article edited", "extract")
    pristine = root.with_name(f"{root.name}-untranslated")
    shutil.copytree(root, pristine)
    review_all(root, dict(sentences))
    run("check, first run", "check", "--min-reviewed", "0")
    run("check, nothing changed", "check", "--min-reviewed", "0")
    catalog = root / "locales" / "en" / "a000001.po"
    po = load(catalog)
    po[0].msgstr += " (edited)"
    catalog.write_bytes(dumpb(po))
    run("check, one catalog edited", "check", "--min-reviewed", "0")
    shutil.rmtree(root / ".l10n", ignore_errors=True)
    run("check, from scratch (no state)", "check", "--min-reviewed", "0")
    run("stats (table)", "stats")
    run("stats --format json", "stats", "--format", "json")
    run("translate --engine pseudo", "translate", "--engine", "pseudo", "--no-cache",
        cwd=pristine)
    return rows


def peers(root: Path) -> dict[str, tuple[float, int]]:
    rows = {"peer: msgfmt --statistics loop": (msgfmt_loop(root), 0)}
    if POCOUNT:
        rows["peer: pocount"] = timed([POCOUNT, "locales/en"], cwd=root)
    return rows


def worktree(rev: str, work: Path) -> Path:
    folder = work / f"l10n-{rev}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev],
                   check=True, capture_output=True)
    return folder


def table(size: int, results: dict[str, dict[str, tuple[float, int]]],
          peer_rows: dict[str, tuple[float, int]]) -> None:
    peer = peer_rows["peer: msgfmt --statistics loop"][0]
    names = list(results)
    print(f"\n{size:,} articles (about {size * 14:,} sentences)\n")
    head = " | ".join(f"{n} s | {n} × msgfmt | {n} MiB" for n in names)
    print(f"| command | {head} |")
    print("|---|" + "---:|" * (3 * len(names)))
    for label in results[names[-1]]:
        cells = []
        for name in names:
            seconds, rss = results[name][label]
            cells.append(f"{seconds:.2f} | {seconds / peer:.3f} | {rss}")
        print(f"| {label} | {' | '.join(cells)} |")
    for label, (seconds, _) in peer_rows.items():
        same = f"{seconds:.2f} | {seconds / peer:.3f} | "
        print(f"| {label} | " + " | ".join(same for _ in names) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--compare", metavar="REV", help="also run the l10n of this commit")
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    args = parser.parse_args()
    sentences = pairs()
    work = args.keep or Path(tempfile.mkdtemp(prefix="l10n-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    codes = {"now": ROOT}
    try:
        if args.compare:
            codes = {"before": worktree(args.compare, work), "now": ROOT}
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"{size} articles", file=sys.stderr, flush=True)
            corpus = work / f"corpus{size}"
            make_corpus(corpus, size, sentences)
            results = {}
            for name, code in codes.items():
                root = work / f"p{size}-{name}"
                shutil.copytree(corpus, root)
                results[name] = measure(root, code, sentences)
            table(size, results, peers(work / f"p{size}-now"))
    finally:
        if args.compare and "before" in codes:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(codes["before"])], check=False, capture_output=True)
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
