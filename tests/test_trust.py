"""A translator's work is never lost or mistaken for a machine's (the catalog model)."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n import fsutil
from l10n.catalog.model import (
    HISTORY,
    REPLACED,
    Provenance,
    fill,
    machine_written,
    provenance,
    settle,
    status,
)
from l10n.catalog.po.read import load, loads
from l10n.catalog.po.write import dumpb, dumps
from l10n.cli import app
from l10n.commands import translate as tr
from l10n.commands.build import Options as BuildOptions
from l10n.commands.build import run as run_build
from l10n.engines import Translation
from l10n.project import load_project

runner = CliRunner()
NAME = "kasachstan-ukrainekrieg"


class Engine:
    name, version, label, cache_key = "fake", "1", "fake engine 1", "fake/1"

    def __init__(self, pause: float = 0.0, prefix: str = "EN") -> None:
        self.pause = pause
        self.prefix = prefix

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None) -> list[Translation]:
        time.sleep(self.pause)
        return [Translation(f"{self.prefix}({t})", 0.5) for t in texts]


def _extract(project: Path) -> Path:
    result = runner.invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return project / "locales" / "en" / f"{NAME}.po"


def _translate(project: Path, *, retranslate_fuzzy: bool = False, group_size: int = 2048,
               engine: Engine | None = None) -> tr.Report:
    proj = load_project(project)
    work = tr.plan(proj, tr.Options(retranslate_fuzzy=retranslate_fuzzy))
    return tr.apply(proj, work, lambda s, t: engine or Engine(), cache=None,
                  group_size=group_size)


def _edit(path: Path, change: Callable[[polib.POFile], None]) -> None:
    """What a PO editor does: read, change entries, save."""
    po = load(path)
    change(po)
    path.write_bytes(dumpb(po))


def _statuses(path: Path) -> list[str]:
    return [status(e) for e in load(path) if not e.obsolete]


# --- status -------------------------------------------------------------------------------


def _draft(msgid: str = "Ein Satz.", text: str = "A sentence.") -> polib.POEntry:
    entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[("corpus/a.txt", "1")])
    fill(entry, text, Provenance("argos translate-de_en 1.9", 0.8))
    return entry


def test_a_draft_is_machine_text_for_its_source() -> None:
    entry = _draft()
    assert status(entry) == "draft"
    assert entry.tcomment.startswith("l10n-mt: argos translate-de_en 1.9; score 0.800; digest ")


def test_an_edited_draft_is_human_work_whatever_the_comments_say() -> None:
    entry = _draft()
    entry.msgstr = "One sentence."
    assert status(entry) == "fuzzy"
    assert machine_written(entry) is None


def test_a_cleared_fuzzy_flag_is_an_approval() -> None:
    entry = _draft()
    entry.flags.remove("fuzzy")
    assert status(entry) == "reviewed"


def test_a_draft_for_another_source_is_not_a_draft() -> None:
    # What remains when a tool merged a source change and dropped `#| msgid`.
    entry = _draft()
    entry.msgid = "Ein anderer Satz."
    assert status(entry) == "fuzzy"


def test_provenance_wrapped_by_an_editor_is_still_read() -> None:
    entry = _draft("Ein Satz.", "A sentence.")
    line = entry.tcomment
    cut = line.rindex(" digest")
    entry.tcomment = f"{line[:cut]}\n{line[cut + 1:]}\nchecked by Anna"  # Babel: 76 columns
    assert status(entry) == "draft"
    settle([entry])
    assert entry.tcomment.endswith("checked by Anna")


def test_a_digest_wrapped_at_its_hyphen_is_still_read() -> None:
    # Python's textwrap breaks after hyphens: "… digest 755be592-" / "96ec024c".
    entry = _draft("Ein Satz.", "A sentence.")
    hyphen = entry.tcomment.rindex("-") + 1
    entry.tcomment = f"{entry.tcomment[:hyphen]}\n{entry.tcomment[hyphen:]}"
    assert status(entry) == "draft"


def test_records_without_fingerprints_never_count_as_drafts() -> None:
    entry = polib.POEntry(msgid="Ein Satz.", msgstr="A sentence.", flags=["fuzzy"],
                          tcomment="l10n-mt: argos translate-de_en 1.9; score 0.873")
    assert status(entry) == "fuzzy"


def test_plural_entry_is_translated_when_all_forms_are() -> None:
    entry = polib.POEntry(msgid="one year", msgid_plural="%d years",
                          msgstr_plural={0: "ein Jahr", 1: ""})
    assert status(entry) == "untranslated"
    entry.msgstr_plural[1] = "%d Jahre"
    assert status(entry) == "reviewed"


def test_settle_turns_approved_and_edited_drafts_into_history() -> None:
    approved, edited, waiting = _draft(), _draft(), _draft()
    approved.flags.remove("fuzzy")
    edited.msgstr = "One sentence."
    settle([approved, edited, waiting])
    for entry in (approved, edited):
        assert provenance(entry) is None
        assert entry.tcomment == f"{HISTORY} drafted by argos translate-de_en 1.9"
    assert status(waiting) == "draft"


# --- the scenarios of the trust issue ------------------------------------------------------


def test_retranslate_keeps_a_human_rewrite_of_a_draft(project: Path) -> None:
    po_path = _extract(project)
    _translate(project)
    rewrite = "Kazakhstan keeps its distance from Russia's war in Ukraine"

    def rewrite_title(po: polib.POFile) -> None:
        po[0].msgstr = rewrite  # edited, still fuzzy: work in progress

    _edit(po_path, rewrite_title)
    _translate(project, retranslate_fuzzy=True)
    po = load(po_path)
    assert po[0].msgstr.startswith("EN(")
    assert f"{REPLACED} {rewrite}" in po[0].tcomment.splitlines()
    # l10n's own unedited drafts are replaced without a copy.
    assert all(REPLACED not in e.tcomment for e in po[1:])


def test_an_approved_draft_whose_source_changes_is_a_human_fuzzy(project: Path) -> None:
    po_path = _extract(project)
    _translate(project)

    def approve_all(po: polib.POFile) -> None:
        for entry in po:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]

    _edit(po_path, approve_all)
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Kasachstan distanziert sich", "Kasachstan distanziert sich deutlich"), encoding="utf-8")
    _extract(project)
    po = load(po_path)
    assert status(po[0]) == "fuzzy" and po[0].previous_msgid is not None
    assert all(provenance(e) is None for e in po), "approved drafts keep no machine mark"
    result = runner.invoke(app, ["check", "--project", str(project), "--allow-drafts",
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert any(i["code"] == "threshold" for i in report["issues"])


def test_review_sheet_names_no_machine_on_reviewed_text(project: Path) -> None:
    po_path = _extract(project)
    _translate(project)

    def approve_first(po: polib.POFile) -> None:
        po[0].flags.remove("fuzzy")

    _edit(po_path, approve_first)
    errors = run_build(load_project(project), BuildOptions(formats=("html",))).errors
    assert not errors
    sheet = (project / "editions" / "en" / f"{NAME}.review.html").read_text(encoding="utf-8")
    assert sheet.count("fake engine 1") == 27  # the 27 drafts, not the reviewed title


def test_translated_plural_and_context_entries_are_left_alone(project: Path) -> None:
    po_path = _extract(project)

    def add_entries(po: polib.POFile) -> None:
        po.append(polib.POEntry(msgid="one comment", msgid_plural="%d comments",
                                msgstr_plural={0: "ein Kommentar", 1: "%d Kommentare"},
                                occurrences=[(f"corpus/{NAME}.txt", "1")]))
        po.append(polib.POEntry(msgid="one share", msgid_plural="%d shares",
                                msgstr_plural={0: "", 1: ""}))
        po.append(polib.POEntry(msgid=po[1].msgid, msgctxt="teaser", msgstr=""))

    _edit(po_path, add_entries)
    before = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural), e.tcomment, e.flags)
              for e in load(po_path) if e.msgctxt or e.msgid_plural}
    for _ in range(2):
        _translate(project)
        after = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural), e.tcomment, e.flags)
                 for e in load(po_path) if e.msgctxt or e.msgid_plural}
        assert after == before
    stats = json.loads(runner.invoke(app, ["stats", "--project", str(project),
                                           "--format", "json"]).stdout)
    assert stats["catalogs"][0]["total"] == 28
    result = runner.invoke(app, ["check", "--project", str(project), "--allow-drafts",
                                 "--no-qa", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["catalogs"][0]["total"] == 28
    editions = run_build(load_project(project), BuildOptions(include_fuzzy=True)).editions
    assert editions[0].translated_percent == 100.0


def test_extract_keeps_the_header_an_editor_owns(project: Path) -> None:
    po_path = _extract(project)

    def as_poedit_saves(po: polib.POFile) -> None:
        po.header = "English translation of the Kazakhstan article.\nAnna <a@example.org>, 2026."
        po.metadata["Last-Translator"] = "Anna <a@example.org>"
        po.metadata["Language-Team"] = "English <en@example.org>"
        po.metadata["PO-Revision-Date"] = "2026-11-30 12:00+0100"
        po.metadata["X-Generator"] = "Poedit 3.4"
        po.metadata["X-Poedit-SourceCharset"] = "UTF-8"

    _edit(po_path, as_poedit_saves)
    before = po_path.read_bytes()
    _extract(project)
    assert po_path.read_bytes() == before, "nothing changed, nothing rewritten"
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nEin neuer Satz.\n",
                       encoding="utf-8")
    _extract(project)
    po = load(po_path)
    assert po.header.startswith("English translation of the Kazakhstan article.")
    assert po.metadata["X-Generator"] == "Poedit 3.4"
    assert po.metadata["X-Poedit-SourceCharset"] == "UTF-8"
    assert po.metadata["Language-Team"] == "English <en@example.org>"
    assert po.metadata["PO-Revision-Date"] == "2026-11-30 12:00+0100"
    pot = load(project / "locales" / "templates" / f"{NAME}.pot")
    assert po.metadata["POT-Creation-Date"] == pot.metadata["POT-Creation-Date"]


# --- names and paths -----------------------------------------------------------------------


def test_article_names_with_spaces_are_up_to_date_after_extract(project: Path) -> None:
    (project / "corpus" / f"{NAME}.txt").rename(project / "corpus" / "mein artikel.txt")
    _extract(project)
    po_path = project / "locales" / "en" / "mein artikel.po"
    assert "#: \u2068corpus/mein artikel.txt\u2069:1" in po_path.read_text(encoding="utf-8")
    assert load(po_path)[0].occurrences == [("corpus/mein artikel.txt", "1")]
    result = runner.invoke(app, ["check", "--project", str(project), "--min-reviewed", "0",
                                 "--format", "json"])
    codes = {i["code"] for i in json.loads(result.stdout)["issues"]}
    assert "out-of-date" not in codes, result.stdout


def test_two_articles_for_one_catalog_are_an_error(project: Path) -> None:
    (project / "corpus" / "news.txt").write_text("Titel\n\nEin Satz.\n", encoding="utf-8")
    (project / "corpus" / "news.md").write_text("# Titel\n\nEin Satz.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 2
    assert "corpus/news.md and corpus/news.txt" in result.output
    assert not (project / "locales").exists()


def test_a_corpus_link_out_of_the_project_is_refused(project: Path, tmp_path_factory:
                                                      pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("Geheim\n\nDas ist ein geheimer Text.\n", encoding="utf-8")
    (project / "corpus" / "secret.txt").symlink_to(outside)
    result = runner.invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 2
    assert "resolves outside the project" in result.output
    assert "Traceback" not in result.output


# --- writes that cannot race a translator ---------------------------------------------------


def _save_translation(path: Path, index: int, text: str, *, in_place: bool) -> None:
    """A translator's editor saving entry `index` (by rename, or in place like vim)."""
    po = loads(path.read_text(encoding="utf-8"))
    live = [e for e in po if not e.obsolete]
    live[index].msgstr = text
    live[index].flags = [f for f in live[index].flags if f != "fuzzy"]
    data = dumps(po).encode("utf-8")
    if in_place:
        with path.open("r+b") as fh:
            fh.write(data)
            fh.truncate()
    else:
        tmp = path.with_name(f"{path.name}.editor~")
        tmp.write_bytes(data)
        os.replace(tmp, path)


