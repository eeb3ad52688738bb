"""Unit tests on the HTML strings of l10n.html: structure, escaping, safe links, review order."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from l10n.document import Block, Document, Segment
from l10n.html import (
    IndexRow,
    ReviewRow,
    edition_html,
    index_html,
    review_html,
    safe_href,
)

# -- building documents by hand (the readers are tested elsewhere) ------------------------------


def text_doc(*blocks: tuple[str, list[str] | str], name: str = "corpus/a.txt") -> Document:
    """A text document: each block is (kind, sentences) or (kind, literal untranslatable text)."""
    out: list[Block] = []
    line = 1
    for kind, content in blocks:
        parts: list[str | Segment] = []
        if isinstance(content, str):
            parts.append(content)
        else:
            for i, sentence in enumerate(content):
                if i:
                    parts.append(" ")
                parts.append(Segment(sentence, sentence, line))
        out.append(Block(kind, line, (*parts, "\n")))
        out.append(Block("blank", line + 1, ("\n",)))
        line += 2
    return Document(Path(name), "text", tuple(out))


_SEG = re.compile(r"⟦(.*?)⟧", re.DOTALL)


def md_doc(template: str, name: str = "corpus/b.md") -> Document:
    """A Markdown document from a template whose segments are marked ⟦like this⟧."""
    blocks: list[Block] = []
    line = 1
    for chunk in re.split(r"(?<=\n)(?=\n)", template):
        parts: list[str | Segment] = []
        pos = 0
        for m in _SEG.finditer(chunk):
            if m.start() > pos:
                parts.append(chunk[pos : m.start()])
            seg_line = line + chunk.count("\n", 0, m.start())
            parts.append(Segment(" ".join(m.group(1).split()), m.group(1), seg_line))
            pos = m.end()
        if pos < len(chunk):
            parts.append(chunk[pos:])
        kind = "blank" if not chunk.strip() else "paragraph"
        blocks.append(Block(kind, line, tuple(parts)))
        line += chunk.count("\n")
    return Document(Path(name), "markdown", tuple(blocks))


def lookup_from(table: dict[str, str]):  # type: ignore[no-untyped-def]
    return table.get


class _Balance(HTMLParser):
    """Fails on a closing tag that does not match the open one: catches broken markup."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-3:]}"
        self.stack.pop()


