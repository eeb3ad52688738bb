"""Real editors and tools in the loop: a translator's work stays theirs, a draft a draft.

The catalogs l10n writes are opened and saved by other software: Babel (wraps translator
comments at 76 columns, turns `#| msgid` into a `# | msgid` comment, rewrites the header),
translate-toolkit (pypo; po2xliff/xliff2po, which loses `#|` and marks the header fuzzy),
GNU gettext (msgcat, msgmerge --previous) and polib's own writer. Each test puts a
realistic project through one of them, with the edits a reviewer makes in it (approve a
draft, rewrite one, leave a rewrite fuzzy, add a note), and asks the catalog model,
`l10n stats --format json` and `l10n check --format json` who wrote each entry. Then the
source of a reviewed-from-draft entry changes: `l10n extract` must make it a human fuzzy,
never a machine draft, and `l10n check --allow-drafts` must fail on it. Every file l10n
wrote passes `msgfmt -c` (the gettext checks run where GNU gettext is installed).

The last part runs `extract` and `translate --engine pseudo` over the real catalogs in
tests/data/po (see MANIFEST.json): nothing a translator wrote there may change.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po
from translate.convert import po2xliff, xliff2po
from translate.storage import pypo, xliff
from typer.testing import CliRunner

from l10n.catalog.model import (
    HISTORY,
    PROVENANCE,
    REPLACED,
    article_entries,
    machine_written,
    provenance,
    status,
)
from l10n.catalog.po.read import load, loadb
from l10n.catalog.po.write import dumps
from l10n.cli import app
from l10n.commands import translate as tr
from l10n.engines import Translation
from l10n.project import load_project

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "kasachstan-ukrainekrieg.txt"
NAME = "kasachstan-ukrainekrieg"
FOLLOW_UP = "nachtrag"
REAL = ROOT / "tests" / "data" / "po"
MANIFEST = json.loads((REAL / "MANIFEST.json").read_text(encoding="utf-8"))

MSGFMT = shutil.which("msgfmt")
MSGCAT = shutil.which("msgcat")
MSGMERGE = shutil.which("msgmerge")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext's msgcat is not "
                                  "installed (Debian: apt-get install gettext)")
needs_msgmerge = pytest.mark.skipif(MSGMERGE is None, reason="GNU gettext's msgmerge is "
                                    "not installed (Debian: apt-get install gettext)")

runner = CliRunner()

# --- the seed article's sentences a reviewer works on --------------------------------------

TITLE = "Kasachstan distanziert sich von Russlands Ukrainekrieg"
# Reviewed before the session (human text), repeated by the follow-up article, whose
# catalog therefore gets translation-memory drafts (long provenance lines Babel wraps).
REACTION = ("Die unerwartete Reaktion des traditionellen Verbündeten Russlands wird von den "
            "Vereinigten Staaten positiv aufgenommen.")
CALL = "Der kasachische Präsident rief zu einer Verhandlungslösung auf."
EARLIER = {REACTION: "The unexpected reaction of Russia's traditional ally is welcomed "
                     "by the United States.",
           CALL: "The Kazakh president called for a negotiated solution."}
# A draft whose source sentence then changes (before the session).
CHANGED_DRAFT = ("Leider ist dies nicht geschehen.", "Leider ist das bisher nicht geschehen.")
# A sentence added to the article after translate: untranslated.
NEW_SENTENCE = "Die Hilfsgüter werden an der polnischen Grenze übergeben."
# What the reviewer does in the editor.
APPROVED = "Ein schlechter Frieden ist besser als ein guter Krieg."
REWRITTEN = "Ohne Frieden wird es zu keinem Fortschritt kommen."
HUMAN_FUZZY = ("Kasachstan hat sich in der Vergangenheit geweigert, die Annexion der Krim und "
               "der separatistischen Regionen Abchasien und Südossetien in Georgien "
               "anzuerkennen.")
# Later source changes of reviewed entries.
APPROVED_NEW = "Ein schlechter Frieden ist immer noch besser als ein guter Krieg."
REWRITTEN_NEW = "Ohne Frieden wird es keinen Fortschritt geben."

FOLLOW_UP_TEXT = f"""Nachtrag: Kasachstan schickt weitere Hilfe

