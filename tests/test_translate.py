"""`l10n translate`: memory, engine, cache, provenance, interrupted runs, human work."""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.catalog.model import provenance, status
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.cli import app
from l10n.commands import translate as tr
from l10n.engines import Translation
from l10n.engines.cache import MTCache
from l10n.project import load_project

runner = CliRunner()
NAME = "kasachstan-ukrainekrieg"


@dataclass
class CountingEngine:
    """A stand-in engine that records calls and can die after a number of calls."""

    name: str = "fake"
    version: str = "7"
    label: str = "fake engine 7"
    cache_key: str = "fake/7"
    calls: int = 0
    texts: int = 0
    die_after: int | None = None

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None) -> list[Translation]:
        if self.die_after is not None and self.calls >= self.die_after:
            raise KeyboardInterrupt
        self.calls += 1
        self.texts += len(texts)
        return [Translation(f"EN({t})", 0.5) for t in texts]


def extracted(project: Path) -> Path:
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    return project / "locales" / "en" / f"{NAME}.po"


def run(project: Path, engine: CountingEngine, **kwargs: object) -> tr.Report:
    proj = load_project(project)
    work = tr.plan(proj, tr.Options(**kwargs))  # type: ignore[arg-type]
    return tr.apply(proj, work, lambda s, t: engine, cache=MTCache(), group_size=8)


def test_fills_every_entry_as_marked_draft(project: Path) -> None:
    po_path = extracted(project)
    engine = CountingEngine()
    report = run(project, engine)
    po = load(po_path)
    assert report.from_model == 28 == engine.texts
    assert all(status(e) == "draft" for e in po)
    assert all(e.msgstr == f"EN({e.msgid})" for e in po)
    prov = provenance(po[0])
    assert prov is not None and prov.origin == "fake engine 7" and prov.score == 0.5
    assert engine.calls == 1  # one batch for the whole catalog


def test_rerun_calls_the_model_zero_times(project: Path) -> None:
    po_path = extracted(project)
    run(project, CountingEngine())
    before = po_path.read_bytes()
    engine = CountingEngine()
    report = run(project, engine)
    assert engine.calls == 0 and report.entries_filled == 0
    assert po_path.read_bytes() == before
    # With the catalog gone, the cache answers: still no model call.
    po_path.unlink()
    (project / "locales" / "templates" / f"{NAME}.pot").unlink()
    extracted(project)
    report = run(project, engine)
    assert engine.calls == 0 and report.from_cache == 28


def test_human_translation_is_never_touched(project: Path) -> None:
    po_path = extracted(project)
    po = load(po_path)
    po[2].msgstr = "A human wrote this."
    po[3].msgstr = "An old human draft."
    po[3].flags = ["fuzzy"]
    po[3].previous_msgid = "Alte Fassung."
    po_path.write_text(dumps(po), encoding="utf-8")
    run(project, CountingEngine())
    po = load(po_path)
    assert po[2].msgstr == "A human wrote this." and "fuzzy" not in po[2].flags
    assert po[3].msgstr == "An old human draft."  # a source-changed fuzzy is left alone
    run(project, CountingEngine(), retranslate_fuzzy=True)
    po = load(po_path)
    assert po[2].msgstr == "A human wrote this."
    assert po[3].msgstr.startswith("EN(")
    assert "l10n-replaced: An old human draft." in po[3].tcomment


def test_translator_saving_during_the_run_wins(project: Path) -> None:
    po_path = extracted(project)
    proj = load_project(project)
    work = tr.plan(proj)
    # A translator fills an entry after the plan was made, before the results are written.
    po = load(po_path)
    po[1].msgstr = "Saved by a translator meanwhile."
    po_path.write_text(dumps(po), encoding="utf-8")
    tr.apply(proj, work, lambda s, t: CountingEngine(), cache=None)
    po = load(po_path)
    assert po[1].msgstr == "Saved by a translator meanwhile." and "fuzzy" not in po[1].flags
    assert po[2].msgstr.startswith("EN(")


def test_killed_run_leaves_valid_files_and_resumes(project: Path) -> None:
    # Three articles so that the run writes in several groups.
    article = project / "corpus" / f"{NAME}.txt"
    for i in (2, 3):
        (project / "corpus" / f"copy{i}.txt").write_text(
            article.read_text(encoding="utf-8").replace("Kasachstan", f"Kasachstan{i}"),
            encoding="utf-8")
    extracted(project)
    dying = CountingEngine(die_after=2)
    with pytest.raises(KeyboardInterrupt):
        run(project, dying)
    catalogs = sorted((project / "locales" / "en").glob("*.po"))
    states = [[status(e) for e in load(p)] for p in catalogs]  # all still parse
    assert any("draft" in s for s in states) and any("untranslated" in s for s in states)
    engine = CountingEngine()
    report = run(project, engine)
    assert all(status(e) == "draft" for p in catalogs for e in load(p))
    done_before = sum(s.count("draft") for s in states)
    assert report.entries_filled == sum(len(s) for s in states) - done_before
    assert not list((project / "locales").rglob("*.tmp"))


