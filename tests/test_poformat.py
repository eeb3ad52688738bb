"""PO reading and gettext-canonical writing (l10n.catalog.po).

The writer's contract is checked against GNU gettext itself: `msgcat` must print our
output unchanged. Those tests batch many entries into one file per msgcat call and skip
when msgcat is not installed. The line breaking is also compared with libunistring (the
library msgcat wraps with) directly, through ctypes, when that library is present.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import random
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import polib
import pytest

from l10n.catalog.po import read, syntax, wrap, write
from l10n.errors import BadInputError

DATA = Path(__file__).parent / "data" / "po"
MANIFEST = {item["file"]: item for item in json.loads((DATA / "MANIFEST.json").read_text())}
SEED = Path(__file__).parent.parent / "corpus" / "kasachstan-ukrainekrieg.txt"
TOOL = Path(__file__).parent.parent / "tools" / "linebreak_table.py"
_spec = importlib.util.spec_from_file_location("linebreak_table", TOOL)
assert _spec is not None and _spec.loader is not None
linebreak_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(linebreak_table)

# The only file gettext cannot parse at all; Babel's "BUGGY" catalog is valid PO syntax
# (its bug is a placeholder mismatch, which is for the QA checks to find).
SYNTAX_ERRORS = {"polib__test_syntax_error1.po": 5}
GOOD = sorted(name for name in MANIFEST if name not in SYNTAX_ERRORS)

MSGCAT = shutil.which("msgcat")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext's msgcat is not "
                                  "installed (apt-get install gettext)")


def msgcat(data: bytes, tmp_path: Path, *, width: int | None = None) -> bytes:
    src = tmp_path / "in.po"
    src.write_bytes(data)
    cmd = [str(MSGCAT), "--force-po"]
    if width is not None:
        cmd.append(f"--width={width}")
    result = subprocess.run([*cmd, str(src)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def first_difference(ours: bytes, theirs: bytes) -> str:
    a, b = ours.decode(errors="replace").split("\n"), theirs.decode(errors="replace").split("\n")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            context = "\n".join(a[max(0, i - 3):i])
            return f"line {i + 1}:\n{context}\nours:   {x!r}\nmsgcat: {y!r}"
    return f"lengths differ: {len(a)} vs {len(b)} lines"


def assert_msgcat_fixed_point(po: polib.POFile, tmp_path: Path, width: int = 79) -> None:
    ours = write.dumpb(po, width=width)
    theirs = msgcat(ours, tmp_path, width=None if width == 79 else width)
    assert ours == theirs, first_difference(ours, theirs)


# --- reading the real files -------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD)
def test_good_files_load(name: str) -> None:
    po = read.load(DATA / name)
    info = MANIFEST[name]
    assert len(po) == info["polib_entries"]
    assert len(po.obsolete_entries()) == info["polib_obsolete"]


def entry_key(entry: polib.POEntry) -> tuple[object, ...]:
    """What a catalog entry means, after gettext's own normalisations of a written file."""
    plural = {int(k): v for k, v in entry.msgstr_plural.items()}
    translated = bool(plural.get(0) if entry.msgid_plural else entry.msgstr)
    flags = {f for f in entry.flags if f.endswith("-format") or f.startswith("range:")
             or f == "no-wrap" or (f == "fuzzy" and translated)}
    refs = list(dict.fromkeys((f.removeprefix("./"), line) for f, line in entry.occurrences))
    return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, plural,
            entry.obsolete, entry.tcomment, entry.comment, refs, flags,
            entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural)


@pytest.mark.parametrize("name", GOOD)
def test_round_trip(name: str) -> None:
    po = read.load(DATA / name)
    text = write.dumps(po)
    again = read.loads(text)
    kept = [e for e in po if not (e.obsolete and not (e.msgstr or e.msgstr_plural.get(0)))]
    assert [entry_key(e) for e in again] == [entry_key(e) for e in kept]
    assert again.metadata == po.metadata
    assert again.header == po.header
    assert write.dumps(again) == text


@needs_msgcat
@pytest.mark.parametrize("name", GOOD)
def test_real_files_are_msgcat_fixed_points(name: str, tmp_path: Path) -> None:
    po = read.load(DATA / name)
    content_type = po.metadata.get("Content-Type", "")
    if "charset=" not in content_type or "charset=CHARSET" in content_type:
        # msgcat refuses non-ASCII text in a file that declares no charset.
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    assert_msgcat_fixed_point(po, tmp_path)


