"""HTML articles: golden files, lossless identity builds, hypothesis round trips, the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from goldens import GOLDEN, cases, check_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.cli import app
from l10n.commands.build import DEFAULT_NOTICE
from l10n.document import Document, Segment
from l10n.readers import parse, read_document
from l10n.readers.html_elements import VOID
from l10n.readers.html_tokens import END, START, TEXT, tokenize
from l10n.render.html import edition_html
from l10n.render.html_article import notice_position, with_lang
from l10n.render.html_safety import safe_attribute, safe_fragment
from l10n.render.review import ReviewRow, review_html
from l10n.render.text import edition_text

CASES = cases(".html", ".htm")
NOTICE = "Machine-translated, not yet reviewed."


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_page_golden(case: Path) -> None:
    """Nothing translated: every sentence marked as German, the notice at its anchor."""
    page = edition_html(read_document(case), lambda t: None, lang="en", notice=NOTICE)
    check_golden(case.with_name(case.name + ".expect.page"), page)


def _expected_identity(source: str, lang: str) -> str:
    """The source with its root element's `lang` set: what an identity build must give."""
    root = next((t for t in tokenize(source.removeprefix("\ufeff"))
                 if t.kind == START and t.tag == "html"), None)
    if root is None:
        return source
    start, end = root.start + source.startswith("\ufeff"), root.end + source.startswith("\ufeff")
    return source[:start] + with_lang(source[start:end], lang) + source[end:]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_identity_build_is_the_source_but_lang(case: Path) -> None:
    doc = read_document(case)
    source = case.read_bytes().decode("utf-8")
    assert doc.source == source
    assert doc.render(lambda t: t) == source
    assert doc.render(lambda t: None) == source
    page = edition_html(doc, lambda t: t, lang="en", notice=None)
    assert page == _expected_identity(source, "en")


@pytest.mark.parametrize(("tag", "expected"), [
    ("<html>", '<html lang="en">'),
    ("<HTML LANG=de>", "<HTML LANG=\"en\">"),
    ("<html lang='de-DE' class=x>", "<html lang='en' class=x>"),
    ('<html xml:lang="de">', '<html lang="en" xml:lang="en">'),
    ('<html data-lang="de"\n  dir=ltr>', '<html lang="en" data-lang="de"\n  dir=ltr>'),
])
def test_root_lang(tag: str, expected: str) -> None:
    assert with_lang(tag, "en") == expected


@pytest.mark.parametrize(("translation", "msgid", "expected"), [
    ("Tom & Jerry", "Tom und Jerry", "Tom &amp; Jerry"),
    ("a < b and b > a", "a < b", "a &lt; b and b > a"),
    ("Smith &amp; Sons &nbsp; &#8211; &#x2192; &copy", "x", "Smith &amp; Sons &nbsp; &#8211; "
     "&#x2192; &copy"),
    ("&bogus; stays text", "x", "&amp;bogus; stays text"),
    ("<script>alert(1)</script>", "Ein Satz.", "&lt;script>alert(1)&lt;/script>"),
    ('<img src=x onerror="alert(1)">', "Ein Satz.", '&lt;img src=x onerror="alert(1)">'),
    ('A <a href="/mehr">link</a>.', 'Ein <a href="/mehr">Link</a>.',
     'A <a href="/mehr">link</a>.'),
    ('A <a href="javascript:alert(1)">link</a>.', 'Ein <a href="/mehr">Link</a>.',
     'A &lt;a href="javascript:alert(1)">link</a>.'),
    ("An <em>added</em> word<br/>and <b class=x>more</b>", "x",
     "An <em>added</em> word<br/>and &lt;b class=x>more</b>"),
    ("Kept <!-- note --> and <!-- new -->", "Mit <!-- note --> drin",
     "Kept <!-- note --> and &lt;!-- new -->"),
    ("</p></div>end", "x", "&lt;/p>&lt;/div>end"),
    # The tooltip of a link inside a sentence is translated with it; nothing else may change.
    ("A <a title='Read more' href=\"/mehr\">link</a>.",
     'Ein <a href="/mehr" title="Weiterlesen">Link</a>.',
     "A <a title='Read more' href=\"/mehr\">link</a>."),
    ('A <a href="/mehr" title="x" onclick="alert(1)">link</a>.',
     'Ein <a href="/mehr" title="Weiterlesen">Link</a>.',
     'A &lt;a href="/mehr" title="x" onclick="alert(1)">link</a>.'),
    ('An <img src="i.png" alt="icon" title=x onerror=alert(1)>.',
     'Ein <img src="i.png" alt="Symbol">.',
     'An &lt;img src="i.png" alt="icon" title=x onerror=alert(1)>.'),
])
def test_translations_bring_only_the_msgids_markup(translation: str, msgid: str,
                                                   expected: str) -> None:
    assert safe_fragment(translation, msgid) == expected


