"""Command-line conventions: --version, -h everywhere, help that reads at 80 columns,
-q/-v, shell completion, one meaning per option name, and `l10n init`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from l10n import __version__
from l10n.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def commands() -> list[list[str]]:
    """Every command path: [], ["extract"], …, ["models"], ["models", "install"], …"""
    found: list[list[str]] = []

    # Typer may bring its own copy of click: tell groups and options by their attributes.
    def walk(command: Any, path: list[str]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def options_of(path: list[str]) -> list[Any]:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return [p for p in command.params if p.param_type_name == "option"]


def l10n(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "l10n", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"l10n {__version__}\n"


def test_every_command_knows_the_commands_it_should() -> None:
    names = {" ".join(path) for path in commands()}
    assert {"init", "extract", "translate", "build", "check", "stats", "run", "models",
            "models install", "models list", "models remove"} <= names


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "l10n")
def test_help_reads_at_80_columns_when_piped(path: list[str]) -> None:
    for flag in ("-h", "--help"):
        done = l10n(*path, flag, env={"COLUMNS": "80"})
        assert done.returncode == 0, done.stderr
        text = done.stdout
        assert text.startswith("Usage: l10n"), text
        assert max(len(line) for line in text.splitlines()) <= 80
        # Nothing cut short (Rich's tables end a cut word with "…"), no colour codes.
        assert not re.search(r"\w…", text) and "\x1b[" not in text
        for option in options_of(path):
            for name in option.opts:  # every option name in full
                assert name in text, f"{name} missing from `l10n {' '.join(path)} -h`"


def test_quiet_and_verbose(project: Path) -> None:
    result = runner.invoke(app, ["-q", "extract", "--project", str(project)])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(app, ["-v", "extract", "--project", str(project)])
    assert result.exit_code == 0 and "unchanged locales/en/" in result.output
    result = runner.invoke(app, ["-q", "check", "--project", str(project / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.output  # errors still show
    result = runner.invoke(app, ["-q", "-v", "stats"])
    assert result.exit_code == 2 and "contradict" in result.output


def test_shell_completion_completes_commands_and_options() -> None:
    done = l10n(env={"_L10N_COMPLETE": "complete_bash", "COMP_WORDS": "l10n ext",
                     "COMP_CWORD": "1"})
    assert done.stdout.split() == ["extract"]
    done = l10n(env={"_L10N_COMPLETE": "complete_bash", "COMP_WORDS": "l10n build --ed",
                     "COMP_CWORD": "2"})
    assert done.stdout.split() == ["--edition"]
    assert "_l10n_completion" in l10n("--show-completion", "bash").stdout


def test_one_meaning_per_option_name() -> None:
    meaning: dict[str, set[str]] = {}
    for path in commands():
        for option in options_of(path):
            for name in [*option.opts, *option.secondary_opts]:
                meaning.setdefault(name, set()).add(option.name or "")
    ambiguous = {name: names for name, names in meaning.items() if len(names) > 1}
    assert ambiguous == {}
    # --format is always what a command prints; the editions' format is --edition.
    for path in commands():
        for option in options_of(path):
            if "--format" in option.opts:
                assert "Edition" not in (option.help or ""), path
    assert any("--edition" in o.opts for o in options_of(["build"]))


def test_init_makes_a_project_that_runs(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = runner.invoke(app, ["init", str(folder), "--lang", "en", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "made an l10n project" in result.output and "next:" in result.output
    assert f"l10n run --engine pseudo --project {folder}" in result.output
    assert (folder / "l10n.toml").is_file() and (folder / "locales").is_dir()
    assert 'target-langs = ["en", "fr"]' in (folder / "l10n.toml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["run", "--engine", "pseudo", "--project", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "editions" / "fr" / "beispiel.txt").is_file()


def test_init_refuses_an_existing_project_and_bad_languages(project: Path,
                                                            tmp_path: Path) -> None:
    before = (project / "pyproject.toml").read_bytes()
    result = runner.invoke(app, ["init", str(project)])
    assert result.exit_code == 2 and "an l10n project already" in result.output
    assert (project / "pyproject.toml").read_bytes() == before
    for args, message in ((["--lang", "../x"], "not a language code"),
                          (["--lang", "de"], "also a target")):
        result = runner.invoke(app, ["init", str(tmp_path / "x"), *args])
        assert result.exit_code == 2 and message in result.output
        assert not (tmp_path / "x").exists()