def test_our_entries_match_polib() -> None:
    """Where polib reads a file without loss, it reads the same entries as we do."""
    for name in GOOD:
        ours = read.load(DATA / name)
        # (A test may let polib open the path; polib given content would split lines at
        # U+000B and the like, which test_word_garbage.po contains.)
        theirs = polib.pofile(str(DATA / name))
        assert ours.metadata == theirs.metadata, name
        for a, b in zip(ours, theirs, strict=True):
            # polib drops empty "#." lines, gettext keeps them.
            assert (a.msgctxt, a.msgid, a.msgid_plural, a.msgstr, a.msgstr_plural,
                    bool(a.obsolete), "\n".join(filter(None, a.comment.split("\n"))),
                    a.occurrences, set(a.flags)) == (
                b.msgctxt, b.msgid, b.msgid_plural, b.msgstr, b.msgstr_plural,
                bool(b.obsolete), b.comment, b.occurrences, set(b.flags)), (name, a.msgid)
            if not a.obsolete:  # polib skips "#~|" lines
                assert a.previous_msgid == b.previous_msgid, (name, a.msgid)


def test_iso_8859_15_is_decoded_and_written_back_in_its_charset() -> None:
    raw = (DATA / "polib__test_iso-8859-15.po").read_bytes()
    po = read.load(DATA / "polib__test_iso-8859-15.po")
    assert any("Français" in value for value in po.metadata.values())
    assert write.catalog_codec(po) == "iso8859-15"
    assert b"Fran\xe7ais" in write.dumpb(po)
    assert write.dumpb(po).decode("iso8859-15") == write.dumps(po)
    assert b"Fran\xe7ais" in raw


def test_bom_is_tolerated() -> None:
    with_bom = read.load(DATA / "polib__test_ufeff.po")
    without = read.loadb((DATA / "polib__test_ufeff.po").read_bytes()[3:])
    assert [entry_key(e) for e in with_bom] == [entry_key(e) for e in without]
    assert with_bom[0].msgid == "foo"
    assert read.loads("\ufeff" + 'msgid "a"\nmsgstr "b"\n')[0].msgstr == "b"


def test_header_and_comment_conventions() -> None:
    po = read.load(DATA / "polib__test_utf8.po")
    # The header's translator comments.
    assert po.header.startswith("translation of django.po to Castellano\n")
    assert next(iter(po.metadata)) == "Project-Id-Version"  # file order kept
    po = read.load(DATA / "polib__test_unusual_metadata_location.po")
    # As in gettext, comments belong to the entry that follows them.
    assert po[0].tcomment == "Po file where metadata is not located\nin the first entry.\n"
    fuzzy = read.load(DATA / "polib__test_fuzzy_header.po")
    assert "fuzzy" in fuzzy.metadata_is_fuzzy
    assert write.dumps(fuzzy).startswith(
        '# Po file with a fuzzy header\n#\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: ')


def test_obsolete_previous_msgid_is_kept() -> None:
    po = read.load(DATA / "polib__test_obsolete_previousmsgid.po")
    obsolete = po.obsolete_entries()[0]
    assert obsolete.previous_msgid == "Error on %s\n%s"
    assert '#~| msgid ""\n#~| "Error on %s\\n"\n#~| "%s"\n' in write.dumps(po)


def test_escapes_and_odd_layout() -> None:
    po = read.loads(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#foo\n#.bar\n#: a.c:007 ./a.c:7 b.c : 3 c.c: 4 d.c:\n#, c-format,fuzzy  python-format\n'
        '\tmsgid "\\a\\b\\f\\v\\t\\101\\x42\\"\\\\" msgstr "x"\r\n'
        'msgid "p" msgid_plural "ps"\nmsgstr[0] "a"\nmsgstr[1] ""\n"b"\n')
    entry = po[0]
    assert entry.msgid == '\a\b\f\v\tAB"\\'
    assert entry.tcomment == "foo" and entry.comment == "bar"
    assert entry.occurrences == [("a.c", "7"), ("./a.c", "7"), ("b.c", "3"), ("c.c", "4"),
                                 ("d.c:", "")]
    assert entry.flags == ["c-format", "fuzzy", "python-format"]
    assert po[1].msgstr_plural == {0: "a", 1: "b"}
    text = write.dumps(po)
    assert "#: a.c:7 b.c:3 c.c:4 d.c:\n#, fuzzy, c-format, python-format\n" in text
    assert 'msgid "\\a\\b\\f\\v\\tAB\\"\\\\"\n' in text


