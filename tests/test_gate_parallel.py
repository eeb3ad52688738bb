"""A cold gate over enough articles spreads them over worker processes: the report is the
same, finding for finding, as one process gives, with fork and with spawn."""

from __future__ import annotations

import csv
import json
import multiprocessing
from pathlib import Path

import pytest

from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumpb
from l10n.commands import extract as ex
from l10n.commands import gate
from l10n.project import load_project

PUD = Path(__file__).parent / "data" / "parallel" / "de_en_pud.tsv"
ARTICLES = gate._PARALLEL_FROM + 5


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough reviewed articles for the gate to start workers, with findings of every
    kind: QA findings, an out-of-date catalog, an unreadable one, a missing one."""
    root = tmp_path_factory.mktemp("archive")
    with PUD.open(encoding="utf-8", newline="") as fh:
        pairs = [(row["de"], row["en"]) for row in csv.DictReader(fh, delimiter="\t")]
    (root / "corpus").mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    for i in range(ARTICLES):
        sentences = pairs[3 * i:3 * i + 3]
        (root / "corpus" / f"a{i:03d}.txt").write_text(
            f"Meldung {i}\n\n" + " ".join(de for de, _ in sentences) + "\n", encoding="utf-8")
    ex.run(load_project(root))
    english = dict(pairs)
    for path in (root / "locales" / "en").glob("*.po"):
        po = load(path)
        for entry in po:
            entry.msgstr = english.get(entry.msgid, entry.msgid)
        path.write_bytes(dumpb(po))
    (root / "corpus" / "a001.txt").write_text("Neu.\n\nGanz neu.\n", encoding="utf-8")
    (root / "locales" / "en" / "a002.po").write_text('msgid "x"\n', encoding="utf-8")
    (root / "locales" / "en" / "a003.po").unlink()
    return root


def _report(root: Path, jobs: int) -> dict[str, object]:
    project = load_project(root)
    return gate.run(project, gate.options_from(project, min_reviewed=0), remember=False,
                    jobs=jobs).as_json()


def test_workers_report_what_one_process_reports(archive: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _report(archive, 1)
    codes = {issue["code"] for issue in serial["issues"]}  # type: ignore[attr-defined]
    assert {"out-of-date", "missing-catalog", "qa/identical"} <= codes
    assert serial["bad_input"]
    here: list[Path] = []
    real = gate._Gate.fresh

    def fresh(self: gate._Gate, article: Path) -> tuple[str, gate.Report]:
        here.append(article)  # calls in this process; the workers' are theirs
        return real(self, article)

    monkeypatch.setattr(gate._Gate, "fresh", fresh)
    assert json.dumps(_report(archive, 2)) == json.dumps(serial)
    assert here == [Path("corpus/a000.txt")]  # the rest went to the workers


def test_spawned_workers_report_what_one_process_reports(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What macOS and Windows use: workers that import l10n afresh.
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: real("spawn"))
    assert json.dumps(_report(archive, 2)) == json.dumps(_report(archive, 1))