{REACTION} Die Regierung in Astana bestätigte am Freitag, dass ein zweites Flugzeug mit \
Hilfsgütern gestartet ist.

{CALL} Beobachter in Almaty sehen darin einen vorsichtigen Kurswechsel der Regierung.
"""


@dataclass(frozen=True)
class Edit:
    """What a reviewer does to one entry in an editor."""

    text: str | None = None  # the new msgstr; None: keep the draft's text
    fuzzy: bool = False  # the fuzzy flag after the edit
    note: str | None = None  # a translator comment added


SESSION = {
    APPROVED: Edit(),
    REWRITTEN: Edit("Without peace there will be no progress."),
    HUMAN_FUZZY: Edit("In the past, Kazakhstan has refused to recognise the annexation of "
                      "Crimea and of the separatist regions of Abkhazia and South Ossetia in "
                      "Georgia.", fuzzy=True),
    TITLE: Edit(fuzzy=True, note="Headline: keep it under 60 characters."),
}


# --- helpers ---------------------------------------------------------------------------------

def l10n(project: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--project", str(project)])
    return result.exit_code, result.output


def ok(project: Path, *args: str) -> str:
    code, output = l10n(project, *args)
    assert code == 0, output
    return output


def catalog_path(project: Path, name: str = NAME) -> Path:
    return project / "locales" / "en" / f"{name}.po"


def states(project: Path, name: str = NAME) -> dict[str, str]:
    po = load(catalog_path(project, name))
    return {e.msgid: status(e) for e in article_entries(po, f"corpus/{name}")}


def entry(project: Path, msgid: str, name: str = NAME) -> polib.POEntry:
    po = load(catalog_path(project, name))
    found = [e for e in po if e.msgid == msgid and not e.obsolete]
    assert len(found) == 1, f"{msgid!r}: {len(found)} live entries"
    return found[0]


def stats_json(project: Path) -> dict[str, dict[str, int]]:
    data = json.loads(ok(project, "stats", "--format", "json"))
    return {row["name"]: row["entries"] for row in data["catalogs"]}


def check_json(project: Path, *args: str) -> tuple[int, dict]:
    code, output = l10n(project, "check", "--format", "json", "--no-qa", *args)
    assert code in (0, 1), output
    return code, json.loads(output)


def tally(found: dict[str, str]) -> dict[str, int]:
    counts = dict.fromkeys(("reviewed", "draft", "fuzzy", "untranslated", "obsolete"), 0)
    counts.update(Counter(found.values()))
    return counts


def msgfmt_ok(path: Path) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(path)],
                          capture_output=True, text=True)


def written_by_l10n(project: Path) -> Iterator[Path]:
    yield from sorted((project / "locales").rglob("*.po*"))


def edit_article(project: Path, *replacements: tuple[str, str]) -> None:
    path = project / "corpus" / f"{NAME}.txt"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def review_with_l10n_writer(path: Path, texts: dict[str, str]) -> None:
    """A reviewer's earlier work, saved as gettext (and Poedit) write files."""
    po = load(path)
    for e in po:
        if e.msgid in texts:
            e.msgstr = texts[e.msgid]
            e.flags = [f for f in e.flags if f != "fuzzy"]
    path.write_text(dumps(po), encoding="utf-8")


# --- the editors and tools -------------------------------------------------------------------

Tool = Callable[[Path, Path, dict[str, Edit]], None]  # (catalog, template, edits)


def babel(path: Path, template: Path, edits: dict[str, Edit]) -> None:
    """Babel's read_po/write_po (pybabel, Babel-based tools): comments rewrapped at 76
    columns, `#| msgid` read as a translator comment and written back as `# | msgid`
    (Babel 2.19, whatever include_previous says)."""
    with path.open("rb") as f:
        cat = read_po(f)
    for msgid, edit in edits.items():
        message = cat.get(msgid)
        assert message is not None, msgid
        if edit.text is not None:
            message.string = edit.text
        if edit.fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
        if edit.note:
            message.user_comments.append(edit.note)
    out = io.BytesIO()
    write_po(out, cat, include_previous=True)
    path.write_bytes(out.getvalue())