def test_normalisations_of_gettext() -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a", msgstr="", flags=["fuzzy", "my-flag"]))
    po.append(polib.POEntry(msgid="b", msgstr="x", obsolete=True, flags=["fuzzy"],
                            previous_msgid="c"))
    po.append(polib.POEntry(msgid="d", msgstr="", obsolete=True))
    po.append(polib.POEntry(msgid="e", msgstr="y", flags=["range: 1..3", "no-wrap"],
                            occurrences=[("./x.py", "010"), ("x.py", "10"), ("y.py", "")]))
    assert write.dumps(po) == (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "a"\nmsgstr ""\n\n'
        '#: x.py:10 y.py\n#, range: 1..3, no-wrap\nmsgid "e"\nmsgstr "y"\n\n'
        '#, fuzzy\n#~| msgid "c"\n#~ msgid "b"\n#~ msgstr "x"\n')


# --- broken input ---------------------------------------------------------------------


def test_syntax_error_file_names_path_and_line() -> None:
    path = DATA / "polib__test_syntax_error1.po"
    with pytest.raises(BadInputError) as err:
        read.load(path)
    assert err.value.path == path
    assert err.value.line == SYNTAX_ERRORS[path.name]
    assert "msgstr without msgid" in err.value.message


def test_babel_buggy_catalog_is_valid_syntax() -> None:
    po = read.load(DATA / "babel__messages_data_project_i18n_fi_BUGGY_LC_MESSAGES_messages.po")
    assert [(e.msgid, e.msgstr) for e in po] == [("bar %(sign)s", "tanko %(merkki)s")]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInputError) as err:
        read.load(tmp_path / "nope.po")
    assert err.value.path == tmp_path / "nope.po" and "no such file" in err.value.message
    with pytest.raises(BadInputError) as err:
        read.load(tmp_path)
    assert err.value.path == tmp_path and err.value.line is None


def test_truncated_file(tmp_path: Path) -> None:
    raw = (DATA / "polib__test_utf8.po").read_bytes()
    lines = raw.split(b"\n")
    cut = next(i for i, line in enumerate(lines) if i > 100 and line.startswith(b"msgid "))
    path = tmp_path / "cut.po"
    path.write_bytes(b"\n".join(lines[:cut + 1]) + b"\n")
    with pytest.raises(BadInputError) as err:
        read.load(path)
    # The error names the first line of the unfinished entry (its comments).
    start = max(i for i in range(cut) if not lines[i].strip()) + 2
    assert err.value.path == path and err.value.line == start
    assert "truncated" in str(err.value)
    # Cut inside a string.
    path.write_bytes(b"\n".join(lines[:cut]) + b"\n" + lines[cut][:12])
    with pytest.raises(BadInputError) as err:
        read.load(path)
    assert err.value.line == cut + 1 and "string" in err.value.message


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                     b'msgid "ok"\nmsgstr "caf\xe9"\n')
    with pytest.raises(BadInputError) as err:
        read.load(path)
    assert err.value.path == path and err.value.line == 5
    assert "UTF-8" in err.value.message


def test_unknown_charset(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NO-SUCH-9\\n"\n')
    with pytest.raises(BadInputError, match="unknown charset"):
        read.load(path)


BROKEN = [
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "duplicate"),
    ('msgctxt "x"\nmsgid "a"\nmsgstr "b"\nmsgctxt "x"\nmsgid "a"\nmsgstr "c"\n', 5, "duplicate"),
    ('msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\nmsgstr[2] ""\n', 4, "wrong index"),
    ('msgid "a"\nmsgid_plural "b"\nmsgstr ""\n', 3, "msgstr[N]"),
    ('msgid "a"\nmsgstr[0] ""\n', 2, "without msgid_plural"),
    ('msgid "a"\n#~ msgstr "b"\n', 2, "inconsistent"),
    ('msgid "a"\nmsgstr "\\q"\n', 2, "escape"),
    ('msgid "a"\nmsgstr "\\xe9"\n', 2, "numeric escape"),
    ('msgid "a"\nmsgstr "b" "c\n', 2, "string"),
    ('msgid "a"\nmsgstr\n\nmsgid "b"\nmsgstr ""\n', 2, "without a string"),
    ('msgid "a"\nmsgstr "b"\n"c"\nfoo "d"\n', 4, "unexpected"),
    ('msgid "a"\n# comment\nmsgstr "b"\n', 2, "comment inside"),
    ('"a"\nmsgid "a"\nmsgstr "b"\n', 1, "string without a keyword"),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 3, "msgstr without msgid"),
    ('#| msgid "old"\n', 1, "truncated"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN)