def test_memory_reuses_reviewed_translations(project: Path) -> None:
    po_path = extracted(project)
    po = load(po_path)
    po[0].msgstr = "Kazakhstan distances itself from Russia's war in Ukraine"
    po_path.write_text(dumps(po), encoding="utf-8")
    other = project / "corpus" / "other.txt"
    other.write_text("Kasachstan distanziert sich von Russlands Ukrainekrieg\n\n"
                     "Ein anderer Satz über die Lage in Kasachstan und Russland.\n",
                     encoding="utf-8")
    extracted(project)
    engine = CountingEngine()
    report = run(project, engine)
    assert report.from_memory == 1
    entry = load(project / "locales" / "en" / "other.po")[0]
    assert entry.msgstr == "Kazakhstan distances itself from Russia's war in Ukraine"
    assert status(entry) == "draft"
    prov = provenance(entry)
    assert prov is not None and prov.origin == f"translation memory locales/en/{NAME}.po"


def test_cli_pseudo_engine_and_dry_run(project: Path) -> None:
    extracted(project)
    result = runner.invoke(app, ["translate", "--project", str(project), "--dry-run",
                                 "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["pending"] == 28
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["from_model"] == 28 and summary["model_calls"] == 1
    po = load(project / "locales" / "en" / f"{NAME}.po")
    assert all(status(e) == "draft" and e.msgstr != e.msgid for e in po)
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo",
                                 "--format", "json"])
    assert json.loads(result.output)["model_calls"] == 0


