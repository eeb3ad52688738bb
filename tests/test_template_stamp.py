"""A template's stamp lets the gate skip reading its article again, and never changes
the gate's answer: whatever disagrees with the stamp is checked the long way."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from l10n.catalog import template as tpl
from l10n.catalog.po.read import load, loadb
from l10n.catalog.po.scan import Unsupported, scan
from l10n.catalog.po.syntax import header_fields
from l10n.commands import extract as ex
from l10n.commands import gate
from l10n.project import load_project
from l10n.readers import parse, read_document
from l10n.readers.settings import VERSION
from l10n.state import digest

ROOT = Path(__file__).resolve().parent.parent
NAME = "kasachstan-ukrainekrieg"

# What the readers make of the test articles (their templates' msgids, references and
# block kinds), by readers' VERSION. When this test fails, the readers now cut some
# article differently: bump `l10n.readers.settings.VERSION` and add the new digest under
# it, so that templates stamped under the old rules are checked the long way. Never
# change the digest of a version that was released.
PINNED = {1: "2f5e83b8182b17094b10108ee8664cba"}


def _articles() -> list[Path]:
    golden = sorted(p for p in (ROOT / "tests" / "golden").iterdir()
                    if p.suffix in (".txt", ".md", ".html"))
    return [*golden, *sorted((ROOT / "corpus").glob("*.txt"))]


def test_the_readers_rules_are_pinned_to_their_version() -> None:
    parts: list[str] = []
    pud = (ROOT / "tests" / "data" / "segmentation" / "de_pud_gold.jsonl").read_text(
        encoding="utf-8").splitlines()
    documents = [read_document(path, shown_as=path.relative_to(ROOT)) for path in _articles()]
    documents += [parse(json.loads(line)["text"], Path(f"pud{i}.txt"))
                  for i, line in enumerate(pud)]
    for doc in documents:
        for entry in tpl.template(doc, project=doc.path.stem):
            parts += [entry.msgid, repr(entry.occurrences), entry.comment]
    assert digest(*parts) == PINNED[VERSION], (
        "the readers cut the test articles differently: bump l10n.readers.settings.VERSION "
        "and pin the new digest under it (see PINNED)")


def _segmentations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The articles the gate reads again, as it runs."""
    calls: list[Path] = []
    real = gate._Expected.made

    def made(self: gate._Expected) -> object:
        if self.pot is None:
            calls.append(self.files.article)
        return real(self)

    monkeypatch.setattr(gate._Expected, "made", made)
    return calls


def _check(project: Path) -> gate.Report:
    proj = load_project(project)
    return gate.run(proj, gate.options_from(proj, min_reviewed=0), remember=False)


def _codes(report: gate.Report) -> list[str]:
    return sorted({i.code for i in report.issues if not i.code.startswith("qa/")})


