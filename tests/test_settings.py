"""Settings of the wrong shape or out of range: exit 2, naming the settings file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.cli import app

BAD_SETTINGS = [
    # (pyproject.toml body, text the error must contain)
    ("tool = 5", "[tool] must be a table, not 5"),
    ("[tool]\nl10n = 5", "[tool.l10n] must be a table, not 5"),
    ('[tool.l10n]\ncorpus = "/etc"', "corpus = '/etc' is outside the project folder"),
    ('[tool.l10n]\nlocales = "../elsewhere"', "locales = '../elsewhere' is outside"),
    ('[tool.l10n]\neditions = "/tmp"', "editions = '/tmp' is outside"),
    ('[tool.l10n]\nglossary = "../glossary.csv"', "glossary = '../glossary.csv' is outside"),
    ('[tool.l10n]\ncorpus = ""', "corpus = '' is outside"),
    ("[tool.l10n.check]\nmin-reviewed = nan", "min-reviewed must be a percentage from 0 to 100"),
    ("[tool.l10n.check]\nmin-reviewed = -5", "not -5"),
    ("[tool.l10n.check]\nmin-reviewed = 101", "not 101"),
    ("[tool.l10n.build]\nmin-translated = inf", "min-translated must be a percentage"),
    ('[tool.l10n]\nfront-matter-keys = "title"',
     "front-matter-keys must be a list of str, not 'title'"),
    ('[tool.l10n]\nfront-matter-keys = ["title", 3]', "front-matter-keys must be a list of str"),
    ('[tool.l10n]\nfront-matter-keys = ["title", ""]',
     "[tool.l10n] front-matter-keys: '' is not a top-level YAML key"),
    ('[tool.l10n]\nfront-matter-keys = ["seo: title"]', "'seo: title' is not a top-level YAML key"),
    ('[tool.l10n]\nfront-matter-keys = [" title"]', "' title' is not a top-level YAML key"),
    ('[tool.l10n.check]\ndisable = ["no-such-check"]', "unknown QA check 'no-such-check'"),
    ('[tool.l10n.check]\nseverity = { nope = "error" }', "unknown QA check 'nope'"),
    ('[tool.l10n.check]\nseverity = { quotes = "fatal" }', "must be 'error' or 'warning'"),
    ('[tool.l10n.build]\nformat = "pdf"', "format must be one of source, html, all"),
    ('[tool.l10n.build]\ntemplates = "../house"',
     "[tool.l10n.build] templates = '../house' is outside the project folder"),
]


@pytest.mark.parametrize(("body", "message"), BAD_SETTINGS,
                         ids=[body.replace("\n", " ") for body, _ in BAD_SETTINGS])
@pytest.mark.parametrize("command", ["extract", "check", "build", "stats"])
def test_bad_settings_name_the_settings_file(project: Path, body: str, message: str,
                                             command: str) -> None:
    (project / "pyproject.toml").write_text(body + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, [command, "--project", str(project)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"{project / 'pyproject.toml'}: " in result.output
    assert message in result.output


def test_a_standalone_l10n_toml_is_checked_the_same(project: Path) -> None:
    (project / "l10n.toml").write_text("tool = 5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--project", str(project)])
    assert result.exit_code == 2
    assert f"{project / 'l10n.toml'}: [tool] must be a table" in result.output


def test_paths_inside_the_project_are_fine(project: Path) -> None:
    (project / "sub").mkdir()
    (project / "corpus").rename(project / "sub" / "articles")
    (project / "pyproject.toml").write_text(
        '[tool.l10n]\ncorpus = "sub/articles"\nlocales = "./sub/../loc"\n'
        "[tool.l10n.check]\nmin-reviewed = 0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert any((project / "loc" / "en").glob("*.po"))


def test_a_symlink_out_of_the_project_is_outside(project: Path, tmp_path_factory:
                                                 pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "out").symlink_to(elsewhere, target_is_directory=True)
    (project / "pyproject.toml").write_text('[tool.l10n]\neditions = "out"\n',
                                            encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 2 and "editions = 'out' is outside" in result.output
