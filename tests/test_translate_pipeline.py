"""`l10n translate` with an engine that works in the background (`submit`, as CTranslate2):
the next group goes to the engine before the current one is collected, catalogs are read
ahead meanwhile, and neither changes what is written nor loses a translator's save."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.catalog.model import status
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumpb
from l10n.cli import app
from l10n.commands import translate as tr
from l10n.engines import Translation
from l10n.project import load_project

runner = CliRunner()
NAME = "kasachstan-ukrainekrieg"


class Engine:
    """Translates in Python, when asked to."""

    name, version, label, cache_key = "fake", "1", "fake engine 1", "fake/1"
    keeps_markup = False

    def __init__(self) -> None:
        self.events: list[str] = []

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None,
                        align: bool = False) -> list[Translation]:
        return [Translation(f"EN({t})", 0.5) for t in texts]


class Background(Engine):
    """Works outside the interpreter: `submit` now, `result()` later."""

    native = True

    def __init__(self, before_result: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.before_result = before_result

    def submit(self, texts: Sequence[str], *, align: bool = False) -> _Submitted:
        self.events.append(f"submit {texts[0]}")
        return _Submitted(self, list(texts))


class _Submitted:
    def __init__(self, engine: Background, texts: list[str]) -> None:
        self.engine, self.texts = engine, texts

    def result(self, on_progress: Callable[[int], None] | None = None) -> list[Translation]:
        self.engine.events.append(f"result {self.texts[0]}")
        if self.engine.before_result is not None:
            self.engine.before_result()
        return self.engine.translate_batch(self.texts)


def _project(project: Path, copies: int) -> list[Path]:
    article = project / "corpus" / f"{NAME}.txt"
    for i in range(copies):  # articles of their own sentences: one group each below
        (project / "corpus" / f"copy{i}.txt").write_text(
            article.read_text(encoding="utf-8").replace(" ", f" {i}", 1), encoding="utf-8")
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    return sorted((project / "locales" / "en").glob("*.po"))


def _translate(project: Path, engine: Engine, group_size: int = 28) -> tr.Report:
    proj = load_project(project)
    return tr.apply(proj, tr.plan(proj), lambda s, t: engine, cache=None,
                    group_size=group_size)


def test_the_next_group_is_submitted_before_this_one_is_collected(
        project: Path, tmp_path: Path) -> None:
    catalogs = _project(project, 2)
    pristine = {path: path.read_bytes() for path in catalogs}
    engine = Background()
    report = _translate(project, engine)
    assert report.model_calls == 3 and report.entries_filled == 3 * 28
    submits = [i for i, event in enumerate(engine.events) if event.startswith("submit")]
    results = [i for i, event in enumerate(engine.events) if event.startswith("result")]
    assert len(submits) == len(results) == 3
    assert submits[1] < results[0] and submits[2] < results[1]  # one group ahead
    written = {path: path.read_bytes() for path in catalogs}

    for path, raw in pristine.items():  # the same run, one group after the other
        path.write_bytes(raw)
    _translate(project, Engine())
    assert {path: path.read_bytes() for path in catalogs} == written


def test_a_save_after_the_catalog_was_read_ahead_is_kept(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (po_path,) = _project(project, 0)
    read = threading.Event()
    real = tr._read_ahead

    def reading(group: list[tr.Job]) -> dict[Path, object]:
        kept = real(group)
        assert po_path in kept  # read ahead, and kept for the update
        read.set()
        return kept  # type: ignore[return-value]

    def translator_saves() -> None:
        assert read.wait(10)
        po = load(po_path)
        po[3].msgstr = "Saved by a translator."
        po_path.write_bytes(dumpb(po))

    monkeypatch.setattr(tr, "_read_ahead", reading)
    report = _translate(project, Background(before_result=translator_saves))
    po = load(po_path)
    assert po[3].msgstr == "Saved by a translator." and status(po[3]) == "reviewed"
    assert report.entries_filled == 27
    assert all(status(e) == "draft" for i, e in enumerate(po) if i != 3)