def assert_well_formed(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert parser.stack == []


def assert_offline(page: str) -> None:
    # No stylesheet, font, script or image of our own may come from elsewhere.
    assert "<link" not in page
    assert "@import" not in page
    assert "url(" not in page
    assert not re.search(r"<script", page, re.IGNORECASE)


SEED = text_doc(
    ("title", ["Kasachstan distanziert sich von Russlands Ukrainekrieg"]),
    ("caption", "Tokajew war am 10. Februar zu Besuch in Moskau. [Kremlin pool/EPA/EFE]"),
    ("paragraph", ["Kasachstan lehnt ein Ersuchen ab.", "Stattdessen wird es Hilfe senden."]),
    ("quote", ["„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat."]),
    ("quote", ["„Wir begrüßen auch die Weigerung.“"]),
    ("heading", ["Reaktionen"]),
    ("list item", "- Erster Punkt"),
    ("list item", "- Zweiter Punkt"),
    ("paragraph", ["Der Präsident rief zu Verhandlungen auf."]),
    ("credit", ["[Bearbeitet von Alice Taylor]"]),
    ("boilerplate", "Subscribe to our newsletters"),
)
EN = {
    "Kasachstan distanziert sich von Russlands Ukrainekrieg":
        "Kazakhstan distances itself from Russia's war in Ukraine",
    "Kasachstan lehnt ein Ersuchen ab.": "Kazakhstan rejects a request.",
    "Stattdessen wird es Hilfe senden.": "Instead, it will send aid.",
    "„Wir begrüßen die Ankündigung“, erklärte der Sicherheitsrat.":
        "“We welcome the announcement,” the Security Council said.",
    "Reaktionen": "Reactions",
    "[Bearbeitet von Alice Taylor]": "[Edited by Alice Taylor]",
}


# -- edition: text documents ---------------------------------------------------------------------


def test_text_edition_maps_block_kinds_to_elements() -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en")
    assert_well_formed(page)
    assert_offline(page)
    assert '<html lang="en">' in page
    assert "<title>Kazakhstan distances itself from Russia&#x27;s war in Ukraine</title>" in page
    assert "<h1>Kazakhstan distances itself from Russia&#x27;s war in Ukraine</h1>" in page
    assert "<p>Kazakhstan rejects a request. Instead, it will send aid.</p>" in page
    assert "<h2>Reactions</h2>" in page
    # The caption's untranslated text stays; its trailing picture credit is set apart.
    assert re.search(r"<figure><figcaption>Tokajew war am 10\. Februar zu Besuch in Moskau\. "
                     r'<span class="credit">\[Kremlin pool/EPA/EFE\]</span></figcaption></figure>',
                     page)
    # Consecutive quote paragraphs form one quotation; the untranslated one keeps its source.
    assert re.search(r"<blockquote><p>“We welcome the announcement,” the Security Council said\."
                     r"</p><p>„Wir begrüßen auch die Weigerung\.“</p></blockquote>", page)
    assert "<ul><li>Erster Punkt</li><li>Zweiter Punkt</li></ul>" in page
    assert '<p class="credit">[Edited by Alice Taylor]</p>' in page
    assert "Subscribe" not in page  # boilerplate is not part of the edition
    order = [page.index(s) for s in ("<h1>", "<figure>", "rejects", "<blockquote>", "Reactions",
                                      "<ul>", "Verhandlungen", "Alice Taylor")]
    assert order == sorted(order)


def test_text_edition_escapes_translations() -> None:
    doc = text_doc(("title", ["Titel"]), ("paragraph", ["Satz eins.", "Satz zwei."]))
    evil = {
        "Titel": "Tom & Jerry <b>bold</b>",
        "Satz eins.": "<script>document.title='pwned'</script>",
        "Satz zwei.": '"><img src=x onerror=alert(1)>',
    }
    page = edition_html(doc, lookup_from(evil), lang="en")
    assert_well_formed(page)
    assert "<title>Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;</title>" in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower()
    assert "<img" not in page
    assert "<b>" not in page


def test_text_edition_without_title_falls_back_to_heading_then_file_name() -> None:
    doc = text_doc(("heading", ["Zwischentitel"]), ("paragraph", ["Satz."]))
    assert "<title>Zwischentitel</title>" in edition_html(doc, lookup_from({}), lang="de")
    doc = text_doc(("paragraph", ["Satz."]), name="corpus/ohne-titel.txt")
    assert "<title>ohne-titel</title>" in edition_html(doc, lookup_from({}), lang="de")


def test_identity_lookup_keeps_source_text() -> None:
    page = edition_html(SEED, lambda s: s, lang="de")
    assert "<h1>Kasachstan distanziert sich von Russlands Ukrainekrieg</h1>" in page
    assert "<p>Kasachstan lehnt ein Ersuchen ab. Stattdessen wird es Hilfe senden.</p>" in page


@pytest.mark.parametrize("lang", ["en", "fr", "pt-BR"])
def test_lang_attribute(lang: str) -> None:
    page = edition_html(SEED, lookup_from(EN), lang=lang)
    assert f'<html lang="{lang}">' in page


def test_rtl_language_gets_direction() -> None:
    assert '<html lang="ar" dir="rtl">' in edition_html(SEED, lookup_from({}), lang="ar")


def test_notice_present_and_escaped() -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en",
                        notice="Machine-translated <not yet reviewed> & unchecked")
    assert_well_formed(page)
    notice = re.search(r'<div class="notice" role="note"><p>(.*?)</p></div>', page)
    assert notice is not None
    assert notice.group(1) == "Machine-translated &lt;not yet reviewed&gt; &amp; unchecked"
    # The banner comes before the article.
    assert page.index('role="note"') < page.index("<article>")


@pytest.mark.parametrize("notice", [None, ""])
def test_no_notice_when_not_given(notice: str | None) -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en", notice=notice)
    assert 'role="note"' not in page
    assert 'class="notice"' not in page


def test_pages_forbid_scripts_by_policy() -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert csp is not None
    assert "script-src 'none'" in csp.group(1)