def test_broken_syntax(text: str, line: int, message: str) -> None:
    with pytest.raises(BadInputError) as err:
        read.loads(text, path=Path("x.po"))
    assert err.value.line == line
    assert message in str(err.value)
    assert str(err.value).startswith(f"x.po:{line}: ")


@needs_msgcat
@pytest.mark.parametrize(("text", "line", "message"), BROKEN)
def test_broken_syntax_is_rejected_by_gettext_too(text: str, line: int, message: str,
                                                  tmp_path: Path) -> None:
    src = tmp_path / "x.po"
    src.write_text(text, encoding="utf-8")
    result = subprocess.run([str(MSGCAT), str(src)], capture_output=True, check=False)
    assert result.returncode != 0, text


# --- writing: msgcat on many realistic strings -----------------------------------------

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
SPECIALS = [
    "Am 10. Februar 2022 um 14:30 Uhr stiegen die Preise um 3,5 % auf 1.234,56 € (−2,1 %) "
    "bzw. auf 7–9 Mrd. US-$ – laut Nr. 5-7/2022 der COVID-19-Statistik.",
    "Siehe https://www.example.org/nachrichten/2022/03/kasachstan-distanziert-sich-von-"
    "russlands-ukrainekrieg.html?ref=start&id=42 und mailto:redaktion@example.org.",
    f"Das Wort {LONG_WORD}{LONG_WORD} ist länger als jede Zeile.",
    "Ein-/Ausgabe und/oder Import/Export: Bundes- und Landesregierung, Vor- und Nachteile, "
    "A-1-Klasse, 3-D-Drucker, E-Mail-Adresse, x-beliebig, 2-mal, 100-prozentig.",
    "„Wir werden die sogenannten Republiken nicht anerkennen“, sagte er. ‚Nie‘, fügte er "
    "hinzu – »endgültig« … (so der Sprecher) [Kremlin pool/EPA/EFE]; {Klammern}!?",
    'Er sagte "Hallo" \\ und C:\\Programme\\Datei.txt mit \\n wörtlich',
    "Zeile eins\nZeile zwei mit einem etwas längeren Text, der umbrochen werden muss, "
    "weil er nicht passt\n\nAbsatz\n",
    "Tab\tgetrennt\tund\tmehr\tTabulatoren\tin\teiner\tZeile\tdie\tlang\tgenug\tist\tum\tzu"
    "\tumbrechen\tganz\tsicher\tjetzt",
    "哈萨克斯坦与俄罗斯的乌克兰战争保持距离。托卡耶夫于2月10日访问莫斯科，感谢俄罗斯同行帮助"
    "结束该国上个月的暴力骚乱。「引用」（括号）、日本語のテキストもあります。",
    "한국어 문장도 있습니다. 카자흐스탄은 러시아의 우크라이나 전쟁과 거리를 두고 있습니다. "
    "ﾊﾝｶｸ ｶﾀｶﾅ and ＦＵＬＬＷＩＤＴＨ letters.",
    "Emoji 👍🏽 und Flaggen 🇩🇪🇺🇦 und Familie 👨‍👩‍👧 und Sterne " + "⭐" * 20,
    "Geschützte\u00a0Leerzeichen\u00a0zwischen\u00a0allen\u00a0Wörtern\u00a0dieses\u00a0Satzes"
    "\u00a0verhindern\u00a0jeden\u00a0Umbruch\u00a0hier, Weich\u00adtrenn\u00adung und "
    "Null\u200bbreite\u200bLeerzeichen, Wort\u2060verbinder.",
    "Hebräisch עִבְרִית־שפה ועוד מילים, Arabisch العربية, Thai ภาษาไทยภาษาไทย, "
    "Devanagari हिन्दी भाषा, combining e\u0301 a\u0308 o\u0302.",
    "Steuerzeichen \x1b[1m fett \x1b[0m, Glocke \a, Wagenrücklauf \r\n und Seitenvorschub \f.",
    "   führende und nachfolgende Leerzeichen   ",
    "Mehrere     Leerzeichen     zwischen     den     Wörtern     dieses     Satzes     hier.",
    "x" * 150,
    "Ende mit Backslash \\",
    "\n",
    "\n\n",
    "a\n",
]
FORMAT_STRINGS = [
    ("python-format", "Die Datei %(name)s wurde von %(user)s am %(date)s geändert, "
     "%(count)d Änderungen, %(ratio).2f%% mehr als %(previous-count)d und % (spaced)d."),
    ("python-format", "Wert %s von %d Einträgen: %5.1f%% erledigt, % d mit Leerzeichen, "
     "%-10s links und %+d Vorzeichen, %r und %%s wörtlich, plus eine Menge Text danach."),
    ("c-format", "Datei %s: %d Fehler, %-10s|%5.2f|% d|%+i|%1$s|%2$*3$d|%lu|%zu|%%|%"
     "'d Tausender, und etwas Text danach damit die Zeile lang genug wird um umzubrechen."),
    ("c-format", "Kaputte Direktive %y gefolgt von % d und einem langen Text, der unbedingt "
     "umbrochen werden muss, damit wir sehen, was passiert."),
    ("python-format", "Gemischt %(name)s und %d ist ungültig, % d danach darf umbrechen und "
     "noch mehr Text, damit umbrochen wird."),
    ("python-format", "Kaputt %y danach % d darf umbrechen und % d auch und noch mehr Text, "
     "damit umbrochen wird, weil die Zeile sonst zu kurz ist."),
    ("python-format", "Ungeschlossen %(name danach % d darf umbrechen und % d auch und noch mehr "
     "Text, damit umbrochen wird, weil die Zeile sonst zu kurz ist."),
    ("c-format", "Positionen %2$s und %1$d, dann % d und %0$d ungültig, danach % d und Text, "
     "damit umbrochen wird, weil die Zeile sonst zu kurz ist."),
    ("no-c-format", "Kein Format % d und weiterer Text, der lang genug ist, damit er "
     "umbrochen wird, wenn er zu lang ist."),
]