@pytest.mark.parametrize(("translation", "quote", "expected"), [
    ('The "map" & more', '"', "The &quot;map&quot; &amp; more"),
    ("Tom's <map>", "'", "Tom&#39;s &lt;map>"),
    ("a map", "", "a&#32;map"),
    ("x=1>", "", "x&#61;1&gt;".replace("&gt;", "&#62;")),
])
def test_attribute_translations_stay_in_their_attribute(translation: str, quote: str,
                                                        expected: str) -> None:
    assert safe_attribute(translation, quote) == expected


PAGE = """<!DOCTYPE html>
<html>
<head><title>Der Titel</title></head>
<body>
<main>
<h1>Die Überschrift</h1>
<p>Erster Satz. Zweiter Satz.</p>
<img src="a.png" alt="Ein Bild">
</main>
</body>
</html>
"""


def _page_doc(tmp_path: Path, source: str = PAGE, name: str = "a.html") -> Document:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return read_document(path)


def test_untranslated_sentences_are_marked_but_not_in_title_or_attributes(
        tmp_path: Path) -> None:
    doc = _page_doc(tmp_path)
    done = {"Erster Satz.": "First sentence."}
    page = edition_html(doc, done.get, lang="en", notice=None)
    assert "<title>Der Titel</title>" in page
    assert 'alt="Ein Bild"' in page
    assert '<p>First sentence. <span lang="de">Zweiter Satz.</span></p>' in page
    assert '<h1><span lang="de">Die Überschrift</span></h1>' in page


def test_translated_attributes_and_title(tmp_path: Path) -> None:
    doc = _page_doc(tmp_path)
    done = {"Der Titel": "The <b>title</b> & more", "Ein Bild": 'A "picture"'}
    page = edition_html(doc, done.get, lang="en", notice=None)
    assert "<title>The &lt;b>title&lt;/b> &amp; more</title>" in page
    assert 'alt="A &quot;picture&quot;"' in page


def test_notice_goes_after_body_by_default(tmp_path: Path) -> None:
    page = edition_html(_page_doc(tmp_path), lambda t: None, lang="en", notice=NOTICE)
    assert page.index(NOTICE) > page.index("<body>") and page.index(NOTICE) < page.index("<main>")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")


def test_house_notice_template_chooses_its_anchor(tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "notice.html.j2").write_text(
        '{% set anchor = "main" %}<p class="house-notice">{{ notice }}</p>\n', encoding="utf-8")
    page = edition_html(_page_doc(tmp_path), lambda t: None, lang="en", notice=NOTICE,
                        templates=house)
    assert f'<main>\n<p class="house-notice">{NOTICE}</p>\n<h1>' in page
    # A house template that extends the shipped one keeps its anchor and may change it.
    (house / "notice.html.j2").write_text(
        '{% extends "l10n/notice.html.j2" %}{% set anchor = "h1" %}', encoding="utf-8")
    extended = edition_html(_page_doc(tmp_path), lambda t: None, lang="en", notice=NOTICE,
                            templates=house)
    assert extended.index("<h1>") < extended.index(NOTICE) < extended.index("Die Überschrift")