def _edit_toolkit_unit(unit: pypo.pounit | xliff.xliffunit, edits: dict[str, Edit]) -> None:
    edit = edits.get(unit.source)
    if edit is None or unit.isheader():
        return
    if edit.text is not None:
        unit.target = edit.text
    unit.markfuzzy(edit.fuzzy)
    if edit.note:
        unit.addnote(edit.note, origin="translator")


def toolkit_pypo(path: Path, template: Path, edits: dict[str, Edit]) -> None:
    """translate-toolkit's PO store (Virtaal, Pootle, the toolkit's filters)."""
    store = pypo.pofile.parsestring(path.read_bytes())
    for unit in store.units:
        _edit_toolkit_unit(unit, edits)
    path.write_bytes(bytes(store))


def toolkit_xliff(path: Path, template: Path, edits: dict[str, Edit]) -> None:
    """po2xliff, the review in an XLIFF editor, xliff2po: `#|` and the header comment go."""
    xlf = io.BytesIO()
    assert po2xliff.convertpo(io.BytesIO(path.read_bytes()), xlf, None) == 1
    store = xliff.xlifffile.parsestring(xlf.getvalue())
    for unit in store.units:
        _edit_toolkit_unit(unit, edits)
    back = io.BytesIO()
    assert xliff2po.convertxliff(io.BytesIO(bytes(store)), back, None) == 1
    path.write_bytes(back.getvalue())


def _polib(path: Path, edits: dict[str, Edit]) -> None:
    """The edits saved by polib's own writer (polib-based editors, wrapping at 78)."""
    po = polib.pofile(str(path))
    for e in po:
        edit = edits.get(e.msgid)
        if edit is None or e.obsolete:
            continue
        if edit.text is not None:
            e.msgstr = edit.text
        if edit.fuzzy and "fuzzy" not in e.flags:
            e.flags.append("fuzzy")
        if not edit.fuzzy and "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        if edit.note:
            e.tcomment = f"{e.tcomment}\n{edit.note}" if e.tcomment else edit.note
    po.save(str(path))


def gettext_msgcat(path: Path, template: Path, edits: dict[str, Edit]) -> None:
    _polib(path, edits)
    assert MSGCAT is not None
    subprocess.run([MSGCAT, "-o", str(path), str(path)], check=True, capture_output=True)


def gettext_msgmerge(path: Path, template: Path, edits: dict[str, Edit]) -> None:
    _polib(path, edits)
    assert MSGMERGE is not None
    subprocess.run([MSGMERGE, "--quiet", "--previous", "-o", str(path), str(path),
                    str(template)], check=True, capture_output=True)


TOOLS = [
    pytest.param(babel, id="babel"),
    pytest.param(toolkit_pypo, id="pypo"),
    pytest.param(toolkit_xliff, id="po2xliff-xliff2po"),
    pytest.param(gettext_msgcat, id="polib-msgcat", marks=needs_msgcat),
    pytest.param(gettext_msgmerge, id="polib-msgmerge-previous", marks=needs_msgmerge),
]


def session(project: Path, tool: Tool, edits: dict[str, Edit]) -> None:
    """Every catalog of the project opened and saved by `tool`; `edits` in the seed's."""
    for name in (NAME, FOLLOW_UP):
        path = catalog_path(project, name)
        if path.exists():
            tool(path, project / "locales" / "templates" / f"{name}.pot",
                 edits if name == NAME else {})


# --- the project -----------------------------------------------------------------------------

def _new_project(root: Path) -> Path:
    (root / "corpus").mkdir(parents=True)
    shutil.copy(SEED, root / "corpus" / SEED.name)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module fixtures run commands too: never in the user's cache either."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("L10N_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def _drafted(tmp_path_factory: pytest.TempPathFactory, _cache: None) -> Path:
    """The seed article extracted and drafted: 28 pseudo drafts (built once)."""
    root = _new_project(tmp_path_factory.mktemp("drafted"))
    ok(root, "extract")
    ok(root, "translate", "--engine", "pseudo", "--no-cache")
    assert set(states(root).values()) == {"draft"} and len(states(root)) == 28
    return root


@pytest.fixture
def drafted(_drafted: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(_drafted, tmp_path / "drafted"))