def _sentences() -> list[str]:
    lines = (DATA / "sentences.de.txt").read_text(encoding="utf-8").splitlines()
    if SEED.is_file():
        seed = SEED.read_text(encoding="utf-8")
        lines += [p.strip() for p in seed.split("\n\n") if p.strip()]
        lines += [s.strip() + "." for s in seed.replace("\n", " ").split(". ") if s.strip()]
    return [line for line in lines if line]


def realistic_catalog() -> polib.POFile:
    """One catalog exercising every kind of line the writer produces."""
    rng = random.Random(20260101)
    sentences = _sentences()
    po = polib.POFile()
    po.header = "German news, English edition.\nCopyright (C) 2026\n"
    po.metadata = {
        "Project-Id-Version": "l10n test",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-01-01 00:00+0000",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Long-Header": ("a value that is long enough to be wrapped by gettext " * 3).strip(),
    }
    strings = list(SPECIALS) + sentences
    # Strings around the width limit, where off-by-one errors live.
    for length in range(60, 82):
        for text in sentences[:6]:
            strings.append(text[:length])
    for i in range(0, len(sentences) - 1, 7):
        strings.append(sentences[i] + " " + sentences[i + 1])
        strings.append(sentences[i].replace(" ", "\n", 1) + "\n")
        strings.append(sentences[i].replace(" ", "\t", 2))
    paths = ["corpus/kasachstan-ukrainekrieg.txt", "./corpus/a.md", "corpus/ä-umlaut.md",
             "src/very/long/path/to/some/deeply/nested/module/with/a/long/name.py",
             "C:\\Windows\\pfad\\datei.c", "x"]
    seen: set[tuple[str | None, str]] = set()
    for i, msgid in enumerate(strings):
        msgstr = strings[(i * 7 + 3) % len(strings)] if i % 5 else ""
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if i % 11 == 0:
            entry.msgctxt = f"ctx {i} " + (sentences[i % len(sentences)] if i % 22 == 0 else "")
        if i % 3 == 0:
            entry.occurrences = [(rng.choice(paths), str(rng.randint(1, 9999)))
                                 for _ in range(rng.randint(1, 12))]
        if i % 4 == 0:
            entry.tcomment = "l10n-mt: argos translate-de_en 1.9; score 0.873\nsecond line"
        if i % 6 == 0:
            entry.comment = "paragraph" if i % 12 else "extracted\n\nwith an empty line"
        if i % 7 == 0:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = strings[(i + 1) % len(strings)]
            if i % 14 == 0:
                entry.previous_msgctxt = "old context"
        if i % 13 == 0:
            entry.flags.append("no-wrap")
        if i % 9 == 0:
            entry.flags.append("range: 0..5")
        if i % 17 == 0:
            entry.msgid_plural = strings[(i + 2) % len(strings)]
            entry.msgstr_plural = {0: msgstr, 1: strings[(i + 5) % len(strings)], 2: ""}
            entry.msgstr = ""
            if entry.previous_msgid is not None:
                entry.previous_msgid_plural = strings[(i + 3) % len(strings)]
        if i % 19 == 0 and entry.msgstr:
            entry.obsolete = True
        key = (entry.msgctxt, entry.msgid)
        if key not in seen:
            seen.add(key)
            po.append(entry)
    for i, (flag, text) in enumerate(FORMAT_STRINGS):
        for variant in range(4):
            msgid = text + " " * variant
            entry = polib.POEntry(msgid=msgid, msgstr=text.upper(), flags=[flag])
            entry.msgctxt = f"format {i} {variant}"
            if variant == 1:
                entry.flags.append("fuzzy")
                entry.previous_msgid = text[5:]
            if variant == 2:
                entry.obsolete = True
            po.append(entry)
    # Short strings near the width limit: many escapes, wide characters, many plural forms.
    for k in range(24, 40):
        for j, unit in enumerate(['"', "中", "\\", "a\t", "ü"]):
            text = unit * k
            forms = {n: f"{n}{text}" for n in range(12)}
            po.append(polib.POEntry(msgctxt=f"short {j}", msgid=text, msgid_plural=text + "s",
                                    msgstr_plural=forms, obsolete=k % 3 == 0))
    # Dense break opportunities, so that the rarely used rules decide many line ends.
    for n in range(14, 34):
        for j, (flag, unit) in enumerate(TORTURE):
            text = unit[:n % len(unit)] + unit * n
            po.append(polib.POEntry(msgctxt=f"torture {j}", msgid=text, msgstr=text,
                                    flags=[flag] if flag else []))
    return po


