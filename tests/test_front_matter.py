"""Front matter: chosen top-level values are segments, written back as the YAML they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from l10n.cli import app
from l10n.document import Document, Segment
from l10n.readers import parse
from l10n.readers.settings import ReadSettings
from l10n.readers.yaml_scalar import double_quoted, plain, single_quoted

BODY = "\n# Überschrift\n\nEin Satz im Text.\n"


def _doc(front: str, keys: tuple[str, ...] = ("title", "description")) -> Document:
    return parse(front + BODY, Path("a.md"), ReadSettings(front_matter_keys=keys))


def _front(doc: Document) -> list[Segment]:
    return list(doc.blocks[0].segments)


def _msgids(front: str, keys: tuple[str, ...] = ("title", "description")) -> list[str]:
    doc = _doc(front, keys)
    assert doc.blocks[0].kind == "front matter"
    assert doc.render(lambda t: t) == front + BODY  # identity, byte for byte
    assert doc.render(lambda t: None) == front + BODY
    return [seg.text for seg in _front(doc)]


READ = [
    # (front matter, msgids of its title and description)
    ("---\ntitle: Krieg in der Ukraine\n---\n", ["Krieg in der Ukraine"]),
    ("---\ntitle:   Viel Platz   \n---\n", ["Viel Platz"]),
    ("---\ntitle: Mit Kommentar # nicht übersetzen\n---\n", ["Mit Kommentar"]),
    ("---\ntitle: Ein#Hash bleibt\n---\n", ["Ein#Hash bleibt"]),
    ("---\ntitle: 'O''Neill sagt'\n---\n", ["O'Neill sagt"]),
    ('---\ntitle: "Er sagte: \\"Nein\\" \\\\ Punkt"\n---\n', ['Er sagte: "Nein" \\ Punkt']),
    ('---\ntitle: "Gr\\u00fc\\u00dfe \\U0001F600"  # Kommentar\n---\n', ["Grüße \U0001f600"]),
    ('---\ntitle: "Grüße: \\u00fcber"\n---\n', ["Grüße: über"]),
    ("---\ndescription: Eine URL http://x.de/a:b bleibt\n---\n",
     ["Eine URL http://x.de/a:b bleibt"]),
    ("---\ntitle: Zürich – „Anführung“ ✓\ndescription: Zwei\n---\n",
     ["Zürich – „Anführung“ ✓", "Zwei"]),
    # Terminated with `...`, keys quoted, CRLF line ends.
    ("---\ntitle: Ende mit Punkten\n...\n", ["Ende mit Punkten"]),
    ("---\n\"title\": Zitierter Schlüssel\n---\n", ["Zitierter Schlüssel"]),
    ("---\r\ntitle: Windows\r\ndescription: 'Zeilen'\r\n---\r\n", ["Windows", "Zeilen"]),
    # Comments, nested mappings and sequences keep their `title` verbatim.
    ("---\n# title: auskommentiert\nseo:\n  title: Verschachtelt\n  description: Auch\n"
     "items:\n  - title: In einer Liste\ntitle: Oben\n---\n", ["Oben"]),
    # Not text, or not one line: verbatim.
    ("---\ntitle: |\n  Ein Block\n  über Zeilen\ndescription: >\n  Gefaltet\n---\n", []),
    ("---\ntitle: Ein langer\n  Titel über zwei Zeilen\n---\n", []),
    ('---\ntitle: "Beginnt hier\n  und endet hier"\ndescription: Danach\n---\n', ["Danach"]),
    ('---\ndescription: "zwei\ntitle: kein Schlüssel"\n---\n', []),
    ("---\ntitle: [Liste, nicht Text]\ndescription: {a: b}\n---\n", []),
    ("---\nmeta: {a: '}',\ntitle: in der Klammer}\nliste: [1,\n  [2],\ndescription: x]\n"
     "title: Danach\n---\n", ["Danach"]),
    ("---\ntitle: &anker Mit Anker\ndescription: !tag Mit Tag\n---\n", []),
    ("---\ntitle: 2024\ndescription: yes\n---\n", []),
    ("---\ntitle:\ndescription: ''\n---\n", []),
    ("---\ntitle: Falsch: kein YAML\n---\n", []),
    ('---\ntitle: "Unbekannt \\q"\ndescription: "zu" viel\n---\n', []),
    ("---\ntitle: ' Leerzeichen '\n---\n", []),
    ("---\n title: Eingerückt\n---\n", []),
]


@pytest.mark.parametrize(("front", "expected"), READ, ids=[f for f, _ in READ])
def test_front_matter_values_are_read_as_yaml_reads_them(front: str,
                                                         expected: list[str]) -> None:
    assert _msgids(front) == expected


def test_the_keys_are_a_setting() -> None:
    front = "---\ntitle: Titel\nsummary: Zusammenfassung\n---\n"
    assert _msgids(front, ("summary",)) == ["Zusammenfassung"]
    assert _msgids(front, ()) == []
    assert [s.line for s in _front(_doc(front, ("title", "summary")))] == [2, 3]


@pytest.mark.parametrize(("source", "edition"), [
    ("\ufeff---\ntitle: Mit BOM\n---\n", '\ufeff---\ntitle: "With: BOM"\n---\n'),
    ("---\rtitle: 'Mit BOM'\r---\r", "---\rtitle: 'With: BOM'\r---\r"),  # old Mac line ends
])
def test_a_byte_order_mark_and_bare_carriage_returns_keep_the_values(source: str,
                                                                     edition: str) -> None:
    doc = parse(source + BODY, Path("a.md"))
    assert next(s.text for _, s in doc.segments()) == "Mit BOM"
    assert doc.render(lambda t: t) == source + BODY
    assert doc.render({"Mit BOM": "With: BOM"}.get).startswith(edition)


WRITE = [
    # (scalar in the source, translation, how it is written)
    ("Krieg", "War in Ukraine", "War in Ukraine"),
    ("Krieg", "War: what now", '"War: what now"'),
    ("Krieg", "[Update] War", '"[Update] War"'),
    ("Krieg", "- a list?", '"- a list?"'),
    ("Krieg", "yes", '"yes"'),
    ("Krieg", "2024", '"2024"'),
    ("Krieg", "War # not a comment", '"War # not a comment"'),
    ("Krieg", "Ends with a colon:", '"Ends with a colon:"'),
    ("Krieg", 'Say "no"', 'Say "no"'),
    ("'Krieg'", "O'Neill's war", "'O''Neill''s war'"),
    ("'Krieg'", "Two\nlines", '"Two\\nlines"'),
    ('"Krieg"', 'Say "no" \\ stop', '"Say \\"no\\" \\\\ stop"'),
    ('"Krieg"', "Tab\there", '"Tab\there"'),
    ('"Krieg"', "Bell\a and \u2028", '"Bell\\a and \\L"'),
]


@pytest.mark.parametrize(("scalar", "translation", "written"), WRITE)
def test_translations_are_written_in_the_scalars_style(scalar: str, translation: str,
                                                       written: str) -> None:
    doc = _doc(f"---\ntitle: {scalar}\ndescription: {scalar}\n---\n", ("title",))
    edition = doc.render(lambda t: translation if t == "Krieg" else None)
    assert edition.startswith(f"---\ntitle: {written}\ndescription: {scalar}\n---\n")


@settings(max_examples=300, deadline=None)
@given(translation=st.one_of(
    st.text(min_size=1, max_size=40),
    # What YAML gives meaning to, often: indicators, blanks, escapes, spellings of non-strings.
    st.lists(st.sampled_from([*":#-?[]{},&*!|>'\"%@` \t\n\\.~=<", "yes", "No", "0x1", "1e3",
                              ".inf", "2024-01-02", "null", "Krieg", "\x85", "\u2028"]),
             min_size=1, max_size=12).map("".join)),
    style=st.sampled_from([
    plain, single_quoted, double_quoted]))
def test_what_is_written_reads_back_as_the_translation(translation: str, style: object) -> None:
    """PyYAML reads exactly the translation back, whatever it holds, in every style."""
    yaml = pytest.importorskip("yaml")
    written = style(translation)  # type: ignore[operator]
    loaded = yaml.safe_load(f"title: {written}\nrest: [a, b]\n")
    assert loaded == {"title": translation, "rest": ["a", "b"]}
    # And the reader reads what it wrote, or PyYAML wrote, as PyYAML does (or leaves it).
    for front in (f"title: {written}\n",
                  yaml.safe_dump({"title": translation}, allow_unicode=True, width=10**6)):
        found = _front(_doc(f"---\n{front}---\n"))
        assert [seg.text for seg in found] in ([], [yaml.safe_load(front)["title"]])


@pytest.mark.parametrize("front", [f for f, e in READ if e], ids=[f for f, e in READ if e])
def test_the_msgids_are_what_yaml_reads(front: str) -> None:
    yaml = pytest.importorskip("yaml")
    lines = front.splitlines()
    loaded = yaml.safe_load("\n".join(lines[1:-1]))
    for seg in _front(_doc(front)):
        key = lines[seg.line - 1].partition(":")[0].strip("'\"")
        assert loaded[key] == seg.text


def test_a_translated_front_matter_stays_yaml_with_the_rest_unchanged() -> None:
    front = ("---\n# Kommentar\ntitle: Krieg\ndescription: 'Lage'\nseo:\n  title: Bleibt\n"
             "tags: [a, b]\n---\n")
    yaml = pytest.importorskip("yaml")
    evil = {"Krieg": 'War: "what" now? # no', "Lage": "It's: [bad] {x}\n - y"}
    edition = _doc(front).render(evil.get)
    loaded = yaml.safe_load(edition.split("---\n")[1])
    assert loaded == {"title": evil["Krieg"], "description": evil["Lage"],
                      "seo": {"title": "Bleibt"}, "tags": ["a", "b"]}


# --- the setting, through the commands --------------------------------------------------

ARTICLE = ("---\ntitle: Der Krieg und der Frieden\ndescription: Eine Einordnung der Lage\n"
           "autor: Die Redaktion\n---\n\n# Kasachstan und die Ukraine\n\n"
           "Die Regierung hat am Dienstag reagiert und den Schritt begrüßt.\n")


def _project(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(settings, encoding="utf-8")
    return tmp_path


def _pot_msgids(project: Path) -> str:
    result = CliRunner().invoke(app, ["extract", "--project", str(project)])
    assert result.exit_code == 0, result.output
    return (project / "locales" / "templates" / "a.pot").read_text(encoding="utf-8")


def test_extract_uses_the_front_matter_keys_setting(tmp_path: Path) -> None:
    project = _project(tmp_path, "[tool.l10n]\n")
    pot = _pot_msgids(project)
    assert 'msgid "Der Krieg und der Frieden"' in pot
    assert "#. front matter\n#: corpus/a.md:2\n" in pot
    assert 'msgid "Eine Einordnung der Lage"' in pot and "Redaktion" not in pot
    # Changing the setting changes the template, though the article is as it was.
    (project / "pyproject.toml").write_text('[tool.l10n]\nfront-matter-keys = ["autor"]\n',
                                            encoding="utf-8")
    pot = _pot_msgids(project)
    assert 'msgid "Die Redaktion"' in pot and "Frieden" not in pot


# --- editions ---------------------------------------------------------------------------

def test_the_html_edition_takes_its_title_from_the_translated_front_matter() -> None:
    from l10n.render.html import edition_html

    doc = parse('---\ntitle: "Krieg"\n---\n\nEin Satz im Text.\n', Path("a.md"))
    page = edition_html(doc, {"Krieg": 'War: "now"', "Ein Satz im Text.": "A sentence."}.get,
                        lang="en")
    assert "<title>War: &#34;now&#34;</title>" in page
    untranslated = edition_html(doc, {}.get, lang="en")
    assert "<title>Krieg</title>" in untranslated


def test_the_notice_goes_after_a_translated_front_matter() -> None:
    from l10n.render.text import edition_text

    source = "\ufeff---\ntitle: Krieg\n---\n\nEin Satz im Text.\n"
    doc = parse(source, Path("a.md"))
    edition = edition_text(doc, {"Krieg": "War: now"}.get, notice="Machine-translated.")
    assert edition == ('\ufeff---\ntitle: "War: now"\n---\n> **Machine-translated.**\n\n'
                       "\nEin Satz im Text.\n")


def test_check_sees_templates_made_with_other_keys_as_out_of_date(tmp_path: Path) -> None:
    project = _project(tmp_path, "[tool.l10n]\n")
    _pot_msgids(project)
    runner = CliRunner()
    args = ["check", "--project", str(project), "--min-reviewed", "0"]
    assert runner.invoke(app, args).exit_code == 0  # remembered in .l10n/ from here on
    (project / "pyproject.toml").write_text('[tool.l10n]\nfront-matter-keys = ["autor"]\n',
                                            encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "a.pot" in result.output