@pytest.fixture(scope="module")
def _newsroom(tmp_path_factory: pytest.TempPathFactory, _drafted: Path) -> Path:
    """A project whose catalogs hold every kind of entry but the session's (built once).

    Seed catalog: pseudo drafts; REACTION and CALL reviewed by a human earlier; a draft
    whose source changed (fuzzy, `#|`); a new sentence (untranslated). Follow-up catalog:
    drafts, two of them from translation memory.
    """
    root = Path(shutil.copytree(_drafted, tmp_path_factory.mktemp("newsroom") / "p"))
    review_with_l10n_writer(catalog_path(root), EARLIER)
    (root / "corpus" / f"{FOLLOW_UP}.txt").write_text(FOLLOW_UP_TEXT, encoding="utf-8")
    ok(root, "extract")
    ok(root, "translate", "--engine", "pseudo", "--no-cache")
    edit_article(root, CHANGED_DRAFT,
                 ("\n\n[Bearbeitet von", f"\n\n{NEW_SENTENCE}\n\n[Bearbeitet von"))
    ok(root, "extract")
    seed = states(root)
    assert seed[CHANGED_DRAFT[1]] == "fuzzy" and seed[NEW_SENTENCE] == "untranslated"
    assert seed[REACTION] == seed[CALL] == "reviewed"
    assert all(seed[msgid] == "draft" for msgid in SESSION)
    follow_up = load(catalog_path(root, FOLLOW_UP))
    memory = [e for e in follow_up if e.msgid in EARLIER]
    assert [status(e) for e in memory] == ["draft", "draft"]
    assert all(f"translation memory locales/en/{NAME}.po" in e.tcomment for e in memory)
    if MSGFMT is not None:
        for path in written_by_l10n(root):
            assert msgfmt_ok(path).returncode == 0, (path, msgfmt_ok(path).stderr)
    return root


@pytest.fixture
def newsroom(_newsroom: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(_newsroom, tmp_path / "newsroom"))


def expected_after(before: dict[str, str], edits: dict[str, Edit]) -> dict[str, str]:
    expected = dict(before)
    for msgid, edit in edits.items():
        if edit.text is not None or not edit.fuzzy:
            expected[msgid] = "fuzzy" if edit.fuzzy else "reviewed"
    return expected


def assert_kinds(project: Path, expected: dict[str, dict[str, str]]) -> None:
    """Model, stats and check agree with `expected` (name → msgid → status)."""
    for name, wanted in expected.items():
        assert states(project, name) == wanted, name
    counts = {name: tally(wanted) for name, wanted in expected.items()}
    assert stats_json(project) == counts
    _, gate = check_json(project, "--allow-drafts")
    assert {c["name"]: c["entries"] for c in gate["catalogs"]} == counts
    assert not [i for i in gate["issues"] if i["code"] in ("out-of-date", "orphan-catalog")]


# --- 1-3: editors and tools keep drafts drafts and human work human ------------------------

