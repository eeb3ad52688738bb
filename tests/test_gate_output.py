"""`l10n check` output that CI parses: table, GitHub annotations and job summary, JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.cli import app, fail
from l10n.cli.output import print_gate_table
from l10n.commands.gate import JSON_SCHEMA_VERSION, Issue
from l10n.commands.gate import Report as GateReport
from l10n.errors import BadInputError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "kasachstan-ukrainekrieg.txt"
NAME = SEED.stem
runner = CliRunner()


def l10n(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def translated_project(root: Path) -> tuple[Path, Path]:
    """A project at `root` whose catalog is the reference translation with one wrong number
    and one sentence without its full stop: one error and one warning. Returns the catalog."""
    (root / "corpus").mkdir(parents=True)
    shutil.copy(SEED, root / "corpus" / SEED.name)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    code, output = l10n("extract", "--project", str(root))
    assert code == 0, output
    reference = dict(line.split("\t") for line in (ROOT / "tests" / "data" / "seed_en.tsv")
                     .read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    po_path = root / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    for entry in po:
        entry.msgstr = reference[entry.msgid]
    po[3].msgstr = po[3].msgstr.replace("March 3", "March 4")
    po[4].msgstr = po[4].msgstr.rstrip(".")
    po_path.write_text(dumps(po), encoding="utf-8")
    return root, po_path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A project in the subfolder site/ of a repository checkout, the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return translated_project(tmp_path / "site")


def test_table_keeps_file_and_line_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    # Rich reads ":100:" as the emoji code for 💯 unless told not to.
    print_gate_table(GateReport(issues=[Issue("error", "qa/numbers", "numbers differ: missing 5",
                                          Path("locales/en/a.po"), 100)]))
    fail(BadInputError("cannot parse [1]", path=Path("locales/en/b.po"), line=100))
    captured = capsys.readouterr()
    assert "locales/en/a.po:100: error [qa/numbers] numbers differ: missing 5" in captured.out
    assert "locales/en/b.po:100: cannot parse [1]" in captured.err
    assert "\N{HUNDRED POINTS SYMBOL}" not in captured.out + captured.err


def test_table_ends_with_counts_per_check(site: tuple[Path, Path]) -> None:
    root, po_path = site
    code, output = l10n("check", "--project", str(root))
    assert code == 1
    lines = output.splitlines()
    po = load(po_path)
    assert f"locales/en/{NAME}.po:{po[3].linenum}: error [qa/numbers]" in output
    header = next(i for i, line in enumerate(lines) if line.split() == ["check", "errors",
                                                                         "warnings"])
    assert [line.split() for line in lines[header + 1:header + 3]] == [
        ["qa/end-punctuation", "0", "1"], ["qa/numbers", "1", "0"]]
    assert lines[-1].startswith("check FAILED: 1 catalog(s)")


def test_github_paths_are_relative_to_the_working_directory(site: tuple[Path, Path]) -> None:
    _, po_path = site
    code, output = l10n("check", "--project", "site", "--format", "github")
    assert code == 1
    line = load(po_path)[3].linenum
    assert f"::error file=site/locales/en/{NAME}.po,line={line},title=qa/numbers::" in output
    assert f"::warning file=site/locales/en/{NAME}.po," in output


def test_github_step_summary_is_appended(site: tuple[Path, Path],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root, po_path = site
    summary = root.parent / "summary.md"
    summary.write_text("## an earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _ = l10n("check", "--project", "site", "--format", "github")
    assert code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## an earlier step\n## l10n check FAILED\n")
    assert f"| `site/locales/en/{NAME}.po` | 28 | 28 | 1 | 1 |" in text
    assert "| qa/numbers | 1 | 0 |" in text
    assert "| qa/end-punctuation | 0 | 1 |" in text
    line = load(po_path)[3].linenum
    assert f"| error | `site/locales/en/{NAME}.po:{line}` | qa/numbers |" in text
    # Plain table output writes no summary.
    l10n("check", "--project", "site")
    assert summary.read_text(encoding="utf-8") == text


def test_github_step_summary_lists_bad_input(site: tuple[Path, Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _, po_path = site
    po_path.write_text('msgid "unterminated\n', encoding="utf-8")
    summary = po_path.parent / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = l10n("check", "--project", "site", "--format", "github")
    assert code == 2
    assert f"::error file=site/locales/en/{NAME}.po," in output
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## l10n check bad input\n")
    assert f"| error | `site/locales/en/{NAME}.po" in text and "| bad-input |" in text


def test_json_issues_carry_msgid_and_line(site: tuple[Path, Path]) -> None:
    root, po_path = site
    code, output = l10n("check", "--project", str(root), "--format", "json")
    assert code == 1
    report = json.loads(output)
    assert report["schema_version"] == JSON_SCHEMA_VERSION == 2
    po = load(po_path)
    numbers = next(i for i in report["issues"] if i["code"] == "qa/numbers")
    assert (numbers["msgid"], numbers["line"]) == (po[3].msgid, po[3].linenum)
    assert report["counts"] == {"qa/numbers": {"error": 1, "warning": 0},
                                "qa/end-punctuation": {"error": 0, "warning": 1}}


def test_an_unreadable_article_is_reported_beside_every_other_finding(
        site: tuple[Path, Path]) -> None:
    """An article that cannot be decoded is bad input (exit 2) for itself alone: the other
    catalogs are still checked and reported, in every format."""
    root, _ = site
    (root / "corpus" / "zweiter.txt").write_text("Zweiter Artikel.\n", encoding="utf-8")
    assert l10n("extract", "--project", str(root))[0] == 0
    (root / "corpus" / "zweiter.txt").write_bytes(b"\xff Zweiter Artikel.\n")
    code, output = l10n("check", "--project", str(root), "--format", "json", "--no-state")
    report = json.loads(output)
    assert code == report["exit_code"] == 2
    assert [e["path"] for e in report["bad_input"]] == ["corpus/zweiter.txt"]
    assert {c["name"] for c in report["catalogs"]} == {NAME}
    assert report["counts"]["qa/numbers"] == {"error": 1, "warning": 0}