def test_cli_run_without_model_says_how_to_get_one(project: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    result = runner.invoke(app, ["run", "--project", str(project)])
    assert result.exit_code == 2
    assert "no Argos model installed for de→en" in result.output
    assert "l10n models install de en" in result.output
    assert "--engine pseudo" in result.output


def test_cli_run_with_pseudo_engine_builds_editions(project: Path) -> None:
    result = runner.invoke(app, ["run", "--project", str(project), "--engine", "pseudo",
                                 "--edition", "all"])
    assert result.exit_code in (0, 1), result.output
    edition = (project / "editions" / "en" / f"{NAME}.txt").read_text(encoding="utf-8")
    assert edition.startswith("[Machine-translated, not yet reviewed.]\n\n")
    assert (project / "editions" / "en" / "index.html").exists()
    assert (project / "editions" / "en" / f"{NAME}.review.html").exists()


def test_retranslate_keeps_a_human_fuzzy_without_previous_msgid(project: Path) -> None:
    po_path = extracted(project)
    po = load(po_path)
    po[4].msgstr = "The minister said… (unsure)"
    po[4].flags = ["fuzzy"]
    po_path.write_text(dumps(po), encoding="utf-8")
    run(project, CountingEngine(), retranslate_fuzzy=True)
    entry = load(po_path)[4]
    assert entry.msgstr.startswith("EN(")
    assert "l10n-replaced: The minister said… (unsure)" in entry.tcomment


def test_latin1_catalog_switches_to_utf8_when_a_draft_needs_it(project: Path) -> None:
    from l10n.catalog.po.write import dumpb

    (project / "corpus" / f"{NAME}.txt").write_text(
        "Köln im Überblick\n\nDie Stadt am Rhein ist groß und alt.\n", encoding="utf-8")
    po_path = extracted(project)
    po = load(po_path)
    po.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    po[0].msgstr = "Cologne at a glance"
    po_path.write_bytes(dumpb(po))
    assert b"charset=ISO-8859-1" in po_path.read_bytes()
    engine = CountingEngine()
    engine.translate_batch = lambda texts, on_progress=None: [  # type: ignore[method-assign]
        Translation(f"“{t}”", 0.9) for t in texts]
    run(project, engine)
    written = load(po_path)
    assert "charset=UTF-8" in written.metadata["Content-Type"]
    assert written[0].msgstr == "Cologne at a glance"
    assert written[1].msgstr == "“Die Stadt am Rhein ist groß und alt.”"


def test_progress_counts_each_sentence_once(project: Path) -> None:
    extracted(project)
    proj = load_project(project)
    ticks: list[int] = []

    class Reporting(CountingEngine):
        def translate_batch(self, texts: Sequence[str], *,  # type: ignore[override]
                            on_progress: Callable[[int], None] | None = None
                            ) -> list[Translation]:
            for done in range(1, len(texts) + 1):  # engines report running totals
                if on_progress:
                    on_progress(done)
            return super().translate_batch(texts)

    tr.apply(proj, tr.plan(proj), lambda s, t: Reporting(), cache=None, on_progress=ticks.append)
    assert sum(ticks) == 28


def _copies(project: Path, count: int) -> None:
    """`count` more articles like the fixture's, sharing most sentences with it."""
    article = project / "corpus" / f"{NAME}.txt"
    for i in range(count):
        (project / "corpus" / f"copy{i}.txt").write_text(
            article.read_text(encoding="utf-8").replace("Kasachstan", f"Kasachstan{i}"),
            encoding="utf-8")


def test_a_run_holds_one_group_of_catalogs_not_the_plan(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Five catalogs, one per group: planning and translating must not keep them all.
    _copies(project, 4)
    extracted(project)
    live: set[int] = set()
    most: list[int] = []

    class Spied(tr.Job):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            live.add(id(self))
            weakref.finalize(self, live.discard, id(self))

    class Watching(CountingEngine):
        def translate_batch(self, texts: Sequence[str], *,  # type: ignore[override]
                            on_progress: Callable[[int], None] | None = None
                            ) -> list[Translation]:
            gc.collect()
            most.append(len(live))
            return super().translate_batch(texts)

    monkeypatch.setattr(tr, "Job", Spied)
    proj = load_project(project)
    work = tr.plan(proj)
    gc.collect()
    assert not live  # the plan is rows in its database, not catalogs in memory
    engine = Watching()
    report = tr.apply(proj, work, lambda s, t: engine, cache=None, group_size=2)
    assert engine.calls == 5 and report.entries_filled == 5 * 28
    assert most and 1 <= max(most) <= 2  # the group translated, the next one looked ahead


def test_progress_total_is_each_sentence_once_per_language(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from l10n.cli import pipeline as cli

    _copies(project, 4)
    extracted(project)
    totals: list[int | None] = []
    real = cli.progress

    def recording(label: str, total: int | None):  # type: ignore[no-untyped-def]
        totals.append(total)
        return real(label, total)

    monkeypatch.setattr(cli, "progress", recording)
    catalogs = sorted((project / "locales" / "en").glob("*.po"))
    expected = len({e.msgid for path in catalogs for e in load(path)})
    assert 28 < expected < 5 * 28  # the copies share sentences
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine",
                                 "pseudo", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert totals == [expected]
    dry = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo",
                              "--dry-run", "--retranslate-fuzzy", "--format", "json"])
    listing = json.loads(dry.output)
    assert listing["pending"] == 5 * 28 == sum(len(c["entries"]) for c in listing["catalogs"])
    assert [c["catalog"] for c in listing["catalogs"]] == [
        p.relative_to(project).as_posix() for p in catalogs]


def test_corrupt_cache_is_a_clear_warning(project: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache only saves work: translating goes on without it (tests/test_faults.py has
    # the locked, corrupt-inside and full-disk cases).
    extracted(project)
    cache_dir = tmp_path / "badcache"
    cache_dir.mkdir()
    (cache_dir / "mt-cache.sqlite3").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("L10N_CACHE_DIR", str(cache_dir))
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo"])
    assert result.exit_code == 0
    assert "warning:" in result.output and "translating without it" in result.output
    assert "cannot use the machine-translation cache" in result.output
    assert "--no-cache" in result.output


def test_run_rejects_an_unknown_engine_before_writing(project: Path) -> None:
    result = runner.invoke(app, ["run", "--project", str(project), "--engine", "deepl"])
    assert result.exit_code == 2 and "unknown engine 'deepl'" in result.output
    assert not (project / "locales").exists()


def test_pseudo_run_passes_the_gate_and_is_recognised(project: Path) -> None:
    from l10n.catalog.model import PSEUDO_ORIGIN
    from l10n.engines.pseudo import PseudoEngine

    assert PseudoEngine().label.startswith(PSEUDO_ORIGIN)
    result = runner.invoke(app, ["run", "--project", str(project), "--engine", "pseudo"])
    assert result.exit_code == 0, result.output
    assert "check passed" in result.output


def test_translate_refuses_a_language_that_is_not_a_target(project: Path) -> None:
    extracted(project)
    result = runner.invoke(app, ["translate", "--project", str(project), "--lang", "fr"])
    assert result.exit_code == 2 and "fr is not a target language" in result.output


def test_an_unknown_device_is_bad_input(project: Path) -> None:
    extracted(project)
    result = runner.invoke(app, ["translate", "--project", str(project), "--device", "tpu"])
    assert result.exit_code == 2 and "unknown device 'tpu'" in result.output
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n\n'
        '[tool.l10n.translate]\ndevice = "gpu"\n', encoding="utf-8")
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo"])
    assert result.exit_code == 2 and "unknown device 'gpu'" in result.output
    assert "pyproject.toml" in result.output


def test_the_device_reaches_the_engine(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extracted(project)
    asked: list[str] = []

    def fake(name: str, source: str, target: str, *, device: str = "auto") -> CountingEngine:
        asked.append(device)
        return CountingEngine()

    monkeypatch.setattr("l10n.engines.load_engine", fake)
    proj = load_project(project)
    tr.run(proj, tr.options_from(proj, device="cpu"))
    assert asked == ["cpu"]