def test_notice_without_its_anchor_falls_back(tmp_path: Path) -> None:
    assert notice_position("<html><head></head><p>x</p></html>", "main") == (19, True)
    assert notice_position("<html><p>x</p></html>", "main") == (6, True)
    assert notice_position("\ufeff<!doctype html>\n<p>x</p>", "body") == (16, True)
    assert notice_position("<p>x</p>", "body") == (0, False)


def test_htm_source_edition_keeps_its_suffix_and_text_renderers_do_not_crash(
        tmp_path: Path) -> None:
    doc = _page_doc(tmp_path, name="b.htm")
    assert edition_text(doc, lambda t: None, notice=None) == PAGE
    rows = [ReviewRow(seg.line, block.kind, seg.text, None, "missing", None, None)
            for block, seg in doc.segments()]
    sheet = review_html(title="Der Titel", article="corpus/b.htm", rows=rows, source_lang="de",
                        lang="en", edition_href="b.html", catalog="locales/en/b.po")
    assert "alt attribute" in sheet


# --- generated documents ----------------------------------------------------------------

_WORDS = ["Kasachstan", "Präsident", "am", "10.", "Februar", "„Frieden“", "z. B.", "und",
          "3,5", "Prozent", "ß", "&amp;", "&nbsp;", "&#8211;", "Müller&nbsp;AG", "a < b", "&",
          "(1. März)", "Krieg"]
_INLINE = ["b", "i", "em", "strong", "span", "a", "code", "sup", "B", "EM"]
_eol = st.sampled_from(["\n", "\r\n"])


@st.composite
def _inline(draw: st.DrawFn, depth: int = 0) -> str:
    """Text with inline elements that may hold several sentences."""
    items: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        choice = draw(st.integers(0, 9))
        if choice < 5 or depth > 1:
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
            items.append(" ".join(words) + draw(st.sampled_from(["", ".", ". ", "! ", "?"])))
        elif choice < 8:
            tag = draw(st.sampled_from(_INLINE))
            attrs = draw(st.sampled_from(["", ' href="/x?a=1&amp;b=2"', " title='Ein Titel. Zwei.'",
                                          " class=x"]))
            items.append(f"<{tag}{attrs}>{draw(_inline(depth + 1))}</{tag}>")
        elif choice == 8:
            items.append(draw(st.sampled_from(["<br>", "<br/>", "<BR />", "<wbr>",
                                               '<img src="x.png" alt="Bild">'])))
        else:
            items.append(draw(st.sampled_from(["<!-- Notiz. -->", "<!--x-->"])))
    separators = st.sampled_from([" ", "", "\n", "  \n  ", "\r\n"])
    return "".join(item + draw(separators) for item in items)


@st.composite
def _html_docs(draw: st.DrawFn) -> str:
    eol = draw(_eol)
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["p", "P", "open p", "h2", "list", "table", "quote", "figure",
                                     "dl", "pre", "script", "div"]))
        text = draw(_inline()).replace("\r\n", eol).replace("\n", eol)
        if kind == "open p":
            blocks.append(f"<p>{text}")
        elif kind == "list":
            closing = draw(st.sampled_from(["</li>", ""]))
            blocks.append(f"<ul>{eol}<li>{text}{closing}{eol}<li>{draw(_inline())}{closing}</ul>")
        elif kind == "table":
            blocks.append(f"<table><tr><th>{text}<td>{draw(_inline())}</table>")
        elif kind == "quote":
            blocks.append(f"<blockquote>{text}<p>{draw(_inline())}</p></blockquote>")
        elif kind == "figure":
            blocks.append(f'<figure><img src="f.jpg" alt="Ein Foto"><figcaption>{text}'
                          "</figcaption></figure>")
        elif kind == "dl":
            blocks.append(f"<dl><dt>{text}<dd>{draw(_inline())}</dl>")
        elif kind in ("pre", "script"):
            blocks.append(f"<{kind}>if (a < b) {{ x(); }} Kein Satz.</{kind}>")
        else:
            blocks.append(f"<{kind}>{text}</{kind.split()[0]}>")
    body = eol.join(blocks)
    if draw(st.booleans()):
        lang = draw(st.sampled_from(["", ' lang="de"', " LANG=de"]))
        head = f"<head><title>{draw(_inline(depth=2))}</title><style>p {{ x: 1 }}</style></head>"
        body = (f"<!DOCTYPE html>{eol}<html{lang}>{eol}{head}{eol}<body>{eol}{body}{eol}"
                "</body></html>")
    return body + draw(st.sampled_from(["", eol]))