TORTURE = [
    ("python-format", "% d "),  # no break inside a directive...
    ("python-format", "%y % d "),  # ...but after an invalid one nothing is protected
    ("python-format", "%(a b)s %(c-d)s "),
    ("c-format", "% d %-5s "),
    ("c-format", "%0$d % d "),
    ("c-format", "%1$d % d "),  # numbered and unnumbered arguments do not mix
    ("c-format", "%1$*2$d %3$ d "),
    ("python-format", "%(a)s % d "),  # nor do named and unnamed ones
    ("python-format", "% *d %(a)s % d "),
    ("", "% d "),
    ("", "🇩🇪🇺🇦"),  # regional indicators pair up (LB30a)
    ("", "אב-גד־הו "),  # no break after a hyphen that follows a Hebrew letter (LB21a)
    ("", "ab-cd-ef 12-34 "),
    ("", "👍🏽👨‍👩‍👧"),  # emoji modifiers and ZWJ sequences
    ("", "中文，日本語。한국어 "),
]


@needs_msgcat
@pytest.mark.parametrize("width", [79, 20, 40, 60, 100, 0])
def test_realistic_catalog_is_msgcat_fixed_point(width: int, tmp_path: Path) -> None:
    po = realistic_catalog()
    assert len(po) > 700
    assert_msgcat_fixed_point(po, tmp_path, width=width)


