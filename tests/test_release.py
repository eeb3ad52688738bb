"""The release: one version, named by the changelog; hooks that pin to a tag and run offline."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from l10n import __version__

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_lives_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "l10n.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_the_changelog_starts_with_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\S+) — \d{4}-\d\d-\d\d$", text, re.MULTILINE)
    assert releases and releases[0] == __version__
    assert len(set(releases)) == len(releases)


def test_hooks_pin_to_this_release_and_have_offline_variants() -> None:
    yaml = pytest.importorskip("yaml")
    path = ROOT / ".pre-commit-hooks.yaml"
    hooks = {hook["id"]: hook for hook in yaml.safe_load(path.read_text(encoding="utf-8"))}
    for name in ("l10n-check", "l10n-extract"):
        assert hooks[name]["language"] == "python"
        offline = hooks[f"{name}-system"]
        assert offline["language"] == "system"  # the l10n on PATH: nothing to install
        assert offline["entry"] == hooks[name]["entry"]
        assert offline["files"] == hooks[name]["files"]
    assert f"rev: v{__version__}" in path.read_text(encoding="utf-8")
    assert f"rev: v{__version__}" in (ROOT / "README.md").read_text(encoding="utf-8")
