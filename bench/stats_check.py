"""Speed of the CI gate: `l10n stats` against msgfmt and pocount, and `l10n check` latency.

Run from the repository root:

    .venv/bin/python bench/stats_check.py [--files 2000] [--entries 100] [--repeat 3]

What it does, all in one run so that every figure comes from the same machine and load:

1. Generates (in a temporary folder, deterministically) a project of `--files` catalogs of
   `--entries` entries each, written with l10n's own writer (`po.write.dumps`), so the
   files are byte for byte what l10n and gettext write. Msgids are German news sentences
   from UD German PUD (tests/data/segmentation/de_pud_gold.jsonl), 100 consecutive ones
   per file like an article; translations are English sentences of the seed article. The
   entries are a mix of reviewed, machine drafts (fuzzy + `# l10n-mt:` provenance),
   source-changed fuzzies (with `#| msgid`) and untranslated ones.
2. Times, as subprocesses and in wall time including interpreter start (what CI pays):
   - `l10n stats --format json` over the project;
   - a shell loop running `msgfmt --statistics -o /dev/null FILE` once per file, as a CI
     script checking every catalog would;
   - one `msgfmt --statistics` over all files (for reference only: msgfmt merges its inputs
     into one catalog, so sentences shared by two articles are "duplicate message
     definitions" and the counts are not per catalog);
   - Translate Toolkit's `pocount` over the locales folder.
   Each is run `--repeat` times after one untimed pass that warms the page cache; the best
   time is the figure (the least disturbed by other load), the median is shown beside it.
   The totals each tool reports are cross-checked, so no tool wins by skipping work.
3. Times `l10n check` on a one-article project (the seed article, extracted once and fully
   translated from tests/data/seed_en.tsv so that the QA checks run on every entry):
   `--check-runs` runs, median wall time, against the 0.3 s requirement.
4. Runs `check` and `stats` in a fresh interpreter and lists any machine-translation module
   (torch, ctranslate2, argostranslate, …, l10n.engines) they import: there must be none.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402

from l10n.catalog.model import Provenance, fill  # noqa: E402
from l10n.catalog.po.read import load  # noqa: E402
from l10n.catalog.po.write import dumpb  # noqa: E402

PUD = ROOT / "tests" / "data" / "segmentation" / "de_pud_gold.jsonl"
SEED = ROOT / "corpus" / "kasachstan-ukrainekrieg.txt"
SEED_EN = ROOT / "tests" / "data" / "seed_en.tsv"
GLOSSARY = ROOT / "locales" / "glossary.csv"

# Share of each state among generated entries: a project in the middle of review.
MIX = {"reviewed": 0.60, "draft": 0.20, "fuzzy": 0.08, "untranslated": 0.12}
# Modules whose presence after `check`/`stats` means machine-translation code was loaded.
MT_MODULES = ("torch", "ctranslate2", "argostranslate", "sentencepiece", "stanza", "spacy",
              "onnxruntime", "l10n.engines", "l10n.commands.translate", "l10n.argos.packages",
              "l10n.argos.archive", "l10n.argos.index", "l10n.argos.load_check",
              "l10n.argos.versions")
CHECK_LIMIT_S = 0.3


# --------------------------------------------------------------------------------------
# The generated project
# --------------------------------------------------------------------------------------


def german_sentences() -> list[str]:
    seen: dict[str, None] = {}
    with PUD.open(encoding="utf-8") as f:
        for line in f:
            for sentence in json.loads(line)["sentences"]:
                seen.setdefault(sentence)
    return list(seen)


def english_sentences() -> list[str]:
    rows = [line.split("\t") for line in SEED_EN.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [row[1] for row in rows if len(row) == 2]


def header(name: str) -> dict[str, str]:
    """The header `l10n extract` writes, with a fixed date so the output is deterministic."""
    return {
        "Project-Id-Version": name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-11-25 08:27+0000",
        "PO-Revision-Date": "2026-11-26 10:00+0000",
        "Last-Translator": "Bench Translator <bench@example.org>",
        "Language-Team": "en",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "l10n 0.1.0",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }


def catalog(index: int, german: list[str], english: list[str], entries: int) -> polib.POFile:
    rng = random.Random(index)  # one stream per file: any file can be rebuilt on its own
    name = f"artikel-{index:04d}"
    po = polib.POFile(wrapwidth=79)
    po.metadata = header(name)
    start = (index * 37) % len(german)  # 100 consecutive sentences, like one article
    states, weights = list(MIX), list(MIX.values())
    line = 1
    for k in range(entries):
        msgid = german[(start + k) % len(german)]
        if k == 0 or rng.random() < 0.3:  # a new paragraph every ~3 sentences
            line += 2
        entry = polib.POEntry(msgid=msgid, msgstr="", comment="title" if k == 0 else "paragraph",
                              occurrences=[(f"corpus/{name}.txt", str(line))])
        state = rng.choices(states, weights)[0]
        translation = rng.choice(english)
        if state == "reviewed":
            entry.msgstr = translation
        elif state == "draft":
            entry.msgstr = translation
            entry.flags = ["fuzzy"]
            fill(entry, entry.msgstr, Provenance("argos translate-de_en 1.9",
                                             round(rng.uniform(0.3, 0.99), 3)))
        elif state == "fuzzy":
            # What merge leaves when the article's sentence was edited.
            entry.msgstr = translation
            entry.flags = ["fuzzy"]
            words = msgid.split()
            entry.previous_msgid = " ".join([*words[:-1], "früher", words[-1]])
        po.append(entry)
    return po


def generate(root: Path, files: int, entries: int) -> list[Path]:
    (root / "corpus").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    folder = root / "locales" / "en"
    folder.mkdir(parents=True)
    german, english = german_sentences(), english_sentences()
    paths = []
    for index in range(files):
        path = folder / f"artikel-{index:04d}.po"
        path.write_bytes(dumpb(catalog(index, german, english, entries)))
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------


class Runs:
    """Best and median of `runs`, wall seconds of repeated runs (the best is the figure:
    the least disturbed by other load)."""

    runs: list[float]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass
class Timing(Runs):
    label: str
    runs: list[float]
    note: str = ""


def timed(command: Sequence[str] | str, *, shell: bool = False,
          cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, shell=shell, cwd=cwd, capture_output=True, text=True,
                          check=False, executable="/bin/bash" if shell else None)
    return time.perf_counter() - start, done


def repeat(label: str, runs: int, command: Sequence[str] | str, *, shell: bool = False,
           cwd: Path | None = None, ok: Callable[[subprocess.CompletedProcess[str]], bool]
           = lambda d: d.returncode == 0) -> tuple[Timing, subprocess.CompletedProcess[str]]:
    times = []
    done = None
    for _ in range(runs):
        seconds, done = timed(command, shell=shell, cwd=cwd)
        if not ok(done):
            raise SystemExit(f"{label} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
        times.append(seconds)
    assert done is not None
    return Timing(label, times), done


def l10n_command(*args: str) -> list[str]:
    """The `l10n` console script CI runs, next to this interpreter; else `python -m l10n`."""
    script = Path(sys.executable).with_name("l10n")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "l10n", *args]


def pocount_command() -> list[str]:
    script = Path(sys.executable).with_name("pocount")
    if script.exists():
        return [str(script)]
    found = shutil.which("pocount")
    if found is None:
        raise SystemExit("pocount not found: install translate-toolkit (the dev extra)")
    return [found]


# --------------------------------------------------------------------------------------
# Totals each tool reports, to check that they all did the same work
# --------------------------------------------------------------------------------------

_MSGFMT = re.compile(r"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?"
                     r"(?:, (\d+) untranslated messages?)?")


def msgfmt_totals(stderr: str) -> dict[str, int]:
    totals = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for match in _MSGFMT.finditer(stderr):
        totals["translated"] += int(match.group(1))
        totals["fuzzy"] += int(match.group(2) or 0)
        totals["untranslated"] += int(match.group(3) or 0)
    return totals


def pocount_totals(stdout: str) -> dict[str, int]:
    """Sum of pocount --csv rows (Filename, Translated Messages, Translated Source Words,
    Translated Target Words, Fuzzy Messages, Fuzzy Source Words, Untranslated Messages, …)."""
    totals = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for line in stdout.splitlines()[1:]:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) >= 7 and cells[1].isdigit():
            totals["translated"] += int(cells[1])
            totals["fuzzy"] += int(cells[4])
            totals["untranslated"] += int(cells[6])
    return totals


def l10n_totals(stdout: str) -> dict[str, int]:
    entries = json.loads(stdout)["total"]["entries"]
    return {"translated": entries["reviewed"], "fuzzy": entries["draft"] + entries["fuzzy"],
            "untranslated": entries["untranslated"]}


# --------------------------------------------------------------------------------------
# `l10n check` on the seed project, and what check/stats import
# --------------------------------------------------------------------------------------


def seed_project(root: Path) -> None:
    """The seed article, extracted once, every entry translated and reviewed."""
    translated_project(root, {SEED.name: SEED.read_bytes().decode("utf-8")})


def translated_project(root: Path, articles: dict[str, str]) -> None:
    """A project of `articles` (file name → text made of the seed article's paragraphs),
    extracted once, every entry translated (tests/data/seed_en.tsv) and reviewed."""
    (root / "corpus").mkdir(parents=True)
    for name, text in articles.items():
        (root / "corpus" / name).write_bytes(text.encode("utf-8"))
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    if GLOSSARY.is_file():
        (root / "locales").mkdir()
        shutil.copy(GLOSSARY, root / "locales" / GLOSSARY.name)
    done = subprocess.run(l10n_command("extract", "--project", str(root)), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"l10n extract failed:\n{done.stdout}{done.stderr}")
    reference = dict(line.split("\t") for line in SEED_EN.read_text(encoding="utf-8")
                     .splitlines() if line and not line.startswith("#"))
    for name in articles:
        path = root / "locales" / "en" / f"{Path(name).stem}.po"
        po = load(path)
        for entry in po:
            entry.msgstr = reference.get(entry.msgid, entry.msgstr)
        path.write_bytes(dumpb(po))


# Run in a fresh interpreter: invoke a command the way the console script does, then list
# the machine-translation modules that ended up loaded.
_PROBE = textwrap.dedent("""
    import json, sys
    from typer.testing import CliRunner
    from l10n.cli import app
    result = CliRunner().invoke(app, sys.argv[2:])
    prefixes = tuple(json.loads(sys.argv[1]))
    loaded = sorted(m for m in sys.modules
                    if any(m == p or m.startswith(p + ".") for p in prefixes))
    print(json.dumps({"exit_code": result.exit_code, "loaded": loaded}))
""")


def mt_modules_loaded(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(MT_MODULES), *args],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    report = json.loads(done.stdout.splitlines()[-1])
    return report["exit_code"], report["loaded"]


# --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per tool")
    parser.add_argument("--check-runs", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="generate here and keep it (must not exist)")
    args = parser.parse_args()
    if shutil.which("msgfmt") is None:
        raise SystemExit("msgfmt not found: install GNU gettext")

    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        project = args.keep or Path(tmp) / "project"
        start = time.perf_counter()
        paths = generate(project, args.files, args.entries)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} catalogs x {args.entries} entries "
              f"({size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s: {project}")
        folder = project / "locales" / "en"
        for path in paths:  # warm the page cache for every tool alike
            path.read_bytes()

        results: list[Timing] = []
        totals: dict[str, dict[str, int]] = {}
        stats, done = repeat("l10n stats --format json", args.repeat,
                             l10n_command("stats", "--format", "json", "--project",
                                          str(project)))
        totals["l10n stats"] = l10n_totals(done.stdout)
        results.append(stats)

        loop = 'for f in *.po; do msgfmt --statistics -o /dev/null "$f" || exit 1; done'
        msgfmt_loop, done = repeat("msgfmt --statistics, one process per file", args.repeat,
                                   loop, shell=True, cwd=folder)
        msgfmt_loop.note = "the CI shell loop"
        totals["msgfmt loop"] = msgfmt_totals(done.stderr)
        results.append(msgfmt_loop)

        msgfmt_once, done = repeat(
            "msgfmt --statistics, all files at once", args.repeat,
            ["msgfmt", "--statistics", "-o", "/dev/null", *map(str, paths)], ok=lambda d: True)
        fatal = re.search(r"found (\d+) fatal errors?", done.stderr)
        msgfmt_once.note = (
            f"not comparable: merges all files into one catalog, exit {done.returncode}"
            + (f", stops after {fatal.group(1)} fatal errors (sentences shared by two "
               "articles are duplicate definitions there)" if fatal else ""))
        results.append(msgfmt_once)

        pocount, done = repeat("pocount --csv", args.repeat,
                               [*pocount_command(), "--csv", str(folder)])
        totals["pocount"] = pocount_totals(done.stdout)
        results.append(pocount)

    with tempfile.TemporaryDirectory(prefix="l10n-seed-") as tmp:
        seed = Path(tmp)
        seed_project(seed)
        check, done = repeat("l10n check (seed project)", args.check_runs,
                             l10n_command("check", "--project", str(seed)),
                             ok=lambda d: d.returncode in (0, 1))
        check.note = f"exit {done.returncode}"
        startup, _ = repeat("python -c pass (interpreter start)", args.check_runs,
                            [sys.executable, "-c", "pass"])
        imported = {name: mt_modules_loaded(name, "--project", str(seed))
                    for name in ("check", "stats")}

    # ---- report ----------------------------------------------------------------------
    print()
    print(f"{'command':48} {'best s':>8} {'median s':>9}  note")
    for t in [*results, check, startup]:
        print(f"{t.label:48} {t.best:8.3f} {t.median:9.3f}  {t.note}")
    print()
    print(f"{'counts (entries)':18} {'translated':>10} {'fuzzy':>8} {'untransl.':>10}")
    for tool, counts in totals.items():
        print(f"{tool:18} {counts['translated']:10} {counts['fuzzy']:8} "
              f"{counts['untranslated']:10}")
    agree = len({tuple(c.values()) for c in totals.values()}) == 1
    print("totals agree" if agree else "TOTALS DIFFER")
    print()
    vs_msgfmt = stats.best / msgfmt_loop.best
    vs_pocount = stats.best / pocount.best
    print(f"l10n stats / msgfmt loop = {vs_msgfmt:.2f}   (goal <= 2.00: "
          f"{'met' if vs_msgfmt <= 2 else 'NOT met'})")
    print(f"l10n stats / pocount     = {vs_pocount:.2f}   (goal < 1.00: "
          f"{'met' if vs_pocount < 1 else 'NOT met'})")
    print(f"l10n check median        = {check.median:.3f} s (goal < {CHECK_LIMIT_S} s: "
          f"{'met' if check.median < CHECK_LIMIT_S else 'NOT met'})")
    clean = True
    for name, (code, loaded) in imported.items():
        clean = clean and not loaded
        print(f"l10n {name} (exit {code}) machine-translation modules loaded: "
              f"{', '.join(loaded) if loaded else 'none'}")
    return 0 if agree and clean else 1


if __name__ == "__main__":
    sys.exit(main())
