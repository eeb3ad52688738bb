"""`l10n check` and `l10n stats` load no machine-translation code, nor what draws pages,
Rich, or the readers of kinds of article the project does not have.

A CI job that only gates installs l10n without the `argos` extra, and the 2.8 s of
`import argostranslate.translate` (torch, stanza, spacy) would dwarf the check itself. The
commands run in a fresh interpreter in which importing any machine-translation module fails,
as it would without the extra, and every attempt is recorded, so that a lazy import hidden
behind `try: … except ImportError` is caught too, not only a module left in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from l10n.catalog.model import Provenance, fill
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumpb
from l10n.cli import app

ROOT = Path(__file__).resolve().parent.parent
# Third-party packages of the machine-translation extra (and what argostranslate pulls in),
# and l10n's own machine-translation modules. langdetect is not here: extract may use it.
# l10n.argos.limits is not here either: the command line shows its defaults in --help.
FORBIDDEN = ("torch", "ctranslate2", "argostranslate", "sentencepiece", "stanza", "spacy",
             "onnxruntime", "l10n.engines", "l10n.commands.translate", "l10n.argos.packages",
             "l10n.argos.archive", "l10n.argos.index", "l10n.argos.load_check",
             "l10n.argos.versions")
# What only drawing a page needs: the gate and the statistics draw none. Nor do they need
# Rich (their tables and JSON are plain text; Rich draws progress bars and error messages)
# or the readers of other article kinds than the project's (text here): loading a
# project's settings must not import the HTML, Markdown and front matter readers.
PAGES_ONLY = ("jinja2", "markupsafe", "l10n.render.page", "l10n.render.html",
              "l10n.render.review", "l10n.render.index", "rich", "markdown_it",
              "l10n.readers.html", "l10n.readers.markdown", "l10n.readers.front_matter",
              "l10n.readers.yaml_scalar")
# Each command runs in the same interpreter, after the ones before it.
COMMANDS = (("check",), ("check", "--format", "json"), ("stats",), ("stats", "--format", "json"))

PROBE = textwrap.dedent("""
    import importlib.abc, json, sys

    forbidden = tuple(json.loads(sys.argv[1]))
    pages_only = tuple(json.loads(sys.argv[3]))

    def is_forbidden(name, among=forbidden):
        return any(name == f or name.startswith(f + ".") for f in among)

    attempts = []

    class Block(importlib.abc.MetaPathFinder):
        # As if the machine-translation extra were not installed.
        def find_spec(self, name, path=None, target=None):
            if is_forbidden(name):
                attempts.append(name)
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Block())
    from typer.testing import CliRunner
    from l10n.cli import app

    report = {}
    for command in json.loads(sys.argv[4]):
        before = len(attempts)
        result = CliRunner().invoke(app, [*command, "--project", sys.argv[2]])
        report[" ".join(command)] = {
            "exit_code": result.exit_code,
            "output": result.output[-2000:],
            "attempted": attempts[before:],
            "loaded": sorted(m for m in sys.modules if is_forbidden(m)),
            "drawing": sorted(m for m in sys.modules if is_forbidden(m, pages_only)),
        }
    print(json.dumps(report))
""")


def _tiny_project(project: Path) -> None:
    """The seed article extracted, with a reviewed entry, a machine draft and the rest
    untranslated, so that status, provenance and the QA checks all run."""
    result = CliRunner().invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 0, result.output
    path = project / "locales" / "en" / "kasachstan-ukrainekrieg.po"
    po = load(path)
    po[0].msgstr = "Kazakhstan distances itself from Russia's war in Ukraine"
    po[1].msgstr = "Tokayev was on a visit to Moscow on 10 February."
    po[1].flags = ["fuzzy"]
    fill(po[1], po[1].msgstr, Provenance("argos translate-de_en 1.9", 0.5))
    path.write_bytes(dumpb(po))


def test_check_and_stats_import_no_machine_translation_code(project: Path) -> None:
    _tiny_project(project)
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(FORBIDDEN), str(project),
                           json.dumps(PAGES_ONLY), json.dumps(COMMANDS)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    # The gate fails (untranslated entries) but runs to the end; stats succeeds.
    for command in ("check", "check --format json"):
        assert report[command]["exit_code"] == 1, report[command]["output"]
    for command in ("stats", "stats --format json"):
        assert report[command]["exit_code"] == 0, report[command]["output"]
    for command, outcome in report.items():
        assert outcome["attempted"] == [], f"`l10n {command}` tried to import machine-" \
            f"translation code: {outcome['attempted']}"
        assert outcome["loaded"] == [], f"`l10n {command}` loaded {outcome['loaded']}"
        assert outcome["drawing"] == [], f"`l10n {command}` loaded {outcome['drawing']}"
