"""Cold start of `l10n check` and `l10n stats` on small projects (issue #13).

Run from the repository root:

    .venv/bin/python bench/cold_start.py [--runs 7] [--baseline DIR]

A gate on a small project is mostly interpreter start and imports, so this times whole
processes, in wall time, the way CI runs them (the `l10n` console script next to this
interpreter, else `python -m l10n`):

1. Builds two small projects in a temporary folder: the seed article fully translated
   (as bench/stats_check.py builds it), and a five-article project (the seed article and
   four others made of its paragraphs in another order, so every entry has its reference
   translation from tests/data/seed_en.tsv and the gate passes). Both have the glossary.
2. Times, on each project, `l10n check`, `l10n check --format json`, `l10n stats` and
   `l10n stats --format json`, and `python -c pass` beside them: one untimed pass each (it
   writes .pyc files, the page cache and the gate's .l10n/ state, as a CI job that caches
   .l10n/ has them), then `--runs` rounds that run every command once in turn, so that
   other load on the machine falls on all of them alike. Best and median are shown, and
   the best less that of `python -c pass` (what l10n itself costs, the figure least moved
   by a busy machine); the goal (at most 0.12 s) is judged on the best, the least
   disturbed run. `l10n check --no-state` (every article checked again, as in a CI job
   that does not cache .l10n/) is shown beside, not held to the goal.
   With `--baseline DIR` the same commands run with DIR's l10n as well (another checkout
   or worktree, e.g. a clean one of the main branch), interleaved in the same rounds, on
   a copy of each project of its own: before and after from one run.
3. Runs each command once under `python -X importtime` and lists the heavy modules it
   imports (rich, markdown-it, langdetect, the HTML reader, ...): a gate that prints one
   line should load none of what only drawing a table, help or a page needs.

The code timed is this checkout's: the children get PYTHONPATH set to it (an editable
install elsewhere would otherwise be what runs), and PYTHONDONTWRITEBYTECODE removed (it
would make every run compile every module again, which an installed l10n never does).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from stats_check import SEED, Runs, l10n_command, translated_project  # noqa: E402

GOAL_S = 0.12
# Modules worth naming when a command imports them: what draws (rich, and typer's use of
# it), what reads other article kinds or detects languages, what machine translation needs.
HEAVY = ("rich", "typer.rich_utils", "markdown_it", "mdit_py_plugins", "langdetect",
         "jinja2", "markupsafe", "sentence_splitter", "regex", "polib", "sqlite3",
         "_hashlib", "inspect", "l10n.readers.html", "l10n.readers.markdown",
         "l10n.readers.yaml_scalar", "l10n.render", "l10n.checks", "torch", "ctranslate2",
         "argostranslate", "l10n.engines", "l10n.commands.translate")
COMMANDS = {
    "check": ("check",),
    "check --format json": ("check", "--format", "json"),
    "stats": ("stats",),
    "stats --format json": ("stats", "--format", "json"),
}
# Shown beside, not held to the goal: a CI job that does not cache .l10n/ checks every
# article again (segmenting it and running the QA checks).
INFO = {"check --no-state": ("check", "--no-state")}


def five_articles() -> dict[str, str]:
    """The seed article and four more, each its paragraphs rotated (the title stays first)."""
    text = SEED.read_bytes().decode("utf-8")
    title, *paragraphs = text.rstrip("\n").split("\n\n")
    articles = {SEED.name: text}
    for k in range(1, 5):
        shift = k * len(paragraphs) // 5
        body = paragraphs[shift:] + paragraphs[:shift]
        articles[f"artikel-{k}.txt"] = "\n\n".join([title, *body]) + "\n"
    return articles


def child_env(source: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(source)
    return env


@dataclass
class Row(Runs):
    label: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    goal: bool = False  # held to the goal
    runs: list[float] = field(default_factory=list)
    exit_code: int | None = None

    def run(self) -> float:
        start = time.perf_counter()
        done = subprocess.run(self.command, env=self.env, cwd=self.cwd, capture_output=True,
                              text=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"{self.label} failed (exit {done.returncode}):\n"
                             f"{done.stderr[-2000:]}")
        self.exit_code = done.returncode
        return seconds


def imported(args: tuple[str, ...], env: dict[str, str], cwd: Path) -> list[str]:
    """Every module `l10n ARGS` imports, from `python -X importtime` (on stderr)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "l10n", *args], env=env,
                          cwd=cwd, capture_output=True, text=True, check=False)
    names = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the heading line
                names.append(name)
    return names


def heavy(names: list[str]) -> list[str]:
    return [h for h in HEAVY if any(n == h or n.startswith(h + ".") for n in names)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed rounds")
    parser.add_argument("--baseline", type=Path,
                        help="another l10n checkout to time beside this one (e.g. main)")
    args = parser.parse_args()
    sources = {"this": ROOT}
    if args.baseline:
        sources = {"baseline": args.baseline.resolve(), "this": ROOT}

    with tempfile.TemporaryDirectory(prefix="l10n-cold-") as tmp:
        projects = {"seed": Path(tmp) / "seed", "5 articles": Path(tmp) / "five"}
        translated_project(projects["seed"], {SEED.name: SEED.read_bytes().decode("utf-8")})
        translated_project(projects["5 articles"], five_articles())

        rows = [Row("python -c pass", [sys.executable, "-c", "pass"], child_env(ROOT), ROOT)]
        for project_label, project in projects.items():
            # A copy of the project per checkout: the gate's state remembers which code
            # computed a result, so two checkouts sharing one would recompute every time.
            copies = {source_label: project.with_name(f"{project.name}-{source_label}")
                      for source_label in sources}
            for copy in copies.values():
                shutil.copytree(project, copy)
            for label, command in {**COMMANDS, **INFO}.items():
                for source_label, source in sources.items():
                    tag = f" [{source_label}]" if args.baseline else ""
                    rows.append(Row(f"{project_label}: l10n {label}{tag}",
                                    l10n_command(*command), child_env(source),
                                    copies[source_label],
                                    goal=label in COMMANDS and source == ROOT))
        for row in rows:  # untimed: .pyc files, page cache, the gate's state
            row.run()
        for _ in range(args.runs):
            for row in rows:
                row.runs.append(row.run())

        probes = {**COMMANDS, "--help": ("--help",), "check --help": ("check", "--help")}
        seed = projects["seed"].with_name("seed-this")  # its state is this checkout's
        loaded = {label: heavy(imported(command, child_env(ROOT), seed))
                  for label, command in probes.items()}

    # "over start": the best less that of `python -c pass`, what l10n itself costs.
    print(f"{'command':50} {'best s':>7} {'median s':>9} {'over start':>10}  exit")
    for row in rows:
        print(f"{row.label:50} {row.best:7.3f} {row.median:9.3f} "
              f"{row.best - rows[0].best:10.3f}  {row.exit_code}"
              f"{'  (not held to the goal)' if row.label.split(': l10n ')[-1] in INFO else ''}")
    print()
    worst = max((r for r in rows if r.goal), key=lambda r: r.best)
    met = worst.best <= GOAL_S
    print(f"goal: cold start of check and stats on a small project <= {GOAL_S:.2f} s "
          f"(best of {args.runs}): {'met' if met else 'NOT met'} "
          f"(slowest: {worst.label}, {worst.best:.3f} s; python -c pass {rows[0].best:.3f} s)")
    print()
    print("heavy modules imported (seed project):")
    for label, names in loaded.items():
        print(f"  l10n {label:22} {', '.join(names) if names else 'none'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