def _balanced(msgid: str) -> bool:
    stack: list[str] = []
    for token in tokenize(msgid):
        if token.kind == START and token.tag not in VOID and not token.self_closing:
            stack.append(token.tag)
        elif token.kind == END and (not stack or stack.pop() != token.tag):
            return False
    return not stack


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_html_docs())
def test_generated_html_round_trips(source: str) -> None:
    doc = parse(source, Path("gen.html"))
    assert doc.source == source
    assert doc.render(lambda t: t) == source
    assert edition_html(doc, lambda t: t, lang="en") == _expected_identity(source, "en")
    inside_tags = {i for t in tokenize(source) if t.kind != TEXT for i in range(t.start + 1, t.end)}
    offset = 0
    for block in doc.blocks:
        for part in block.parts:
            size = len(part) if isinstance(part, str) else len(part.raw)
            if isinstance(part, Segment):
                assert part.text and part.text == part.text.strip()
                if block.kind in ("alt attribute", "title attribute"):
                    assert source[offset - 1] in "\"'=" and offset in inside_tags
                else:
                    assert offset not in inside_tags and offset + size not in inside_tags
                    assert _balanced(part.text), part.text
            offset += size
    # Every sentence translated: the page still parses into the same blocks' markup.
    translated = edition_html(doc, lambda t: f"EN {t}", lang="en")
    assert translated.count("EN ") >= sum(1 for _ in doc.segments())


# --- the commands on a project with HTML articles ---------------------------------------------

runner = CliRunner()


