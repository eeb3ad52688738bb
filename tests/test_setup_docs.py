"""The README's set-up is what CI runs, and it stays lean."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(number: int) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^# {number}\. .*\n(?P<command>.+)$", text, re.MULTILINE)
    assert match is not None, f"README command {number} not found"
    return match.group("command")


def test_ci_runs_the_readme_commands_word_for_word() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_command(1) in ci
    assert readme_command(2) in ci


def test_the_set_up_installs_no_torch_stack() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    used = re.findall(r"\.\[([\w,-]+)\]", readme_command(1))
    assert used == ["mt,test"]
    names = {re.split(r"[<>=!\[ ]", req)[0].lower()
             for extra in used[0].split(",") for req in extras[extra]}
    assert not names & {"argostranslate", "torch", "stanza", "spacy", "onnxruntime"}
    # argostranslate itself comes without its dependencies, in the same command.
    assert "pip install --no-deps 'argostranslate>=1.11,<2'" in readme_command(1)