# -- safe links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c#d", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("mailto:redaktion@example.org", True),
        ("other-article.html", True),
        ("../en/a.html#row-3", True),
        ("#section", True),
        ("/absolute/path", True),
        ("//example.org/x", True),
        ("./a:b", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("vbscript:msgbox", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("data:image/png;base64,AAAA", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
    ],
)
def test_safe_href(url: str, safe: bool) -> None:
    assert (safe_href(url) == url) is safe
    if not safe:
        assert safe_href(url) is None


# -- edition: Markdown documents -----------------------------------------------------------------

MD = md_doc(
    "---\n"
    "title: ⟦Titel aus dem Vorspann⟧\n"
    "---\n"
    "\n"
    "# ⟦Kasachstan *distanziert* sich⟧\n"
    "\n"
    "⟦Ein **wichtiger** Satz mit [Link](https://example.org/artikel).⟧ ⟦Und `Code`.⟧\n"
    "\n"
    "## ⟦Reaktionen⟧\n"
    "\n"
    "- ⟦Erster Punkt⟧\n"
    "- ⟦Zweiter Punkt⟧\n"
    "\n"
    "> ⟦„Wir begrüßen die Ankündigung.“⟧\n"
    "\n"
    "⟦Schreiben Sie an [die Redaktion](mailto:redaktion@example.org).⟧\n"
)
MD_EN = {
    "Kasachstan *distanziert* sich": "Kazakhstan *distances* itself",
    "Ein **wichtiger** Satz mit [Link](https://example.org/artikel).":
        "An **important** sentence with a [link](https://example.org/article).",
    "Und `Code`.": "And `code`.",
    "Reaktionen": "Reactions",
    "Erster Punkt": "First point",
    "Zweiter Punkt": "Second point",
    "„Wir begrüßen die Ankündigung.“": "“We welcome the announcement.”",
    "Schreiben Sie an [die Redaktion](mailto:redaktion@example.org).":
        "Write to [the editors](mailto:redaktion@example.org).",
}


def test_markdown_edition_renders_commonmark() -> None:
    page = edition_html(MD, lookup_from(MD_EN), lang="en")
    assert_well_formed(page)
    assert_offline(page)
    assert '<html lang="en">' in page
    assert "<title>Kazakhstan distances itself</title>" in page  # plain text of the first heading
    assert "<h1>Kazakhstan <em>distances</em> itself</h1>" in page
    assert ("<p>An <strong>important</strong> sentence with a "
            '<a href="https://example.org/article">link</a>. And <code>code</code>.</p>') in page
    assert "<h2>Reactions</h2>" in page
    assert re.search(r"<ul>\s*<li>First point</li>\s*<li>Second point</li>\s*</ul>", page)
    assert re.search(r"<blockquote>\s*<p>“We welcome the announcement.”</p>\s*</blockquote>", page)
    assert '<a href="mailto:redaktion@example.org">the editors</a>' in page
    # Front matter is metadata, not text.
    assert "Vorspann" not in page
    assert "---" not in page


def test_markdown_title_from_front_matter_without_heading() -> None:
    doc = md_doc('---\ntitle: "⟦Nur im Vorspann⟧"\n---\n\n⟦Satz.⟧\n')
    page = edition_html(doc, lookup_from({"Nur im Vorspann": "Only in front matter"}), lang="en")
    assert "<title>Only in front matter</title>" in page
    assert "<h1>" not in page


def test_markdown_edition_escapes_raw_html_in_translations() -> None:
    doc = md_doc("# ⟦Titel⟧\n\n⟦Satz eins.⟧\n\n⟦Satz zwei.⟧\n")
    evil = {
        "Titel": "Tom & Jerry",
        "Satz eins.": "<script>document.title='pwned'</script>",
        "Satz zwei.": 'Inline <img src=x onerror="alert(1)"> and <b>bold</b>',
    }
    page = edition_html(doc, lookup_from(evil), lang="en")
    assert_well_formed(page)
    assert "<title>Tom &amp; Jerry</title>" in page
    assert "<h1>Tom &amp; Jerry</h1>" in page
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in page
    assert ("Inline &lt;img src=x onerror=&quot;alert(1)&quot;&gt; and "
            "&lt;b&gt;bold&lt;/b&gt;") in page
    assert "<script" not in page.lower()
    assert "<img" not in page


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "javascript&colon;alert(1)",
     "vbscript:x", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd"],
)
def test_markdown_refuses_unsafe_link_targets(target: str) -> None:
    doc = md_doc("⟦Satz.⟧\n")
    page = edition_html(doc, lookup_from({"Satz.": f"[click]({target}) <{target}>"}), lang="en")
    assert "<a " not in page
    assert "click" in page  # the text stays readable


def test_markdown_refuses_data_images_but_keeps_relative_ones() -> None:
    doc = md_doc("⟦Satz.⟧\n\n⟦Bild.⟧\n")
    page = edition_html(doc, lookup_from({
        "Satz.": "![pixel](data:image/png;base64,AAAA)",
        "Bild.": "![map](img/map.png) [next](b.html)",
    }), lang="en")
    assert '<img src="data:' not in page
    assert '<img src="img/map.png" alt="map" />' in page
    assert '<a href="b.html">next</a>' in page