@pytest.mark.parametrize("tool", TOOLS)
def test_round_trip_keeps_every_kind_of_entry(newsroom: Path, tool: Tool) -> None:
    before = {name: states(newsroom, name) for name in (NAME, FOLLOW_UP)}
    session(newsroom, tool, SESSION)
    expected = {NAME: expected_after(before[NAME], SESSION), FOLLOW_UP: before[FOLLOW_UP]}
    assert Counter(expected[NAME].values()) == {"draft": 22, "reviewed": 4, "fuzzy": 2,
                                                "untranslated": 1}
    assert set(expected[FOLLOW_UP].values()) == {"draft"}
    assert_kinds(newsroom, expected)
    # The draft for an older source is still machine text; the human fuzzy is not.
    assert machine_written(entry(newsroom, CHANGED_DRAFT[1])) is not None
    assert machine_written(entry(newsroom, HUMAN_FUZZY)) is None
    assert SESSION[TITLE].note in entry(newsroom, TITLE).tcomment

    # The source of two reviewed entries changes, and `extract` is l10n's first write of
    # what the editor saved: the two become human fuzzies, never machine drafts; the
    # approved and edited drafts' provenance becomes history; every other entry keeps
    # its status, the drafts their provenance.
    edit_article(newsroom, (APPROVED, APPROVED_NEW), (REWRITTEN, REWRITTEN_NEW))
    ok(newsroom, "extract")
    now = states(newsroom)
    for old, new in ((APPROVED, APPROVED_NEW), (REWRITTEN, REWRITTEN_NEW)):
        assert now.pop(new) == "fuzzy", new
        assert expected[NAME].pop(old) == "reviewed"
        changed = entry(newsroom, new)
        assert machine_written(changed) is None and changed.previous_msgid == old, new
    assert now == expected[NAME]
    assert states(newsroom, FOLLOW_UP) == expected[FOLLOW_UP]
    for msgid in (APPROVED_NEW, REWRITTEN_NEW, HUMAN_FUZZY):
        settled = entry(newsroom, msgid)
        assert provenance(settled) is None and HISTORY in settled.tcomment, msgid
    for msgid, state in now.items():
        if state == "draft":
            assert provenance(entry(newsroom, msgid)) is not None, msgid
    assert machine_written(entry(newsroom, CHANGED_DRAFT[1])) is not None
    code, gate = check_json(newsroom, "--allow-drafts")
    assert code == 1
    [threshold] = [i for i in gate["issues"] if i["code"] == "threshold"]
    assert "22 draft, 4 fuzzy, 1 untranslated" in threshold["message"]
    if MSGFMT is not None:
        for path in written_by_l10n(newsroom):
            assert msgfmt_ok(path).returncode == 0, (path, msgfmt_ok(path).stderr)


@pytest.mark.parametrize("tool", TOOLS)
def test_reviewed_draft_with_changed_source_fails_allow_drafts(drafted: Path,
                                                               tool: Tool) -> None:
    """The whole catalog is drafts but one approved draft: --allow-drafts passes, until
    the approved sentence changes; then that one entry fails the gate."""
    project = drafted
    session(project, tool, {APPROVED: Edit()})
    assert check_json(project, "--allow-drafts")[0] == 0
    assert stats_json(project)[NAME] == tally({"a": "reviewed", **{str(i): "draft"
                                                                   for i in range(27)}})
    edit_article(project, (APPROVED, APPROVED_NEW))
    ok(project, "extract")
    changed = entry(project, APPROVED_NEW)
    assert status(changed) == "fuzzy" and machine_written(changed) is None
    assert PROVENANCE not in changed.tcomment and HISTORY in changed.tcomment
    code, gate = check_json(project, "--allow-drafts")
    assert code == 1
    [threshold] = [i for i in gate["issues"] if i["code"] == "threshold"]
    assert "(27 draft, 1 fuzzy)" in threshold["message"]


@needs_msgcat
@needs_msgmerge
def test_msgmerge_making_an_approved_draft_fuzzy_makes_no_draft(newsroom: Path) -> None:
    """A translator who runs msgmerge --previous on a new template instead of `l10n
    extract`: the approved draft whose source changed is fuzzy with its `l10n-mt:` comment
    untouched (no settle ran). It must count as fuzzy, not as a machine draft."""
    session(newsroom, gettext_msgcat, SESSION)
    other = Path(shutil.copytree(newsroom, newsroom.parent / "elsewhere"))
    edit_article(other, (APPROVED, APPROVED_NEW))
    ok(other, "extract")
    template = other / "locales" / "templates" / f"{NAME}.pot"
    assert MSGMERGE is not None
    subprocess.run([MSGMERGE, "--quiet", "--previous", "-o", str(catalog_path(newsroom)),
                    str(catalog_path(newsroom)), str(template)], check=True)
    shutil.copy(template, newsroom / "locales" / "templates" / f"{NAME}.pot")
    edit_article(newsroom, (APPROVED, APPROVED_NEW))
    merged = entry(newsroom, APPROVED_NEW)
    assert merged.previous_msgid == APPROVED and PROVENANCE in merged.tcomment
    assert status(merged) == "fuzzy"
    before = states(newsroom)
    code, gate = check_json(newsroom, "--allow-drafts")
    assert code == 1
    assert {c["name"]: c["entries"] for c in gate["catalogs"]}[NAME] == tally(before)
    ok(newsroom, "extract")
    assert states(newsroom) == before


# --- Babel's comment wrapping --------------------------------------------------------------

