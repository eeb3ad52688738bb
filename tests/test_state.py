"""The incremental path: remembered results are reused only for byte-identical inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.commands import extract as ex
from l10n.commands.gate import options_from
from l10n.commands.gate import run as run_gate
from l10n.project import load_project
from l10n.state import FILE, FOLDER, State

runner = CliRunner()
NAME = "kasachstan-ukrainekrieg"


def _extract(project: Path) -> ex.Report:
    return ex.run(load_project(project))


def _gate(project: Path, *, remember: bool = True) -> dict[str, object]:
    proj = load_project(project)
    result = run_gate(proj, options_from(proj, min_reviewed=0), remember=remember)
    return {"issues": sorted(str(i) for i in result.issues),
            "catalogs": sorted(str(c) for c in result.catalogs),
            "bad": [str(e) for e in result.errors]}


def _same_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size


def test_unchanged_corpus_is_not_read_again(project: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _extract(project)
    calls: list[Path] = []
    real = ex.read_document

    def counting(path: Path, **kwargs: object) -> object:
        calls.append(path)
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ex, "read_document", counting)
    report = _extract(project)
    assert calls == [] and report.written == [] and len(report.unchanged) == 2
    assert (project / FOLDER / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_an_edit_that_keeps_size_and_mtime_is_noticed(project: Path) -> None:
    _extract(project)
    assert _gate(project)["issues"] == _gate(project, remember=False)["issues"]
    article = project / "corpus" / f"{NAME}.txt"
    _same_size_and_mtime(article, "Leider", "Lieder")
    report = _extract(project)
    assert len(report.written) == 2
    po = (project / "locales" / "en" / f"{NAME}.po").read_text(encoding="utf-8")
    assert "Lieder" in po
    # check sees the article and template change too, and agrees with a full run.
    _same_size_and_mtime(article, "Lieder", "Leider")
    warm = _gate(project)
    assert warm == _gate(project, remember=False)
    assert any("out-of-date" in issue for issue in warm["issues"])  # type: ignore[union-attr]


def test_added_removed_and_renamed_articles_are_noticed(project: Path) -> None:
    _extract(project)
    corpus = project / "corpus"
    (corpus / "neu.txt").write_text("Neue Meldung\n\nDie Regierung hat heute in Berlin einen "
                                    "neuen Plan vorgestellt, der viele Fragen offen lässt.\n",
                                    encoding="utf-8")
    report = _extract(project)
    assert Path("locales/en/neu.po") in report.written
    (corpus / "neu.txt").rename(corpus / "umbenannt.txt")
    report = _extract(project)
    assert Path("locales/en/umbenannt.po") in report.written
    warm = _gate(project)
    assert warm == _gate(project, remember=False)
    assert any("orphan-catalog" in i and "neu.po" in i for i in warm["issues"])  # type: ignore[union-attr]
    (corpus / "umbenannt.txt").unlink()
    assert _gate(project) == _gate(project, remember=False)


def test_catalog_edits_and_settings_changes_are_noticed(project: Path) -> None:
    _extract(project)
    first = _gate(project)
    path = project / "locales" / "en" / f"{NAME}.po"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr ""\n\n#. caption', 'msgstr "Kazakhstan distances itself"\n\n#. caption', 1),
        encoding="utf-8")
    second = _gate(project)
    assert second != first and second == _gate(project, remember=False)
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n'
        '[tool.l10n.check]\ndisable = ["numbers"]\n', encoding="utf-8")
    proj = load_project(project)
    warm = run_gate(proj, options_from(proj, min_reviewed=0))
    cold = run_gate(proj, options_from(proj, min_reviewed=0), remember=False)
    assert sorted(map(str, warm.issues)) == sorted(map(str, cold.issues))


def test_a_wrong_language_verdict_is_remembered_and_force_still_works(project: Path) -> None:
    (project / "corpus" / "english.txt").write_text(
        "An English article\n\nThe government presented a new plan in London today, and it "
        "leaves many questions open for the people who live there.\n", encoding="utf-8")
    assert [p for p, _ in _extract(project).skipped] == [Path("corpus/english.txt")]
    assert [p for p, _ in _extract(project).skipped] == [Path("corpus/english.txt")]
    report = ex.run(load_project(project), ex.Options(force=True))
    assert Path("locales/en/english.po") in report.written


@pytest.mark.parametrize("damage", [b"garbage, not a database" * 100, b""])
def test_a_broken_state_file_is_rebuilt(project: Path, damage: bytes) -> None:
    _extract(project)
    state_file = project / FOLDER / FILE
    for extra in ("-wal", "-shm"):
        Path(f"{state_file}{extra}").unlink(missing_ok=True)
    state_file.write_bytes(damage)
    assert _extract(project).errors == []
    assert _gate(project) == _gate(project, remember=False)
    with State(project) as state:
        assert state.get("extract", f"corpus/{NAME}.txt") is not None


def test_a_read_only_project_still_works(project: Path) -> None:
    _extract(project)
    (project / FOLDER / FILE).unlink()
    os.chmod(project / FOLDER, 0o500)
    try:
        if os.access(project / FOLDER, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = runner.invoke(app, ["check", "--project", str(project), "--min-reviewed", "0",
                                     "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["catalogs"]
    finally:
        os.chmod(project / FOLDER, 0o700)


def test_moved_locales_are_reported_where_they_are(project: Path) -> None:
    _extract(project)
    _gate(project)
    (project / "locales").rename(project / "po")
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\nlocales = "po"\n',
        encoding="utf-8")
    warm = _gate(project)
    assert warm == _gate(project, remember=False)
    assert "po/en/" in " ".join(warm["catalogs"])  # type: ignore[arg-type]


def test_a_damaged_remembered_value_is_computed_again(project: Path) -> None:
    import sqlite3

    _extract(project)
    cold = _gate(project, remember=False)
    _gate(project)
    with sqlite3.connect(project / FOLDER / FILE) as db:
        db.execute("UPDATE memo SET value = '{not json'")
    assert _gate(project) == cold
    assert _extract(project).errors == []