def test_markdown_drops_html_comments_but_escapes_other_raw_html() -> None:
    doc = Document(Path("corpus/c.md"), "markdown", (
        Block("paragraph", 1, (Segment("Eins.", "Eins.", 1), "\n")),
        Block("html", 2, ("<!-- Notiz der Redaktion -->\n",)),
        Block("paragraph", 3, (Segment("Zwei.", "Zwei.", 3), "\n")),
        Block("blank", 4, ("\n",)),
        Block("html", 5, ("<div>Kasten</div>\n",)),
    ))
    page = edition_html(doc, lookup_from({"Eins.": "One.", "Zwei.": "Two."}), lang="en")
    assert "Notiz" not in page
    assert "<p>One.</p>" in page and "<p>Two.</p>" in page
    assert "&lt;div&gt;Kasten&lt;/div&gt;" in page


def test_markdown_edition_with_notice() -> None:
    page = edition_html(MD, lookup_from(MD_EN), lang="en", notice="Machine-translated.")
    assert '<div class="notice" role="note"><p>Machine-translated.</p></div>' in page
    assert page.index('role="note"') < page.index("<h1>")


# -- review sheet --------------------------------------------------------------------------------

ROWS = [
    ReviewRow(1, "title", "Kasachstan distanziert sich", "Kazakhstan distances itself",
              "reviewed", None, None),
    ReviewRow(3, "paragraph", "Kasachstan lehnt ab.", "Kazakhstan refuses.", "draft", 0.91,
              "machine: argos de→en 1.9"),
    ReviewRow(3, "paragraph", "Stattdessen Hilfe.", "Help, instead <b>now</b> & later.",
              "draft", 0.12, "machine: argos de→en 1.9"),
    ReviewRow(5, "quote", "„Wir begrüßen das.“", "“We welcome that.”", "fuzzy", None,
              "memory"),
    ReviewRow(7, "paragraph", "Ohne Übersetzung.", None, "missing", None, None),
    ReviewRow(9, "paragraph", "Kaum sicher.", "Barely sure.", "draft", 0.47, None),
    ReviewRow(11, "credit", "Ohne Wert.", "No score.", "draft", None, "machine"),
]


def _review(rows: list[ReviewRow] = ROWS, **kw: object) -> str:
    args: dict[str, object] = {
        "title": "Kazakhstan distances itself", "article": "corpus/kasachstan.txt",
        "rows": rows, "source_lang": "de", "lang": "en", "edition_href": "kasachstan.html",
    }
    args.update(kw)
    return review_html(**args)  # type: ignore[arg-type]


def test_review_rows_in_article_order_with_locations_and_langs() -> None:
    page = _review()
    assert_well_formed(page)
    assert_offline(page)
    body = page[page.index("<tbody>"):]
    rows = re.findall(r'<tr id="row-(\d+)" class="st-(\w+)"', body)
    assert rows == [(str(i), r.status) for i, r in enumerate(ROWS, start=1)]
    cells = re.findall(r'<td class="where"><a href="#row-\d+">(.*?)</a>', body)
    assert [re.sub(r"<[^>]+>", "", c) for c in cells] == [
        f"corpus/kasachstan.txt:{r.line}" for r in ROWS]
    sources = re.findall(r'<td class="src" lang="de">([^<]*)</td>', body)
    assert sources == [r.source for r in ROWS]
    assert body.count('<td class="tgt" lang="en">') == len(ROWS)


def test_review_escapes_and_shows_status() -> None:
    page = _review()
    assert "Help, instead &lt;b&gt;now&lt;/b&gt; &amp; later." in page
    assert "<b>now</b>" not in page
    assert '<span class="none">no translation</span>' in page
    assert '<span class="badge reviewed">reviewed</span>' in page
    assert '<span class="badge fuzzy">fuzzy</span>' in page
    assert '<span class="badge missing">missing</span>' in page
    assert re.search(r'<span class="badge draft" style="--h:\d+">machine draft 0\.12</span>', page)
    assert "machine draft ?" in page  # a draft without a score says so
    assert '<span class="prov">machine: argos de→en 1.9</span>' in page
    assert '<a class="edition" href="kasachstan.html">' in page


def test_review_summary_counts() -> None:
    page = _review()
    summary = page[page.index('<div class="summary">'):page.index("</div>",
                                                                    page.index('class="summary"'))]
    assert "7 segments · 14% reviewed" in summary
    for text in ("1 reviewed", "4 machine draft", "1 fuzzy", "1 missing"):
        assert text in summary
    assert 'aria-label="1 of 7 reviewed"' in summary