def test_babel_wraps_memory_provenance_and_the_drafts_stay_drafts(newsroom: Path) -> None:
    before = states(newsroom, FOLLOW_UP)
    session(newsroom, babel, {})
    text = catalog_path(newsroom, FOLLOW_UP).read_text(encoding="utf-8")
    # The precondition: Babel did wrap the records (at 76 columns, on a space).
    wrapped = re.findall(rf"^# {PROVENANCE} translation memory locales/en/{NAME}\.po; "
                         r"digest\n# [0-9a-f]{8}-[0-9a-f]{8}$", text, re.M)
    assert len(wrapped) == 2, text
    assert states(newsroom, FOLLOW_UP) == before
    # and turned the `#|` of the draft whose source changed into a translator comment.
    changed = entry(newsroom, CHANGED_DRAFT[1])
    assert changed.previous_msgid is None
    assert f'| msgid "{CHANGED_DRAFT[0]}"' in changed.tcomment.splitlines()
    assert status(changed) == "fuzzy" and machine_written(changed) is not None
    assert {provenance(entry(newsroom, msgid, FOLLOW_UP)).origin for msgid in EARLIER} == {
        f"translation memory locales/en/{NAME}.po"}
    ok(newsroom, "extract")  # l10n's next write keeps them drafts
    assert states(newsroom, FOLLOW_UP) == before


# --- 4: --retranslate-fuzzy after an editor round trip -------------------------------------

@dataclass
class OtherEngine:
    name: str = "argos"
    version: str = "1.9"
    label: str = "argos translate-de_en 1.9"
    cache_key: str = "other/1"

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None) -> list[Translation]:
        return [Translation(f"EN: {text}", 0.5) for text in texts]


@pytest.mark.parametrize("tool", [pytest.param(babel, id="babel"),
                                  pytest.param(toolkit_xliff, id="po2xliff-xliff2po"),
                                  pytest.param(toolkit_pypo, id="pypo")])
def test_retranslate_fuzzy_keeps_a_copy_of_human_text_only(newsroom: Path,
                                                           tool: Tool) -> None:
    """`translate --retranslate-fuzzy` (its library: plan + run, with an engine other than
    the pseudo one that drafted, so that each replacement shows) after an editor saved a
    human rewrite still fuzzy: only that text is kept as an `l10n-replaced:` copy."""
    session(newsroom, tool, SESSION)
    before = load(catalog_path(newsroom))
    drafts = {e.msgid: e.msgstr for e in article_entries(before, f"corpus/{NAME}")
              if status(e) == "draft"}
    human = SESSION[HUMAN_FUZZY].text
    # An engine other than the one that drafted, so that every replacement shows.
    project = load_project(newsroom)
    work = tr.plan(project, tr.Options(retranslate_fuzzy=True))
    tr.apply(project, work, lambda source, target: OtherEngine(), cache=None)
    after = load(catalog_path(newsroom))
    mine = {e.msgid: e for e in article_entries(after, f"corpus/{NAME}")}
    replaced = mine[HUMAN_FUZZY]
    assert status(replaced) == "draft" and replaced.msgstr != human
    assert f"{REPLACED} {human}" in replaced.tcomment.splitlines()
    assert human not in replaced.msgstr
    # l10n's own unedited drafts: replaced, no copy; the draft for an older source too.
    for msgid in [*drafts, CHANGED_DRAFT[1]]:
        assert status(mine[msgid]) == "draft", msgid
        assert mine[msgid].msgstr == f"EN: {msgid}", msgid
        assert REPLACED not in mine[msgid].tcomment, (msgid, mine[msgid].tcomment)
    assert SESSION[TITLE].note in mine[TITLE].tcomment
    for msgid in (APPROVED, REWRITTEN, REACTION, CALL):
        assert status(mine[msgid]) == "reviewed", msgid
        assert REPLACED not in mine[msgid].tcomment, msgid
    assert mine[REWRITTEN].msgstr == SESSION[REWRITTEN].text
    assert mine[NEW_SENTENCE].msgstr and status(mine[NEW_SENTENCE]) == "draft"
    assert REPLACED not in mine[NEW_SENTENCE].tcomment


# --- 6: entries a translator added ---------------------------------------------------------

