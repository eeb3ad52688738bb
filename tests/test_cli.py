"""The commands end to end on temporary projects (typer's CliRunner)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
NAME = "kasachstan-ukrainekrieg"
needs_gettext = pytest.mark.skipif(shutil.which("msgcat") is None,
                                   reason="GNU gettext (msgcat, msgfmt) is not installed")


def l10n(project: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--project", str(project)])
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


@needs_gettext
def test_extract_writes_gettext_canonical_files(project: Path) -> None:
    code, output = l10n(project, "extract")
    assert code == 0, output
    pot = project / "locales" / "templates" / f"{NAME}.pot"
    po = project / "locales" / "en" / f"{NAME}.po"
    for path in (pot, po):
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True)
        assert subprocess.run(["msgcat", str(path)], capture_output=True,
                              check=True).stdout == path.read_bytes()
    catalog = load(po)
    assert catalog.metadata["Language"] == "en"
    assert len(catalog) == 28
    repeated = [e for e in catalog if len(e.occurrences) > 1]
    assert repeated == []  # the seed repeats a paragraph, but with a different ending
    assert catalog[0].occurrences == [(f"corpus/{NAME}.txt", "1")]


def test_reextract_of_unchanged_corpus_rewrites_nothing(project: Path) -> None:
    assert l10n(project, "extract")[0] == 0
    before = snapshot(project / "locales")
    code, output = l10n(project, "extract")
    assert code == 0
    assert "0 file(s) written" in output
    assert snapshot(project / "locales") == before


def test_translator_work_survives_an_edit_of_the_article(project: Path) -> None:
    l10n(project, "extract")
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    for entry in po:
        entry.msgstr = f"EN {entry.msgid}"
    po_path.write_text(dumps(po), encoding="utf-8")
    article = project / "corpus" / f"{NAME}.txt"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Leider ist dies nicht geschehen.",
                                    "Leider ist dies bisher nicht geschehen.")
                       .replace("Der kasachische Präsident rief zu einer Verhandlungslösung auf.",
                                ""), encoding="utf-8")
    assert l10n(project, "extract")[0] == 0
    merged = load(po_path)
    fuzzy = [e for e in merged if "fuzzy" in e.flags]
    assert [e.msgid for e in fuzzy] == ["Leider ist dies bisher nicht geschehen."]
    assert fuzzy[0].msgstr == "EN Leider ist dies nicht geschehen."
    assert fuzzy[0].previous_msgid == "Leider ist dies nicht geschehen."
    assert [e.msgid for e in merged.obsolete_entries()] == [
        "Der kasachische Präsident rief zu einer Verhandlungslösung auf."]
    assert all(e.msgstr == f"EN {e.msgid}" for e in merged
               if not e.obsolete and "fuzzy" not in e.flags)


def test_identity_build_reproduces_the_article(project: Path) -> None:
    l10n(project, "extract")
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    for entry in po:
        entry.msgstr = entry.msgid
    po_path.write_text(dumps(po), encoding="utf-8")
    code, output = l10n(project, "build")
    assert code == 0, output
    edition = project / "editions" / "en" / f"{NAME}.txt"
    assert edition.read_bytes() == (project / "corpus" / f"{NAME}.txt").read_bytes()


def test_build_uses_reviewed_translations_and_fuzzy_only_on_request(project: Path) -> None:
    l10n(project, "extract")
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    po[0].msgstr = "Kazakhstan distances itself from Russia's war in Ukraine"
    po[1].msgstr = "Tokayev visited Moscow on February 10."
    po[1].flags = ["fuzzy"]
    po_path.write_text(dumps(po), encoding="utf-8")
    l10n(project, "build")
    edition = (project / "editions" / "en" / f"{NAME}.txt").read_text(encoding="utf-8")
    # Untranslated sentences fall back to the source, and the edition says so.
    assert edition.startswith("[27 of 28 sentences are not translated yet and shown in the "
                              "original language (de).]\n\n"
                              "Kazakhstan distances itself from Russia's war in Ukraine\n\n")
    assert "Tokayev visited" not in edition
    l10n(project, "build", "--include-fuzzy", "--notice", "")
    edition = (project / "editions" / "en" / f"{NAME}.txt").read_text(encoding="utf-8")
    assert "Tokayev visited Moscow on February 10. [Kremlin pool/EPA/EFE]" in edition


def test_min_translated_skips_and_says_so(project: Path) -> None:
    l10n(project, "extract")
    code, output = l10n(project, "build", "--min-translated", "50")
    assert code == 0
    assert "below --min-translated 50%" in output
    assert not (project / "editions" / "en" / f"{NAME}.txt").exists()


def test_malformed_catalog_is_reported_and_nothing_written(project: Path) -> None:
    l10n(project, "extract")
    po_path = project / "locales" / "en" / f"{NAME}.po"
    broken = po_path.read_text(encoding="utf-8").replace('msgstr ""\n\n#. caption',
                                                         'msgstr "unterminated\n\n#. caption', 1)
    po_path.write_text(broken, encoding="utf-8")
    (project / "corpus" / f"{NAME}.txt").write_text("Neuer Titel\n\nEin neuer Satz.\n",
                                                    encoding="utf-8")
    before = snapshot(project / "locales")
    code, output = l10n(project, "extract")
    assert code == 2
    assert f"locales/en/{NAME}.po:" in output
    assert snapshot(project / "locales") == before
    code, output = l10n(project, "check")
    assert code == 2
    assert f"{NAME}.po:" in output


def test_non_utf8_and_empty_articles(project: Path) -> None:
    (project / "corpus" / "latin1.txt").write_bytes("Titel\n\nÜber Köln.\n".encode("latin-1"))
    (project / "corpus" / "empty.md").write_bytes(b"")
    code, output = l10n(project, "extract")
    assert code == 2
    assert "corpus/latin1.txt:3: article is not valid UTF-8" in output
    assert "corpus/empty.md: article has no text to translate" in output
    assert (project / "locales" / "en" / f"{NAME}.po").exists()  # the good one still done


def test_article_in_another_language_is_skipped_unless_forced(project: Path) -> None:
    (project / "corpus" / "english.txt").write_text(
        "An English article\n\nThis text was written in English and should not be treated as "
        "a German source article by the extractor.\n", encoding="utf-8")
    code, output = l10n(project, "extract")
    assert code == 0
    assert "english.txt: skipped: looks like 'en'" in output
    assert not (project / "locales" / "en" / "english.po").exists()
    code, output = l10n(project, "extract", "--force")
    assert (project / "locales" / "en" / "english.po").exists()


def test_check_and_stats_json(project: Path) -> None:
    code, output = l10n(project, "check", "--format", "json")
    assert code == 1
    data = json.loads(output)
    assert {i["code"] for i in data["issues"]} == {"missing-template", "missing-catalog"}
    l10n(project, "extract")
    code, output = l10n(project, "stats", "--format", "json")
    assert code == 0
    stats = json.loads(output)
    assert stats["total"]["entries"]["untranslated"] == 28
    assert stats["total"]["total_words"] == stats["total"]["words"]["untranslated"] > 400


def reference_translation() -> dict[str, str]:
    lines = (Path(__file__).parent / "data" / "seed_en.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in lines.splitlines() if not line.startswith("#"))


def test_check_passes_on_reviewed_correct_catalog(project: Path) -> None:
    shutil.copy(ROOT / "locales" / "glossary.csv", project / "locales.csv")
    with (project / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write('glossary = "locales.csv"\n')
    l10n(project, "extract")
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    reference = reference_translation()
    for entry in po:
        entry.msgstr = reference[entry.msgid]
    po_path.write_text(dumps(po), encoding="utf-8")
    code, output = l10n(project, "check")
    assert code == 0, output
    assert "0 error(s), 0 warning(s)" in output

    # The same catalog with one number and one glossary term wrong fails, with the lines.
    po[3].msgstr = po[3].msgstr.replace("March 3", "March 4")
    po[5].msgstr = po[5].msgstr.replace("(CSTO)", "(OVKS)")
    po_path.write_text(dumps(po), encoding="utf-8")
    code, output = l10n(project, "check", "--format", "json")
    assert code == 1
    issues = json.loads(output)["issues"]
    written = load(po_path)
    assert {(i["code"], i["line"]) for i in issues} == {
        ("qa/numbers", written[3].linenum), ("qa/glossary", written[5].linenum)}
    assert po_path.read_text(encoding="utf-8").splitlines()[written[3].linenum - 1] \
        .startswith("#. ")  # the first line of the entry


def test_check_reports_out_of_date_catalog(project: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.chdir(project)  # annotation paths are relative to the working directory
    l10n(project, "extract")
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("Leider", "Bedauerlicherweise"),
                       encoding="utf-8")
    code, output = l10n(project, "check", "--format", "github", "--min-reviewed", "0")
    assert code == 1
    assert f"::error file=locales/en/{NAME}.po,title=out-of-date::" in output


@pytest.mark.parametrize(("settings", "message"), [
    ('target-langs = "en"', "target-langs must be a list of str"),
    ('target-langs = ["../x"]', "'../x' is not a language code"),
    ('target-langs = ["templates"]', "'templates' is not a language code"),
    ('glossary = 5', "glossary must be a str"),
    ('colour = "blue"', "unknown setting 'colour' in [tool.l10n]"),
    ('[tool.l10n.check]\nmin-reviewed = "x"', "min-reviewed must be a int or float"),
    ('[tool.l10n.check]\nstrict = "false"', "strict must be a bool"),
    ('[tool.l10n.check]\ndisable = "length-ratio"', "disable must be a list of str"),
    ('[tool.l10n.check]\ndisable = ["no-such-check"]', "unknown QA check 'no-such-check'"),
    ('[tool.l10n.build]\nformat = ["html"]', "format must be a str"),
    ('[tool.l10n.build]\nmin-translated = true', "min-translated must be a int or float"),
    ('[tool.l10n.build]\ncolour = 1', "unknown setting 'colour' in [tool.l10n.build]"),
])
def test_bad_settings_are_usage_errors(project: Path, settings: str, message: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.l10n]\n{settings}\n", encoding="utf-8")
    # QA check names are the gate's business; every other setting is checked on load.
    for command in ("check",) if "QA check" in message else ("check", "build"):
        code, output = l10n(project, command)
        assert code == 2, output
        assert message in output
        assert "Traceback" not in output


def test_check_warns_about_catalogs_of_renamed_articles(project: Path) -> None:
    l10n(project, "extract")
    article = project / "corpus" / f"{NAME}.txt"
    article.rename(article.with_name("renamed.txt"))
    l10n(project, "extract")
    code, output = l10n(project, "check", "--format", "json")
    assert code == 1  # the renamed article is untranslated
    orphans = [i for i in json.loads(output)["issues"] if i["code"] == "orphan-catalog"]
    assert [i["path"] for i in orphans] == [f"locales/en/{NAME}.po"]
    assert orphans[0]["severity"] == "warning"
