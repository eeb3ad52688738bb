"""`l10n translate` with the real Argos fixture package, end to end in fresh processes."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from l10n.catalog.model import provenance, status
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translate-de_en-tiny.argosmodel"
NAME = "kasachstan-ukrainekrieg"
pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("argostranslate", "ctranslate2")),
    reason="needs the argos extra: pip install 'l10n[argos]'")


def l10n(project: Path, home: Path, *args: str, **env_extra: str) -> tuple[int, str]:
    # A fresh process: argostranslate reads ARGOS_PACKAGES_DIR once, at import.
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(home / "packages"),
           "L10N_CACHE_DIR": str(home / "cache"), "HOME": str(home), **env_extra}
    where = [] if args[0] == "models" else ["--project", str(project)]
    done = subprocess.run([sys.executable, "-m", "l10n", *args, *where],
                          capture_output=True, text=True, env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_seed_corpus_with_the_fixture_model(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, output = l10n(project, home, "models", "install", str(FIXTURE))
    assert code == 0, output
    assert l10n(project, home, "extract")[0] == 0

    code, output = l10n(project, home, "translate", "--format", "json")
    assert code == 0, output
    summary = json.loads(output)
    assert summary["from_model"] == 28 and summary["model_calls"] == 1
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    assert all(status(e) == "draft" for e in po)
    prov = provenance(po[0])
    assert prov is not None and prov.origin == "argos translate-de_en-tiny 1.0"
    assert prov.score is not None and 0 < prov.score <= 1
    assert po[0].msgstr == "Kazakhstan distances itself from Russia's war in Ukraine"

    # A reviewer approves one draft and rewrites another; a sentence is added to the article.
    po[0].flags = []
    po[1].msgstr = "Rewritten by a human."
    po[1].flags = []
    po_path.write_text(dumps(po), encoding="utf-8")
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Leider ist dies nicht geschehen.", "Leider ist dies nicht geschehen. Es regnet."),
        encoding="utf-8")
    assert l10n(project, home, "extract")[0] == 0
    code, output = l10n(project, home, "translate", "--format", "json")
    summary = json.loads(output)
    assert summary["from_model"] == 1 and summary["entries_filled"] == 1
    po = load(po_path)
    assert po[0].msgstr == "Kazakhstan distances itself from Russia's war in Ukraine"
    assert po[1].msgstr == "Rewritten by a human." and status(po[1]) == "reviewed"

    # Catalogs lost: the cache answers, the model is not even loaded.
    po_path.unlink()
    (project / "locales" / "templates" / f"{NAME}.pot").unlink()
    assert l10n(project, home, "extract")[0] == 0
    code, output = l10n(project, home, "translate", "--format", "json",
                        PYTHONPROFILEIMPORTTIME="1")
    summary = json.loads(output[output.index("{"):output.rindex("}") + 1])
    assert summary["model_calls"] == 0 and summary["from_cache"] == 29
    loaded = re.findall(r"^import time:.*\|\s+(ctranslate2)$", output, re.MULTILINE)
    assert loaded == [], "a cache-only run must not load the model"


def test_markdown_markup_survives_the_fixture_model(tmp_path: Path) -> None:
    """The package was trained on plain sentences: given them, it translates them as it
    knows, and the markup goes back around the words (tests/test_markup_mt.py has the rules)."""
    from l10n.checks.markup import check_markup
    from l10n.checks.registry import CheckContext

    project = tmp_path / "project"
    (project / "corpus").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    (project / "corpus" / "a.md").write_text(
        "Die Hauptstadt von **Kasachstan** ist [Astana](https://astana.kz).\n\n"
        "Die Polizei nahm `drei` Verdächtige fest.\n\n"
        "Der Gipfel findet in <b>Brüssel</b> statt.\n", encoding="utf-8")
    home = tmp_path / "home"
    assert l10n(project, home, "models", "install", str(FIXTURE))[0] == 0
    assert l10n(project, home, "extract")[0] == 0
    code, output = l10n(project, home, "translate")
    assert code == 0, output
    drafts = {e.msgid: e.msgstr for e in load(project / "locales" / "en" / "a.po")}
    assert drafts["Die Hauptstadt von **Kasachstan** ist [Astana](https://astana.kz)."] == \
        "The capital of **Kazakhstan** is [Astana](https://astana.kz)."
    assert drafts["Der Gipfel findet in <b>Brüssel</b> statt."] == \
        "The summit takes place in <b>Brussels</b>."
    for msgid, msgstr in drafts.items():
        assert check_markup(msgid, msgstr, CheckContext()) is None, (msgid, msgstr)
    # The plain sentences went to the model, so the drafts read as its known translations.
    assert "three" in drafts["Die Polizei nahm `drei` Verdächtige fest."] or \
        "`drei`" in drafts["Die Polizei nahm `drei` Verdächtige fest."]