PLURAL = ("Kasachstan hat ein Flugzeug geschickt.", "Kasachstan hat Flugzeuge geschickt.")
PLURAL_EMPTY = ("Ein Flugzeug ist gelandet.", "Flugzeuge sind gelandet.")


def _editions(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "editions").rglob("*")) if p.is_file()}


def _views(project: Path) -> tuple[dict, dict, dict, list]:
    """What stats, check and build (reviewed only, then with drafts) make of a project."""
    shutil.rmtree(project / "editions", ignore_errors=True)
    ok(project, "build")
    reviewed_only = _editions(project)
    ok(project, "build", "--include-fuzzy")
    with_drafts = _editions(project)
    _, gate = check_json(project, "--allow-drafts")
    return (stats_json(project), {c["name"]: c["entries"] for c in gate["catalogs"]},
            {"reviewed": reviewed_only, "drafts": with_drafts}, gate["issues"])


def test_translator_added_entries_are_nobodys_work_but_theirs(drafted: Path) -> None:
    """Context entries (with the msgids of the article's own sentences) and plural
    entries (one translated, one empty, with references to the article) a translator
    added in an editor (Babel here): stats, check and build neither count
    nor use them, check does not call the catalog out of date, extract and translate keep
    them as they are."""
    session(drafted, babel, {APPROVED: Edit()})
    before = _views(drafted)
    path = catalog_path(drafted)
    with path.open("rb") as f:
        cat = read_po(f)
    cat.add(TITLE, "WRONG: headline in context", context="headline")
    # (A plural entry cannot share an article sentence's msgid: that is a duplicate.)
    cat.add(PLURAL, ("WRONG: plural one", "WRONG: plural other"),
            locations=[(f"corpus/{NAME}.txt", 3)])
    cat.add(PLURAL_EMPTY, ("", ""), locations=[(f"corpus/{NAME}.txt", 5)])
    cat.add(REWRITTEN, "WRONG: context of a draft", context="quote")
    out = io.BytesIO()
    write_po(out, cat)
    path.write_bytes(out.getvalue())
    if MSGFMT is not None:
        assert msgfmt_ok(path).returncode == 0, msgfmt_ok(path).stderr

    def added() -> list[tuple[object, ...]]:
        po = load(path)
        return [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, dict(e.msgstr_plural),
                 e.tcomment, e.obsolete) for e in po if e.msgctxt or e.msgid_plural]

    theirs = added()
    assert len(theirs) == 4
    after = _views(drafted)
    assert after == before
    assert not any(b"WRONG" in text for edition in after[2].values()
                   for text in edition.values())
    ok(drafted, "extract")
    ok(drafted, "translate", "--engine", "pseudo", "--no-cache")
    assert added() == theirs  # no draft, no provenance, nothing obsolete
    assert stats_json(drafted) == before[0]
    if MSGFMT is not None:
        assert msgfmt_ok(path).returncode == 0, msgfmt_ok(path).stderr


# --- 5: the real catalogs in tests/data/po -------------------------------------------------

ARTICLE = ("Hilfe aus Kasachstan\n\nKasachstan schickt ein zweites Flugzeug mit Hilfsgütern "
           "in die Ukraine. Die Regierung in Astana bestätigte den Start am Freitag.\n")
LOADABLE = [m["file"] for m in MANIFEST if m["polib_ok"]]
BROKEN = [m["file"] for m in MANIFEST if not m["polib_ok"]]
EDITOR_FIELDS = ("Last-Translator", "Language-Team", "PO-Revision-Date")
# Template placeholders l10n fills in (merge._header): not a translator's value.
PLACEHOLDERS = ("LANGUAGE <LL@li.org>", "LANGUAGE <LL@li.org>\n")


def _stem(file: str) -> str:
    return Path(file).stem


def _translator_view(po: polib.POFile) -> dict[tuple[object, ...], tuple[object, ...]]:
    """Every entry by (msgctxt, msgid, obsolete): plural forms, text and status."""
    view: dict[tuple[object, ...], tuple[object, ...]] = {}
    for e in po:
        key = (e.msgctxt, e.msgid, bool(e.obsolete))
        assert key not in view, key
        view[key] = (e.msgid_plural, e.msgstr, dict(e.msgstr_plural), status(e))
    return view