def test_a_save_inside_the_write_window_is_kept(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    po_path = _extract(project)
    saved: list[int] = []

    def save_once(path: Path) -> None:
        if not saved:
            saved.append(1)
            _save_translation(path, 3, "Human text.", in_place=len(saved) % 2 == 0)

    monkeypatch.setattr(fsutil, "_before_replace", save_once)
    _translate(project)
    po = [e for e in load(po_path) if not e.obsolete]
    assert po[3].msgstr == "Human text." and status(po[3]) == "reviewed"
    assert [status(e) for i, e in enumerate(po) if i != 3] == ["draft"] * 27


def test_saves_at_random_moments_during_translate_are_never_lost(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """50 saves, each at a random moment of a translate run (a third inside the write
    window itself), half by rename and half in place, from another process as an editor
    is: every one survives."""
    rng = random.Random(8)
    po_path = _extract(project)
    pristine = po_path.read_bytes()
    fork = multiprocessing.get_context("fork")
    for attempt in range(50):
        po_path.write_bytes(pristine)
        index, text = rng.randrange(28), f"Human {attempt}."
        in_place = attempt % 2 == 1
        if attempt % 3 == 0:
            saved: list[int] = []

            def in_window(path: Path, index: int = index, text: str = text,
                          in_place: bool = in_place, saved: list[int] = saved) -> None:
                if not saved:
                    saved.append(1)
                    _save_translation(path, index, text, in_place=in_place)

            monkeypatch.setattr(fsutil, "_before_replace", in_window)
            _translate(project, group_size=4)
            assert saved
        else:
            monkeypatch.setattr(fsutil, "_before_replace", lambda path: None)
            editor = fork.Process(target=_save_later, args=(
                po_path, index, text, in_place, rng.uniform(0, 0.03)))
            editor.start()
            _translate(project, group_size=4, engine=Engine(pause=0.002))
            editor.join()
            assert editor.exitcode == 0
        po = [e for e in load(po_path) if not e.obsolete]
        assert po[index].msgstr == text, f"save {attempt} lost"
        assert status(po[index]) == "reviewed"
        # Whatever the timing, every other entry ends up drafted or is drafted on a re-run.
        _translate(project)
        assert sorted(_statuses(po_path)) == sorted(["reviewed"] + ["draft"] * 27)


def _save_later(path: Path, index: int, text: str, in_place: bool, delay: float) -> None:
    time.sleep(delay)
    _save_translation(path, index, text, in_place=in_place)


def _editor_holding_it_open(path: Path, data: bytes, *, written: bool,
                            delay: float) -> threading.Thread:
    """An editor saving in place that opens the file now, before it is replaced, and writes
    into it (when not `written` already), truncates and closes it `delay` seconds after the
    replacement: long after the replaced file was looked at."""
    fh = path.open("r+b")
    if written:
        fh.write(data)
    inode = os.stat(path).st_ino

    def finish() -> None:
        deadline = time.monotonic() + 2
        while os.stat(path).st_ino == inode and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        if not written:
            fh.write(data)
        fh.truncate()
        fh.close()

    editor = threading.Thread(target=finish)
    editor.start()
    return editor


def _their_save(path: Path, index: int, text: str, *, drop_comment: bool = False) -> bytes:
    po = load(path)
    live = [e for e in po if not e.obsolete]
    live[index].msgstr = text
    if drop_comment:
        live[0].tcomment = ""
    return dumpb(po)


@pytest.mark.parametrize("written", [False, True], ids=["writes-late", "truncates-late"])
def test_an_editor_writing_after_the_replacement_is_kept(
        project: Path, monkeypatch: pytest.MonkeyPatch, written: bool) -> None:
    """The editor opened the catalog just before it was replaced and writes into that file,
    or only truncates it (its save is shorter: a long comment gone), after it was looked
    at: the save is kept whole, and drafts are made on it."""
    po_path = _extract(project)
    _edit(po_path, lambda po: setattr(po[0], "tcomment", "Note. " * 300))
    editors: list[threading.Thread] = []

    def open_once(path: Path) -> None:
        if not editors:
            data = _their_save(path, 3, "Human text.", drop_comment=True)
            editors.append(_editor_holding_it_open(path, data, written=written, delay=0.1))

    monkeypatch.setattr(fsutil, "_before_replace", open_once)
    report = _translate(project)
    editors[0].join()
    assert not report.errors
    po = [e for e in load(po_path) if not e.obsolete]
    assert po[3].msgstr == "Human text." and status(po[3]) == "reviewed"
    assert "Note." not in po_path.read_text(encoding="utf-8")
    assert [status(e) for i, e in enumerate(po) if i != 3] == ["draft"] * 27
    assert [p.name for p in po_path.parent.iterdir()] == [po_path.name]


def test_a_catalog_held_open_for_writing_is_left_to_its_writer(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po_path = _extract(project)
    monkeypatch.setattr(fsutil, "_WRITER_WAIT_S", 0.05)
    editors: list[threading.Thread] = []

    def open_once(path: Path) -> None:
        if not editors:
            data = _their_save(path, 3, "Human text.")
            editors.append(_editor_holding_it_open(path, data, written=False, delay=0.3))

    monkeypatch.setattr(fsutil, "_before_replace", open_once)
    report = _translate(project)
    editors[0].join()
    assert report.files_written == [] and not report.errors
    po = [e for e in load(po_path) if not e.obsolete]
    assert po[3].msgstr == "Human text." and status(po[3]) == "reviewed"
    assert [p.name for p in po_path.parent.iterdir()] == [po_path.name]
    _translate(project)  # a re-run does what was left
    assert sorted(_statuses(po_path)) == sorted(["reviewed"] + ["draft"] * 27)


def test_an_approval_during_retranslate_is_kept(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    po_path = _extract(project)
    _translate(project)

    def approve(path: Path) -> None:
        monkeypatch.setattr(fsutil, "_before_replace", lambda path: None)
        _edit(path, lambda po: po[2].flags.remove("fuzzy"))  # same text, now approved

    monkeypatch.setattr(fsutil, "_before_replace", approve)
    _translate(project, retranslate_fuzzy=True, engine=Engine(prefix="NEW"))
    po = load(po_path)
    assert status(po[2]) == "reviewed" and REPLACED not in po[2].tcomment
    assert po[2].msgstr == f"EN({po[2].msgid})"
    assert po[3].msgstr == f"NEW({po[3].msgid})" and REPLACED not in po[3].tcomment


def test_temporary_files_of_killed_runs_are_swept(project: Path) -> None:
    po_path = _extract(project)
    dead = 2 ** 22 + 12345  # above pid_max's default: no such process
    leftover = po_path.with_name(f".{po_path.name}.l10n-{dead}.x1y2.tmp")
    leftover.write_bytes(b"half")
    recent = po_path.with_name(f".{po_path.name}.l10n-{dead + 1}.r4.tmp")
    recent.write_bytes(b"maybe another machine's run, just now")
    alive = po_path.with_name(f".{po_path.name}.l10n-{os.getpid()}.z3.tmp")
    alive.write_bytes(b"busy")
    hour_ago = time.time() - 3600
    for old in (leftover, alive):
        os.utime(old, (hour_ago, hour_ago))
    fsutil._sweep_folder.cache_clear()  # a new run: folders are swept once per process
    _translate(project)
    assert not leftover.exists()
    assert alive.exists(), "a live process's temporary file is not ours to remove"
    assert recent.exists(), "a fresh one may belong to a run elsewhere"


def test_a_killed_runs_file_is_removed_only_when_it_holds_no_save_of_its_own(
        tmp_path: Path) -> None:
    """A run killed while an editor still wrote into the file it had replaced leaves that
    save under a temporary name: it is put back in place while the catalog still holds
    what the run wrote, and never removed; what the run wrote or replaced is removed."""
    dead = 2 ** 22 + 12345  # above pid_max's default: no such process
    ours, replaced, save = b"v0 and drafts\n", b"v0\n", b"v0 and a translator's save\n"

    def leftover(name: str, holds: bytes, tag: str) -> Path:
        left = tmp_path / (f".{name}.l10n-{dead}.{fsutil._digest(ours)}."
                           f"{fsutil._digest(replaced)}.{tag}.tmp")
        left.write_bytes(holds)
        os.utime(left, (time.time() - 3600, time.time() - 3600))
        return left

    (tmp_path / "a.po").write_bytes(ours)
    unplaced, displaced = leftover("a.po", ours, "u1"), leftover("a.po", replaced, "d1")
    (tmp_path / "b.po").write_bytes(ours)
    restored = leftover("b.po", save, "s1")
    (tmp_path / "c.po").write_bytes(b"saved again since\n")
    kept = leftover("c.po", save, "k1")
    fsutil._sweep_folder.cache_clear()
    fsutil._sweep_folder(tmp_path.resolve())
    assert not unplaced.exists() and not displaced.exists() and not restored.exists()
    assert (tmp_path / "b.po").read_bytes() == save
    assert kept.read_bytes() == save and (tmp_path / "c.po").read_bytes() == b"saved again since\n"
    assert (tmp_path / "a.po").read_bytes() == ours


def test_a_symlinked_catalog_stays_a_link(tmp_path: Path) -> None:
    shared = tmp_path / "shared.po"
    shared.write_bytes(b"v0\n")
    link = tmp_path / "x.po"
    link.symlink_to(shared)
    assert fsutil.update_file(link, lambda b: (b or b"") + b"ours\n").written
    assert link.is_symlink() and shared.read_bytes() == b"v0\nours\n"


def test_a_catalog_removed_in_the_write_window_is_no_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b"v0\n")
    removed: list[int] = []

    def remove_once(p: Path) -> None:
        if not removed:
            removed.append(1)
            p.unlink()

    monkeypatch.setattr(fsutil, "_before_replace", remove_once)
    # Removed means removed for an update that only adds to a file...
    outcome = fsutil.update_file(path, lambda b: None if b is None else b + b"ours\n")
    assert outcome.written is False and not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_file_system_without_hard_links_can_still_create_catalogs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "new.po"
    assert fsutil.update_file(path, lambda b: b"fresh\n").written
    assert path.read_bytes() == b"fresh\n" and [p.name for p in tmp_path.iterdir()] == ["new.po"]