def test_extract_stamps_templates_and_the_gate_trusts_them(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex.run(load_project(project))
    pot = load(project / "locales" / "templates" / f"{NAME}.pot")
    assert len(pot.metadata[tpl.STAMP]) == 32
    catalog = load(project / "locales" / "en" / f"{NAME}.po")
    assert tpl.STAMP not in catalog.metadata  # it vouches for the template alone
    calls = _segmentations(monkeypatch)
    report = _check(project)
    assert calls == [] and _codes(report) == [] and not report.errors


def _edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    stat = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_an_edited_article_is_read_again(project: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ex.run(load_project(project))
    article = project / "corpus" / f"{NAME}.txt"
    calls = _segmentations(monkeypatch)
    # Same sentences: the template is still right, and the gate says so the long way.
    article.write_bytes(article.read_bytes() + b"\n")
    assert _codes(_check(project)) == [] and len(calls) == 1
    # Other sentences, in a file of the same size and mtime: out of date.
    _edit_keeping_size_and_mtime(article, b". ", b"! ")
    assert _codes(_check(project)) == ["out-of-date"] and len(calls) == 2


def test_a_template_edited_under_its_stamp_is_read_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex.run(load_project(project))
    path = project / "locales" / "templates" / f"{NAME}.pot"
    data = path.read_bytes()
    first = data.index(b"\n#: ") + 1
    # The first entry's reference dropped, the stamp left as it was.
    path.write_bytes(data[:first] + data[data.index(b"\n", first) + 1:])
    calls = _segmentations(monkeypatch)
    assert _codes(_check(project)) == ["out-of-date"] and len(calls) == 1


def test_a_stamp_from_other_settings_or_rules_is_not_trusted(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex.run(load_project(project))
    calls = _segmentations(monkeypatch)
    rules = tpl._rules()
    assert f"l10n-readers {VERSION} " in rules and "sentence-splitter " in rules
    # Other readers' rules, or a new release of a package they use.
    monkeypatch.setattr(tpl, "_rules", lambda: rules.replace("sentence-splitter", "s-s"))
    assert _codes(_check(project)) == [] and len(calls) == 1
    monkeypatch.setattr(tpl, "_rules", lambda: rules)
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + 'front-matter-keys = ["title"]\n', encoding="utf-8")
    assert _codes(_check(project)) == [] and len(calls) == 2


def test_a_stamp_copied_from_another_template_is_not_trusted(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = project / "corpus" / "zweiter.txt"
    other.write_text("Titel\n\nEin anderer Text.\n", encoding="utf-8")
    ex.run(load_project(project))
    templates = project / "locales" / "templates"
    theirs = load(templates / "zweiter.pot").metadata[tpl.STAMP]
    path = templates / f"{NAME}.pot"
    ours = load(path).metadata[tpl.STAMP]
    path.write_bytes(path.read_bytes().replace(ours.encode(), theirs.encode()))
    calls = _segmentations(monkeypatch)
    assert _codes(_check(project)) == [] and calls == [Path("corpus") / f"{NAME}.txt"]


def test_a_sentence_twice_on_one_line_is_one_reference(project: Path) -> None:
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text("Titel\n\nEr kam. Er kam. Dann ging er.\n", encoding="utf-8")
    ex.run(load_project(project))
    pot = load(project / "locales" / "templates" / f"{NAME}.pot")
    assert [e.occurrences for e in pot if e.msgid == "Er kam."] == [
        [(f"corpus/{NAME}.txt", "3")]]
    # The gate reads it back as it was written: not out of date.
    assert _codes(_check(project)) == []


# Shapes that once made the lean scan and the strict parser disagree.
_AWKWARD = {
    "empty-flags-line.po": '#,\n#. paragraph\n#: corpus/a.txt:3\nmsgid "Ja."\nmsgstr "Yes."\n'
                           '\n#:\n#, fuzzy\nmsgid "Nein."\nmsgstr "No."\n',
    "context-without-msgid.pot": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; '
                                 'charset=UTF-8\\n"\n\nmsgctxt "x"\nmsgid ""\nmsgstr ""\n',
}


def _po_files() -> list[Path]:
    return sorted([*(ROOT / "tests" / "data" / "po").glob("*.po*"),
                   *(ROOT / "locales").rglob("*.po*")])


@pytest.mark.parametrize("name", sorted(_AWKWARD))
def test_the_lean_scan_reads_awkward_shapes_as_the_strict_parser(name: str,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(_AWKWARD[name], encoding="utf-8")
    scanned = scan(path.read_bytes(), None)
    assert scanned.entries  # the scan takes these shapes itself
    test_the_lean_scan_reads_what_the_strict_parser_reads(path)


@pytest.mark.parametrize("path", _po_files(), ids=lambda p: p.name)
def test_the_lean_scan_reads_what_the_strict_parser_reads(path: Path) -> None:
    data = path.read_bytes()
    try:
        scanned = scan(data, None)
    except Unsupported:
        return  # the strict parser's file; the gate uses it there
    po = loadb(data)
    assert [(e.msgid, e.msgstr, e.msgctxt, e.linenum, list(e.occurrences), bool(e.obsolete),
             e.flags, e.tcomment) for e in po] == [
        (e.msgid, e.msgstr, e.msgctxt, e.linenum, e.occurrences, e.obsolete, e.flags,
         e.tcomment) for e in scanned.entries]
    assert header_fields(scanned.header) == po.metadata


def test_an_article_renamed_to_another_reader_is_out_of_date(project: Path) -> None:
    article = project / "corpus" / f"{NAME}.txt"
    ex.run(load_project(project))
    # Same bytes and name, another reader: its template no longer holds what extract makes.
    article.rename(article.with_suffix(".md"))
    assert "out-of-date" in _codes(_check(project))


def test_an_unreadable_article_is_bad_input_before_it_has_a_template(project: Path) -> None:
    (project / "corpus" / "kaputt.txt").write_bytes(b"Gr\xfc\xdfe aus K\xf6ln.\n")
    report = _check(project)
    assert report.exit_code == 2
    assert [(str(e.path), e.line) for e in report.errors] == [("corpus/kaputt.txt", 1)]


def test_a_new_stamp_alone_moves_no_date_and_rewrites_no_catalog(project: Path) -> None:
    ex.run(load_project(project))
    pot = project / "locales" / "templates" / f"{NAME}.pot"
    catalog = project / "locales" / "en" / f"{NAME}.po"
    # A template stamped under other rules (an upgrade of what reads articles).
    stamp = load(pot).metadata[tpl.STAMP]
    pot.write_bytes(pot.read_bytes().replace(stamp.encode(), b"0" * 32))
    before_pot, before_catalog = pot.read_bytes(), catalog.read_bytes()
    report = ex.run(load_project(project))
    assert report.written == [pot.relative_to(project)]
    assert pot.read_bytes() == before_pot.replace(b"0" * 32, stamp.encode())
    assert catalog.read_bytes() == before_catalog