def _gettext_status(e: polib.POEntry) -> str:
    forms = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
    if e.obsolete:
        return "obsolete"
    if not forms or not all(forms):
        return "untranslated"
    return "fuzzy" if "fuzzy" in e.flags else "reviewed"


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory, _cache: None) -> Path:
    """Every loadable real catalog as locales/en/<name>.po beside a German article, after
    `extract` and `translate --engine pseudo` (one project, one run of each)."""
    root = _new_project(tmp_path_factory.mktemp("real"))
    (root / "corpus" / SEED.name).unlink()
    (root / "locales" / "en").mkdir(parents=True)
    for file in LOADABLE:
        (root / "corpus" / f"{_stem(file)}.txt").write_text(ARTICLE, encoding="utf-8")
        shutil.copy(REAL / file, root / "locales" / "en" / f"{_stem(file)}.po")
    ok(root, "extract")
    ok(root, "translate", "--engine", "pseudo", "--no-cache")
    return root


@pytest.mark.parametrize("file", LOADABLE)
def test_real_catalog_keeps_every_translators_entry(real_project: Path, file: str,
                                                    tmp_path: Path) -> None:
    name = _stem(file)
    original = (REAL / file).read_bytes()
    before = loadb(original, path=Path(file))
    result = catalog_path(real_project, name)
    after = load(result)
    # The article's sentences were added and drafted...
    assert set(states(real_project, name).values()) == {"draft"}
    assert len(states(real_project, name)) == 3
    # ... and nothing that was there changed: text, plural forms, status.
    old, new = _translator_view(before), _translator_view(after)
    assert {k: new.get(k) for k in old} == old
    # The status of what was there, by gettext's rules (no l10n provenance in these
    # files): a plural entry is translated when every form is.
    assert {k: v[3] for k, v in new.items() if k in old} == {
        (e.msgctxt, e.msgid, bool(e.obsolete)): _gettext_status(e) for e in before}
    assert not [e for e in after if e.msgid and (e.msgctxt, e.msgid, bool(e.obsolete)) in old
                and PROVENANCE in (e.tcomment or "")]
    # The header comment and the fields translators and their editors own.
    assert after.header == before.header
    assert after.metadata_is_fuzzy == before.metadata_is_fuzzy
    for field, value in before.metadata.items():
        if (field in EDITOR_FIELDS or field.startswith("X-")) and value not in PLACEHOLDERS:
            assert after.metadata.get(field) == value, field
    if MSGFMT is not None:
        copy = tmp_path / f"{name}.po"
        copy.write_bytes(original)
        if msgfmt_ok(copy).returncode == 0:
            assert msgfmt_ok(result).returncode == 0, msgfmt_ok(result).stderr


def test_real_catalogs_are_a_fixed_point_of_l10n(real_project: Path, tmp_path: Path) -> None:
    """A second extract and translate change nothing: no ping-pong with the header or the
    translators' entries."""
    project = Path(shutil.copytree(real_project, tmp_path / "again"))
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    assert "0 file(s) written" in ok(project, "extract")
    ok(project, "translate", "--engine", "pseudo", "--no-cache")
    assert {p: p.read_bytes() for p in snapshot} == snapshot


@pytest.mark.parametrize("file", BROKEN)
def test_broken_real_catalog_is_a_clear_error_and_stays_untouched(tmp_path: Path,
                                                                  file: str) -> None:
    name = _stem(file)
    project = _new_project(tmp_path / "p")
    (project / "corpus" / SEED.name).unlink()
    (project / "corpus" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "locales" / "en").mkdir(parents=True)
    path = catalog_path(project, name)
    shutil.copy(REAL / file, path)
    original = path.read_bytes()
    # The line polib names (MANIFEST.json), as `file:line`.
    [meta] = [m for m in MANIFEST if m["file"] == file]
    line = re.search(r"\(line (\d+)\)", meta["polib_error"])
    assert line, meta
    where = f"locales/en/{name}.po:{line.group(1)}"
    for command in (["extract"], ["translate", "--engine", "pseudo", "--no-cache"],
                    ["stats"], ["check"], ["build"]):
        code, output = l10n(project, *command)
        assert code == 2, (command, output)
        assert where in output, (command, output)
        assert path.read_bytes() == original, command