@needs_msgcat
@pytest.mark.parametrize("charset", ["ISO-8859-15", "EUC-JP", "KOI8-R"])
def test_non_utf8_catalog_is_msgcat_fixed_point(charset: str, tmp_path: Path) -> None:
    """Legacy charsets: references are measured in bytes, CJK charsets widen characters."""
    codec = syntax.python_codec(charset)
    po = polib.POFile()
    po.metadata = {"Content-Type": f"text/plain; charset={charset}"}
    texts = [*_sentences()[:150], *SPECIALS,
             "日本語のテキスト、漢字とかなと「括弧」（全角）、そして ASCII も。" * 4,
             "Größe × 3 ° α β γ ± § ¶ ‘Zitat’ “Zitat” — … ※ Ω µ ½ ¼" * 3,
             "Русский текст для проверки переноса строк, который достаточно длинный. " * 3]
    for i, text in enumerate(texts):
        text = text.encode(codec, errors="replace").decode(codec)
        name = "corpus/straße.txt".encode(codec, errors="replace").decode(codec)
        po.append(polib.POEntry(msgctxt=str(i), msgid=text, msgstr=text[::-1],
                                occurrences=[(name, "1")] + [(f"c/{j}.txt", str(j))
                                                             for j in range(12)]))
    assert_msgcat_fixed_point(po, tmp_path)


@needs_msgcat
def test_loaded_msgcat_output_round_trips(tmp_path: Path) -> None:
    """Reading what msgcat wrote gives back the catalog we wrote."""
    po = realistic_catalog()
    text = write.dumps(po)
    again = read.loads(msgcat(text.encode("utf-8"), tmp_path).decode("utf-8"))
    assert write.dumps(again) == text


def test_dumps_is_idempotent_on_realistic_catalog() -> None:
    po = realistic_catalog()
    text = write.dumps(po)
    assert write.dumps(read.loads(text)) == text
    assert len(read.loads(text)) == len(po) - sum(
        1 for e in po if e.obsolete and not (e.msgstr or e.msgstr_plural.get(0)))


# --- line breaking against libunistring itself -----------------------------------------


LIBUNISTRING = linebreak_table.libunistring()
needs_libunistring = pytest.mark.skipif(LIBUNISTRING is None,
                                        reason="libunistring 1.0 is not installed")


@needs_libunistring
def test_character_widths_match_libunistring() -> None:
    assert LIBUNISTRING is not None
    uc_width = LIBUNISTRING.uc_width
    uc_width.restype = ctypes.c_int
    uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    table = wrap._char_table()
    rng = random.Random(5)
    codes = list(range(0x3400)) + [rng.randrange(0x3400, 0x110000) for _ in range(20000)]
    wrong = [hex(c) for c in codes if not 0xD800 <= c < 0xE000
             and (table[c] & 3) - 1 != uc_width(c, b"UTF-8")]
    assert not wrong


@needs_libunistring
def test_line_breaking_matches_libunistring() -> None:
    assert LIBUNISTRING is not None
    breaker = LIBUNISTRING.u8_width_linebreaks_v2
    breaker.restype = ctypes.c_int
    breaker.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                        ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    pool = ([*SPECIALS, *_sentences()[:100]])
    chars = sorted(set("".join(pool)) | set("\u2028\u0085\u3000\u2024\ufeff\u202f\u180e"))
    rng = random.Random(7)
    for n in range(3000):
        if n % 2:
            text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 120)))
        else:
            start = rng.randrange(len(pool))
            text = " ".join(pool[start:start + 2])
        text = text.replace("\n", " ")
        width, startcol = rng.randint(5, 80), rng.randint(0, 15)
        data = text.encode("utf-8")
        out = ctypes.create_string_buffer(len(data))
        breaker(data, len(data), width, startcol, 0, None, b"UTF-8", out)
        offsets = {}
        position = 0
        for index, char in enumerate(text):
            offsets[position] = index
            position += len(char.encode("utf-8"))
        expected = [offsets[b] for b in range(len(data)) if out.raw[b] == 2]
        ours = wrap._width_linebreaks(text, bytearray(len(text)), width, startcol, False)
        assert ours == expected, (text, width, startcol)


@needs_libunistring
def test_shipped_line_break_table_is_the_generated_one() -> None:
    """linebreak.txt is what tools/linebreak_table.py reads from libunistring 1.0."""
    shipped = resources.files(wrap.__package__).joinpath(wrap.TABLE_FILE)
    assert shipped.read_text(encoding="utf-8") == linebreak_table.generate()