def l10n(project: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--project", str(project)])
    return result.exit_code, result.output


@pytest.fixture
def html_project(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    shutil.copy(GOLDEN / "html-cms-article.html", tmp_path / "corpus" / "artikel.html")
    shutil.copy(GOLDEN / "html-fragment.htm", tmp_path / "corpus" / "kurz.htm")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    return tmp_path


def _fill(po_path: Path, translate: Callable[[str], str]) -> None:
    po = load(po_path)
    for entry in po:
        entry.msgstr = translate(entry.msgid)
    po_path.write_text(dumps(po), encoding="utf-8")


def test_cli_identity_build_of_html_articles(html_project: Path) -> None:
    code, output = l10n(html_project, "extract")
    assert code == 0, output
    po_path = html_project / "locales" / "en" / "artikel.po"
    po = load(po_path)
    by_id = {e.msgid: e for e in po}
    assert by_id["Kasachstan distanziert sich von Russlands Krieg | Der Bote"].comment == "title"
    assert any("<em>Wir werden keine Soldaten schicken. Das ist <strong>endgültig</strong>."
               "</em>" in e.msgid for e in po)
    assert not any("Kein Artikel" in e.msgid or "Redaktion" in e.msgid for e in po)
    for name in ("artikel", "kurz"):
        _fill(html_project / "locales" / "en" / f"{name}.po", lambda msgid: msgid)
    code, output = l10n(html_project, "build", "--edition", "html", "--edition", "source")
    assert code == 0, output
    editions = html_project / "editions" / "en"
    source = (GOLDEN / "html-cms-article.html").read_text(encoding="utf-8")
    assert (editions / "artikel.html").read_text(encoding="utf-8") == \
        source.replace('<html lang="de">', '<html lang="en">')
    fragment = (GOLDEN / "html-fragment.htm").read_bytes()
    assert (editions / "kurz.htm").read_bytes() == fragment  # the source edition: same suffix
    assert (editions / "kurz.html").read_bytes() == fragment
    assert (editions / "artikel.review.html").exists() and (editions / "index.html").exists()
    assert "Kasachstan distanziert sich" in (editions / "index.html").read_text(encoding="utf-8")


def test_cli_drafts_notice_check_and_stats_on_html_articles(html_project: Path) -> None:
    house = html_project / "house"
    house.mkdir()
    (house / "notice.html.j2").write_text(
        '{% set anchor = "article" %}<p class="house">{{ notice }}</p>', encoding="utf-8")
    with (html_project / "pyproject.toml").open("a", encoding="utf-8") as settings_file:
        settings_file.write('\n[tool.l10n.build]\ntemplates = "house"\n')
    assert l10n(html_project, "extract")[0] == 0
    code, output = l10n(html_project, "translate", "--engine", "pseudo")
    assert code == 0, output
    code, output = l10n(html_project, "build", "--include-fuzzy", "--edition", "all")
    assert code == 0, output
    page = (html_project / "editions" / "en" / "artikel.html").read_text(encoding="utf-8")
    assert f'<article>\n<p class="house">{DEFAULT_NOTICE}</p>\n<h1' in page
    assert page.count(DEFAULT_NOTICE) == 1 and '<html lang="en">' in page
    assert "<strong>" in page and "&lt;" not in page  # pseudo keeps the msgids' markup
    code, output = l10n(html_project, "check", "--format", "json")
    assert code in (0, 1), output
    assert json.loads(output)["schema_version"] == 2
    code, output = l10n(html_project, "stats", "--format", "json")
    assert code == 0, output


_JUNK = [*"<>/!-&;#\"'= \n\rpPbliatdh1x.", "<p>", "</p>", "<b>", "</b>", "<!--", "-->",
         " alt=", "<img", "<html", "Satz. ", "&amp;"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.lists(st.sampled_from(_JUNK), min_size=1, max_size=40).map("".join))
def test_any_text_is_read_losslessly(source: str) -> None:
    """Broken markup of every kind: whatever the parser makes of it, nothing is lost."""
    doc = parse(source, Path("junk.html"))
    assert doc.render(lambda t: t) == source
    assert edition_html(doc, lambda t: t, lang="en") == _expected_identity(source, "en")
    edition_html(doc, lambda t: "<b>&x" + t, lang="en", notice=NOTICE)


def test_index_and_review_sheet_show_a_title_with_entities_and_markup_as_text(
        tmp_path: Path) -> None:
    # The index and review pages escape titles: "&amp;" must not become "&amp;amp;", nor
    # Markdown's "*" show.
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.html").write_text(
        "<html><head><title>Krieg &amp; Frieden in Kasachstan</title></head><body>\n"
        "<p>Der Krieg in der Ukraine geht weiter, und die Lage ist ernst.</p></body></html>\n",
        encoding="utf-8")
    (tmp_path / "corpus" / "b.md").write_text(
        "# Der *Krieg* &amp; der Frieden\n\nDer Krieg in der Ukraine geht weiter.\n",
        encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    assert l10n(tmp_path, "extract")[0] == 0
    en = tmp_path / "locales" / "en"
    _fill(en / "a.po", lambda m: "War &amp; peace" if m.startswith("Krieg") else "The war.")
    _fill(en / "b.po", lambda m: "The *war* &amp; peace" if m.startswith("Der *") else "War.")
    code, output = l10n(tmp_path, "build", "--edition", "html")
    assert code == 0, output
    index = (en.parents[1] / "editions" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<a lang="en" href="a.html">War &amp; peace</a>' in index
    assert '<a lang="en" href="b.html">The war &amp; peace</a>' in index
    sheet = (en.parents[1] / "editions" / "en" / "a.review.html").read_text(encoding="utf-8")
    assert "<title>Review: Krieg &amp; Frieden in Kasachstan (en)</title>" in sheet