def test_review_weakest_drafts_sorted_by_confidence_and_linked() -> None:
    page = _review()
    weak = page[page.index('id="weakest"'):page.index("</section>", page.index('id="weakest"'))]
    links = re.findall(r'<li><a href="#row-(\d+)">', weak)
    # 0.12 (row 3), 0.47 (row 6), 0.91 (row 2), unknown score (row 7) last.
    assert links == ["3", "6", "2", "7"]
    for n in links:
        assert f'<tr id="row-{n}"' in page
    assert "corpus/kasachstan.txt:3" in weak
    # Draft colours run from red for the weakest towards yellow-green, never reviewed green.
    hues = [int(h) for h in re.findall(r'class="badge draft" style="--h:(\d+)"', weak)]
    assert hues[:3] == sorted(hues[:3])
    assert hues[0] < 20 and hues[2] < 100


def test_review_weakest_limit_and_no_drafts() -> None:
    page = _review(weakest=2)
    weak = page[page.index('id="weakest"'):page.index("</section>", page.index('id="weakest"'))]
    assert re.findall(r'<li><a href="#row-(\d+)">', weak) == ["3", "6"]
    assert "2 more machine drafts" in weak
    page = _review(rows=[r for r in ROWS if r.status != "draft"], edition_href=None)
    assert "No machine drafts left to review." in page
    assert 'class="edition"' not in page


def test_review_of_empty_article() -> None:
    page = _review(rows=[])
    assert_well_formed(page)
    assert "0 segments · nothing to translate" in page


# -- index ---------------------------------------------------------------------------------------

INDEX = [
    IndexRow("kasachstan", "Kazakhstan distances itself", 20, 5, 12, 2, 1,
             "kasachstan.html", "kasachstan.review.html", None),
    IndexRow("fertig", "Done & dusted", 4, 4, 0, 0, 0, "fertig.html", "fertig.review.html", None),
    IndexRow("kaputt", "kaputt", 3, 0, 0, 0, 3, None, "kaputt.review.html",
             "skipped: 3 missing translations (build --min-reviewed)"),
]


def test_index_lists_articles_with_status_and_links() -> None:
    page = index_html(lang="en", rows=INDEX)
    assert_well_formed(page)
    assert_offline(page)
    assert "<title>Translations: en</title>" in page
    rows = re.findall(r'<tr class="st-\w+"><td class="title">.*?</tr>', page)
    assert len(rows) == 3
    first, done, skipped = rows
    assert '<a lang="en" href="kasachstan.html">Kazakhstan distances itself</a>' in first
    assert '<a class="review" href="kasachstan.review.html">Review sheet</a>' in first
    assert ">incomplete<" in first  # a missing translation outweighs drafts
    assert "5/20 reviewed · 12 drafts · 2 fuzzy · 1 missing" in first
    assert "4/4 reviewed</span>" in done  # counts of zero are left out
    assert 'style="width:25.00%"' in first  # reviewed share of the progress bar
    assert 'style="width:60.00%"' in first
    assert "Done &amp; dusted" in done and ">complete<" in done
    assert 'class="edition"' not in skipped
    assert ">skipped<" in skipped
    assert "skipped: 3 missing translations (build --min-reviewed)" in skipped
    assert '<a class="review" href="kaputt.review.html">' in skipped
    assert "3 articles · 1 complete · 27 segments · 33% reviewed" in page


@pytest.mark.parametrize(
    ("counts", "edition", "note", "label"),
    [
        ((4, 4, 0, 0, 0), "a.html", None, "complete"),
        ((4, 2, 1, 1, 0), "a.html", None, "needs review"),
        ((4, 2, 1, 0, 1), "a.html", None, "incomplete"),
        ((0, 0, 0, 0, 0), "a.html", None, "nothing to translate"),
        ((4, 0, 0, 0, 4), None, "skipped: nothing reviewed", "skipped"),
    ],
)
def test_index_states(counts: tuple[int, int, int, int, int], edition: str | None,
                      note: str | None, label: str) -> None:
    row = IndexRow("a", "A", *counts, edition, None, note)
    page = index_html(lang="en", rows=[row])
    assert re.search(rf'<td class="state"><span class="badge \w+">{label}</span>', page)


def test_index_drops_unsafe_links_and_handles_no_articles() -> None:
    row = IndexRow("x", "X", 1, 1, 0, 0, 0, "javascript:alert(1)", None, None)
    page = index_html(lang="en", rows=[row])
    assert "javascript:" not in page
    page = index_html(lang="en", rows=[])
    assert_well_formed(page)
    assert "No articles." in page
