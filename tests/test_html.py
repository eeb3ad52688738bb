"""Unit tests on the pages of l10n.render: structure, escaping, safe links, review order."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from l10n.checks import Problem
from l10n.commands.build import Edition
from l10n.commands.build import run as run_build
from l10n.document import Block, Document, Segment
from l10n.render.html import edition_html
from l10n.render.index import IndexRow, index_html
from l10n.render.review import ReviewRow, review_html
from l10n.render.urls import safe_href

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
        if tag in self.VOID:
            return  # markdown-it writes <img … />, which the parser reports as start and end
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


class _Tree(HTMLParser):
    """A page as an ElementTree, to assert on elements and attributes rather than markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = ET.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in _Balance.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _Balance.VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def dom(page: str) -> ET.Element:
    assert_well_formed(page)
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree.root


def select(root: ET.Element, tag: str = "*", cls: str | None = None,
           **attrs: str) -> list[ET.Element]:
    """Elements under `root` by tag, one class and attributes (`data_x` for `data-x`)."""
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    return [el for el in root.iter(tag) if el is not root
            and (cls is None or cls in el.get("class", "").split())
            and all(el.get(k) == v for k, v in wanted.items())]


def text(el: ET.Element) -> str:
    return "".join(el.itertext())


def texts(root: ET.Element, tag: str = "*", cls: str | None = None, **attrs: str) -> list[str]:
    """The text of each element `select` finds."""
    return [text(el) for el in select(root, tag, cls, **attrs)]


def runs(el: ET.Element, lang: str | None = None) -> Iterator[tuple[str, str | None]]:
    """(text, language) pieces of `el` in document order, each with its inherited `lang`."""
    lang = el.get("lang", lang)
    if el.text:
        yield el.text, lang
    for child in el:
        yield from runs(child, lang)
        if child.tail:
            yield child.tail, lang


def text_in(root: ET.Element, lang: str) -> str:
    return "".join(t for t, in_lang in runs(root) if in_lang == lang)


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
    root = dom(page)
    assert select(root, "html")[0].attrib == {"lang": "en"}
    title = "Kazakhstan distances itself from Russia's war in Ukraine"
    assert texts(root, "title") == [title]
    assert texts(root, "h1") == [title]
    assert "Kazakhstan rejects a request. Instead, it will send aid." in texts(root, "p")
    assert texts(root, "h2") == ["Reactions"]
    # The caption's untranslated text stays; its trailing picture credit is set apart.
    (caption,) = select(root, "figcaption")
    assert text(caption) == "Tokajew war am 10. Februar zu Besuch in Moskau. [Kremlin pool/EPA/EFE]"
    assert [text(c) for c in select(caption, "span", "credit")] == ["[Kremlin pool/EPA/EFE]"]
    # Consecutive quote paragraphs form one quotation; the untranslated one keeps its source.
    (quote,) = select(root, "blockquote")
    assert [text(p) for p in select(quote, "p")] == [
        "“We welcome the announcement,” the Security Council said.",
        "„Wir begrüßen auch die Weigerung.“"]
    (items,) = select(root, "ul")
    assert [text(li) for li in items] == ["Erster Punkt", "Zweiter Punkt"]
    assert text(items) == "Erster PunktZweiter Punkt"  # nothing but the items
    assert texts(root, "p", "credit") == ["[Edited by Alice Taylor]"]
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
    root = dom(page)
    assert texts(root, "title") == ["Tom & Jerry <b>bold</b>"]
    assert texts(root, "p") == [
        "<script>document.title='pwned'</script> \"><img src=x onerror=alert(1)>"]
    assert "<script" not in page.lower()
    assert "<img" not in page
    assert "<b>" not in page


def test_text_edition_without_title_falls_back_to_heading_then_file_name() -> None:
    doc = text_doc(("heading", ["Zwischentitel"]), ("paragraph", ["Satz."]))
    assert texts(dom(edition_html(doc, lookup_from({}), lang="de")), "title") == ["Zwischentitel"]
    doc = text_doc(("paragraph", ["Satz."]), name="corpus/ohne-titel.txt")
    assert texts(dom(edition_html(doc, lookup_from({}), lang="de")), "title") == ["ohne-titel"]


def test_identity_lookup_keeps_source_text() -> None:
    root = dom(edition_html(SEED, lambda s: s, lang="de"))
    assert texts(root, "h1") == ["Kasachstan distanziert sich von Russlands Ukrainekrieg"]
    (para,) = [p for p in select(root, "p") if "Ersuchen" in text(p)]
    assert text(para) == "Kasachstan lehnt ein Ersuchen ab. Stattdessen wird es Hilfe senden."
    assert select(para) == []  # nothing marked as another language


@pytest.mark.parametrize("lang", ["en", "fr", "pt-BR"])
def test_lang_attribute(lang: str) -> None:
    root = dom(edition_html(SEED, lookup_from(EN), lang=lang))
    assert select(root, "html")[0].attrib == {"lang": lang}


@pytest.mark.parametrize("lang", ["ar", "ar-EG", "ar_EG", "HE"])
def test_rtl_language_gets_direction(lang: str) -> None:
    root = dom(edition_html(SEED, lookup_from({}), lang=lang))
    assert select(root, "html")[0].attrib == {"lang": lang, "dir": "rtl"}


def test_notice_present_and_escaped() -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en",
                        notice="Machine-translated <not yet reviewed> & unchecked")
    root = dom(page)
    (notice,) = select(root, "div", "notice", role="note")
    assert texts(notice, "p") == ["Machine-translated <not yet reviewed> & unchecked"]
    assert select(notice, "not") == []
    # The banner comes before the article.
    assert page.index('role="note"') < page.index("<article>")


@pytest.mark.parametrize("notice", [None, ""])
def test_no_notice_when_not_given(notice: str | None) -> None:
    page = edition_html(SEED, lookup_from(EN), lang="en", notice=notice)
    assert 'role="note"' not in page
    assert 'class="notice"' not in page


def test_notice_is_inside_a_landmark() -> None:
    root = dom(edition_html(SEED, lookup_from(EN), lang="en", notice="Not reviewed."))
    (header,) = select(root, "header")
    assert [text(n) for n in select(header, role="note")] == ["Not reviewed."]
    assert select(root, "body")[0][0] is header  # first on the page, before <main>


def test_untranslated_sentences_are_marked_with_the_source_language() -> None:
    doc = text_doc(
        ("title", ["Titel bleibt"]),
        ("paragraph", ["Erster Satz.", "Zweiter Satz.", "Dritter Satz.", "Vierter Satz."]),
        ("paragraph", ["Tom und Jerry."]),
    )
    table = {"Zweiter Satz.": "Second sentence.", "Tom und Jerry.": "Tom und Jerry."}
    root = dom(edition_html(doc, lookup_from(table), lang="en", source_lang="de"))
    (article,) = select(root, "article")
    german = [text(span) for span in select(article, lang="de")]
    # Neighbouring untranslated sentences share one span; a translation that a translator
    # kept identical to its source is English text, not a fallback.
    assert german == ["Titel bleibt", "Erster Satz.", "Dritter Satz. Vierter Satz."]
    assert "Second sentence." not in text_in(article, "de")
    assert "Tom und Jerry." not in text_in(article, "de")
    assert text(select(article, "p")[0]) == (
        "Erster Satz. Second sentence. Dritter Satz. Vierter Satz.")
    assert select(root, "title")[0].text == "Titel bleibt"  # no marks in the page title


def test_fallback_language_is_the_source_language_given() -> None:
    doc = text_doc(("title", ["Titre"]), ("paragraph", ["Une phrase."]))
    root = dom(edition_html(doc, lookup_from({"Titre": "Title"}), lang="en", source_lang="fr"))
    assert [(text(e), e.get("lang")) for e in select(root, "span", lang="fr")] == [
        ("Une phrase.", "fr")]
    assert select(root, lang="de") == []


def test_fully_translated_edition_has_no_language_marks() -> None:
    doc = text_doc(("title", ["Titel"]), ("paragraph", ["Satz."]))
    page = edition_html(doc, lookup_from({"Titel": "Title", "Satz.": "Sentence."}), lang="en")
    assert [el.get("lang") for el in dom(page).iter() if el.get("lang")] == ["en"]


def test_marking_survives_markdown_emphasis_links_and_alt_text() -> None:
    doc = md_doc(
        "# ⟦Notizen zur *Lage*⟧\n"
        "\n"
        "⟦Er sagte: *Nein.*⟧ ⟦Eins.⟧ ⟦Ein **fetter Satz.**⟧ ⟦Zwei.⟧\n"
        "⟦Siehe [die Quelle](https://example.org/q).⟧\n"
        "\n"
        "⟦![Ein Haus](haus.png) steht hier.⟧ ⟦Preis: 5\\*⟧\n"
        "\n"
        "⟦Übersetzt mit *Nachdruck*.⟧\n"
    )
    table = {"Übersetzt mit *Nachdruck*.": "Translated with *emphasis*.", "Eins.": "One.",
             "Zwei.": "Two."}
    page = edition_html(doc, lookup_from(table), lang="en")
    root = dom(page)
    assert "\ufdd0" not in page and "\ufdd1" not in page
    (h1,) = select(root, "h1")
    assert text(h1) == "Notizen zur Lage" and [text(e) for e in select(h1, "em")] == ["Lage"]
    assert text_in(h1, "de") == "Notizen zur Lage"
    assert select(root, "title")[0].text == "Notizen zur Lage"
    first, second, third = select(root, "p")
    # The emphasis CommonMark would give the untranslated source is kept, around the mark.
    assert [text(e) for e in select(first, "em")] == ["Nein."]
    assert [text(e) for e in select(first, "strong")] == ["fetter Satz."]
    assert [a.get("href") for a in select(first, "a")] == ["https://example.org/q"]
    # Everything but the two translated sentences is marked German, inside the markup too.
    assert [t.strip() for t, lang in runs(first) if lang != "de" and t.strip()] == [
        "One.", "Two."]
    assert "Nein." in text_in(first, "de") and "die Quelle" in text_in(first, "de")
    (img,) = select(second, "img")
    assert img.get("alt") == "Ein Haus"
    assert text(second) == " steht hier. Preis: 5*"  # the escaped star stays a star
    assert text_in(third, "de") == "" and [text(e) for e in select(third, "em")] == ["emphasis"]


def test_marks_in_the_input_are_not_taken_for_fallbacks() -> None:
    doc = text_doc(("title", ["Titel"]), ("paragraph", ["Satz\ufdd1 mit \ufdd0Zeichen."]))
    table = {"Titel": "Title\ufdd0", "Satz\ufdd1 mit \ufdd0Zeichen.": None}
    page = edition_html(doc, table.get, lang="en")  # type: ignore[arg-type]
    assert "\ufdd0" not in page and "\ufdd1" not in page
    root = dom(page)
    assert [text(e) for e in select(root, lang="de")] == ["Satz mit Zeichen."]
    assert text(select(root, "h1")[0]) == "Title"


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
    root = dom(page)
    assert select(root, "html")[0].attrib == {"lang": "en"}
    assert texts(root, "title") == ["Kazakhstan distances itself"]  # the first heading's text
    (h1,) = select(root, "h1")
    assert text(h1) == "Kazakhstan distances itself" and texts(h1, "em") == ["distances"]
    (para,) = [p for p in select(root, "p") if "important" in text(p)]
    assert text(para) == "An important sentence with a link. And code."
    assert texts(para, "strong") == ["important"] and texts(para, "code") == ["code"]
    assert [(a.get("href"), text(a)) for a in select(para, "a")] == [
        ("https://example.org/article", "link")]
    assert texts(root, "h2") == ["Reactions"]
    (items,) = select(root, "ul")
    assert [text(li).strip() for li in select(items, "li")] == ["First point", "Second point"]
    (quote,) = select(root, "blockquote")
    assert texts(quote, "p") == ["“We welcome the announcement.”"]
    assert [(a.get("href"), text(a)) for a in select(root, "a")][-1] == (
        "mailto:redaktion@example.org", "the editors")
    # Front matter is metadata, not text.
    assert "Vorspann" not in page
    assert "---" not in page


def test_markdown_title_from_front_matter_without_heading() -> None:
    doc = md_doc('---\ntitle: "⟦Nur im Vorspann⟧"\n---\n\n⟦Satz.⟧\n')
    page = edition_html(doc, lookup_from({"Nur im Vorspann": "Only in front matter"}), lang="en")
    root = dom(page)
    assert texts(root, "title") == ["Only in front matter"]
    assert select(root, "h1") == []


def test_markdown_edition_escapes_raw_html_in_translations() -> None:
    doc = md_doc("# ⟦Titel⟧\n\n⟦Satz eins.⟧\n\n⟦Satz zwei.⟧\n")
    evil = {
        "Titel": "Tom & Jerry",
        "Satz eins.": "<script>document.title='pwned'</script>",
        "Satz zwei.": 'Inline <img src=x onerror="alert(1)"> and <b>bold</b>',
    }
    page = edition_html(doc, lookup_from(evil), lang="en")
    root = dom(page)
    assert texts(root, "title") == ["Tom & Jerry"]
    assert texts(root, "h1") == ["Tom & Jerry"]
    assert texts(root, "p") == ["<script>document.title='pwned'</script>",
                                'Inline <img src=x onerror="alert(1)"> and <b>bold</b>']
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
    root = dom(page)
    assert select(root, "a") == []
    assert "click" in text(root)  # the text stays readable


def test_markdown_refuses_data_images_but_keeps_relative_ones() -> None:
    doc = md_doc("⟦Satz.⟧\n\n⟦Bild.⟧\n")
    page = edition_html(doc, lookup_from({
        "Satz.": "![pixel](data:image/png;base64,AAAA)",
        "Bild.": "![map](img/map.png) [next](b.html)",
    }), lang="en")
    root = dom(page)
    assert [img.attrib for img in select(root, "img")] == [{"src": "img/map.png", "alt": "map"}]
    assert [(a.get("href"), text(a)) for a in select(root, "a")] == [("b.html", "next")]


def test_markdown_drops_html_comments_but_escapes_other_raw_html() -> None:
    doc = Document(Path("corpus/c.md"), "markdown", (
        Block("paragraph", 1, (Segment("Eins.", "Eins.", 1), "\n")),
        Block("html", 2, ("<!-- Notiz der Redaktion -->\n",)),
        Block("paragraph", 3, (Segment("Zwei.", "Zwei.", 3), "\n")),
        Block("blank", 4, ("\n",)),
        Block("html", 5, ("<div>Kasten</div>\n",)),
    ))
    page = edition_html(doc, lookup_from({"Eins.": "One.", "Zwei.": "Two."}), lang="en")
    root = dom(page)
    assert "Notiz" not in page
    assert texts(root, "p") == ["One.", "Two.", "<div>Kasten</div>"]
    assert select(root, "div") == []


def test_markdown_edition_with_notice() -> None:
    page = edition_html(MD, lookup_from(MD_EN), lang="en", notice="Machine-translated.")
    root = dom(page)
    (notice,) = select(root, "div", "notice", role="note")
    assert texts(notice, "p") == ["Machine-translated."]
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
    assert_offline(page)
    (tbody,) = select(dom(page), "tbody")
    rows = select(tbody, "tr")
    assert [(tr.get("id"), tr.get("class")) for tr in rows] == [
        (f"row-{i}", f"st-{r.status}") for i, r in enumerate(ROWS, start=1)]
    assert [text(select(tr, "td", "where")[0].find("a")) for tr in rows] == [  # type: ignore[arg-type]
        f"corpus/kasachstan.txt:{r.line}" for r in ROWS]
    sources = select(tbody, "td", "src")
    assert [(text(td), td.get("lang")) for td in sources] == [(r.source, "de") for r in ROWS]
    assert [td.get("lang") for td in select(tbody, "td", "tgt")] == ["en"] * len(ROWS)


def test_review_escapes_and_shows_status() -> None:
    page = _review()
    root = dom(page)
    (tbody,) = select(root, "tbody")
    assert "Help, instead <b>now</b> & later." in texts(tbody, "td", "tgt")
    assert select(root, "b") == []
    assert texts(tbody, "span", "none") == ["no translation"]
    badges = [(b.get("class"), text(b)) for b in select(tbody, "span", "badge")]
    for status, label in (("reviewed", "reviewed"), ("fuzzy", "fuzzy"), ("missing", "missing")):
        assert (f"badge {status}", label) in badges
    (weakest,) = [b for b in select(tbody, "span", "badge") if text(b) == "machine draft 0.12"]
    assert re.fullmatch(r"--h:\d+", weakest.get("style", ""))
    assert ("badge draft", "machine draft ?") in badges  # a draft without a score says so
    assert "machine: argos de→en 1.9" in texts(tbody, "span", "prov")
    assert [a.get("href") for a in select(root, "a", "edition")] == ["kasachstan.html"]


def test_review_summary_counts() -> None:
    (summary,) = select(dom(_review()), "div", "summary")
    assert texts(summary, "span", "total") == ["7 segments · 14% reviewed"]
    assert texts(summary, "span", "badge") == [
        "1 reviewed", "4 machine draft", "1 fuzzy", "1 missing"]
    assert [b.get("aria-label") for b in select(summary, "span", "bar")] == ["1 of 7 reviewed"]


def test_review_weakest_drafts_sorted_by_confidence_and_linked() -> None:
    root = dom(_review())
    (weak,) = select(root, "section", id="weakest")
    links = [a.get("href") for li in select(weak, "li") for a in li.findall("a")]
    # 0.12 (row 3), 0.47 (row 6), 0.91 (row 2), unknown score (row 7) last.
    assert links == ["#row-3", "#row-6", "#row-2", "#row-7"]
    for href in links:
        assert len(select(root, "tr", id=href[1:])) == 1
    assert "corpus/kasachstan.txt:3" in texts(weak, "span", "where")
    # Draft colours run from red for the weakest towards yellow-green, never reviewed green.
    hues = [int(b.get("style", "").removeprefix("--h:")) for b in select(weak, "span", "draft")]
    assert hues[:3] == sorted(hues[:3])
    assert hues[0] < 20 and hues[2] < 100


def test_review_weakest_limit_and_no_drafts() -> None:
    (weak,) = select(dom(_review(weakest=2)), "section", id="weakest")
    assert [a.get("href") for li in select(weak, "li") for a in li.findall("a")] == [
        "#row-3", "#row-6"]
    assert texts(weak, "p", "muted") == ["2 more machine drafts in the table below."]
    root = dom(_review(rows=[r for r in ROWS if r.status != "draft"], edition_href=None))
    assert texts(select(root, "section", id="weakest")[0], "p") == [
        "No machine drafts left to review."]
    assert select(root, "a", "edition") == []


def test_review_of_empty_article() -> None:
    root = dom(_review(rows=[]))
    assert texts(root, "span", "total") == ["0 segments · nothing to translate"]


QA_ROWS = [
    ReviewRow(3, "paragraph", "Am 10. Februar kamen 3,5 Millionen.",
              "On February 11, 3.5 million came.", "reviewed", None, None, po_line=17,
              findings=(Problem("numbers", "error", "10 is missing, 11 was added"),
                        Problem("quotes", "warning", "a <quote> & more"))),
    ReviewRow(5, "paragraph", "Leider ist dies bisher nicht geschehen.",
              "Unfortunately, this has not happened.", "fuzzy", None, None, po_line=24,
              previous_source="Leider ist dies nicht geschehen."),
    ReviewRow(7, "paragraph", "Der Präsident sprach.", "The president spoke.", "reviewed", None,
              None, po_line=31),
]


def test_review_shows_the_gate_findings_next_to_their_segment() -> None:
    root = dom(_review(QA_ROWS, catalog="locales/en/kasachstan.po"))
    flagged, changed, clean = select(root, "tr", cls=None, id="row-1") + \
        select(root, "tr", id="row-2") + select(root, "tr", id="row-3")
    items = select(flagged, "li")
    assert [(li.get("class"), text(li)) for li in items] == [
        ("error", "error numbers: 10 is missing, 11 was added"),
        ("warning", "warning quotes: a <quote> & more")]  # escaped, shown as text
    assert all(li in select(select(flagged, "td", "status")[0], "li") for li in items)
    assert flagged.get("data-findings") == "2"
    assert select(changed, "ul", "findings") == [] and changed.get("data-findings") is None
    assert select(clean, "ul", "findings") == []
    counts = [text(b) for b in select(select(root, "span", "counts")[0], "span", "badge")]
    assert counts[-2:] == ["1 QA error", "1 QA warning"]


def test_review_keeps_reviewed_rows_with_findings_when_hiding_reviewed_rows() -> None:
    page = _review(QA_ROWS)
    rule = re.search(r"#only-open:checked~table (tr[^{]*)\{display:none\}", page)
    assert rule is not None and rule.group(1) == "tr.st-reviewed:not([data-findings])"


def test_review_cites_article_and_catalog_lines() -> None:
    root = dom(_review(QA_ROWS, catalog="locales/en/kasachstan.po"))
    wheres = select(root, "td", "where")
    assert [text(w.find("a")) for w in wheres] == [  # type: ignore[arg-type]
        "corpus/kasachstan.txt:3", "corpus/kasachstan.txt:5", "corpus/kasachstan.txt:7"]
    assert [text(po) for w in wheres for po in select(w, "span", "po")] == [
        "locales/en/kasachstan.po:17", "locales/en/kasachstan.po:24",
        "locales/en/kasachstan.po:31"]
    assert "locales/en/kasachstan.po" in text(select(root, "p", "sub")[0])
    # Without a catalog (or a line) no PO location is invented.
    assert select(dom(_review(QA_ROWS)), "span", "po") == []
    assert select(dom(_review(catalog="locales/en/kasachstan.po")), "span", "po") == []


def test_review_shows_the_old_source_against_the_new_word_by_word() -> None:
    root = dom(_review(QA_ROWS))
    cells = select(root, "td", "src")
    (changed,) = [c for c in cells if select(c, "span", "changed")]
    assert changed is cells[1]
    diff = select(changed, "span", "changed")[0]
    assert [text(e) for e in select(diff, "ins")] == ["added: bisher"]
    assert select(diff, "del") == []
    assert [text(e) for e in select(diff, "span", "sr-only")] == ["added: "]
    assert text(cells[1]).startswith("Leider ist dies bisher nicht geschehen.")
    rows = [ReviewRow(1, "paragraph", "Der Präsident sprach lange am Montag.", "x", "fuzzy",
                      None, None, previous_source="Die Präsidentin sprach am Montag."),
            ReviewRow(2, "paragraph", "Gleich.", "Same.", "fuzzy", None, None,
                      previous_source="Gleich.")]
    cells = select(dom(_review(rows)), "td", "src")
    diff = select(cells[0], "span", "changed")[0]
    assert [text(e) for e in select(diff, "del")] == ["removed: Die Präsidentin"]
    assert [text(e) for e in select(diff, "ins")] == ["added: Der Präsident", "added: lange"]
    assert text(diff).endswith("sprach added: lange am Montag.")
    assert select(cells[1], "span", "changed") == []  # the same source is no change


def test_review_title_in_the_source_language_is_marked() -> None:
    root = dom(_review(title="Kasachstan distanziert sich", title_lang="de"))
    (h1,) = select(root, "h1")
    assert text(h1) == "Review: Kasachstan distanziert sich"
    assert text_in(h1, "de") == "Kasachstan distanziert sich"


def test_review_cells_carry_labels_for_the_phone_layout() -> None:
    root = dom(_review())
    assert {td.get("data-label") for td in select(root, "td", "src")} == {"Source (de)"}
    assert {td.get("data-label") for td in select(root, "td", "tgt")} == {"Translation (en)"}


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
    root = dom(page)
    assert texts(root, "title") == ["Translations: en"]
    (tbody,) = select(root, "tbody")
    rows = select(tbody, "tr")
    assert len(rows) == 3
    first, done, skipped = rows

    def links(row: ET.Element) -> list[tuple[str | None, str | None, str]]:
        return [(a.get("class"), a.get("href"), text(a)) for a in select(row, "a")]

    assert links(first)[0] == (None, "kasachstan.html", "Kazakhstan distances itself")
    assert select(first, "a")[0].get("lang") == "en"
    assert ("review", "kasachstan.review.html", "Review sheet") in links(first)
    assert texts(first, "span", "badge") == ["incomplete"]  # missing outweighs drafts
    assert texts(first, "span", "nums") == ["5/20 reviewed · 12 drafts · 2 fuzzy · 1 missing"]
    assert texts(done, "span", "nums") == ["4/4 reviewed"]  # counts of zero are left out
    widths = [span.get("style") for span in select(select(first, "span", "bar")[0], "span")]
    assert "width:25.00%" in widths  # reviewed share of the progress bar
    assert "width:60.00%" in widths
    assert text(select(done, "td", "title")[0]).startswith("Done & dusted")
    assert texts(done, "span", "badge") == ["complete"]
    assert select(skipped, "a", "edition") == []
    assert texts(skipped, "span", "badge") == ["skipped"]
    assert texts(skipped, "span", "note") == [
        "skipped: 3 missing translations (build --min-reviewed)"]
    assert ("review", "kaputt.review.html", "Review sheet") in links(skipped)
    assert texts(root, "span", "total") == [
        "3 articles · 1 complete · 27 segments · 33% reviewed"]


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
    (state,) = select(dom(index_html(lang="en", rows=[row])), "td", "state")
    assert [text(b) for b in state if "badge" in b.get("class", "").split()] == [label]


def test_index_marks_untranslated_titles_with_their_language() -> None:
    rows = [IndexRow("a", "Kasachstan distanziert sich", 3, 0, 0, 0, 3, "a.html", None, None,
                     title_lang="de"),
            IndexRow("b", "Kasachstan schweigt", 3, 0, 0, 0, 3, None, None, "skipped",
                     title_lang="de"),
            IndexRow("c", "Translated title", 3, 3, 0, 0, 0, "c.html", None, None)]
    root = dom(index_html(lang="en", rows=rows))
    titles = [td[0] for td in select(root, "td", "title")]
    assert [(el.tag, text(el), el.get("lang")) for el in titles] == [
        ("a", "Kasachstan distanziert sich", "de"), ("strong", "Kasachstan schweigt", "de"),
        ("a", "Translated title", "en")]


def test_index_drops_unsafe_links_and_handles_no_articles() -> None:
    row = IndexRow("x", "X", 1, 1, 0, 0, 0, "javascript:alert(1)", None, None)
    page = index_html(lang="en", rows=[row])
    assert "javascript:" not in page
    page = index_html(lang="en", rows=[])
    assert_well_formed(page)
    assert "No articles." in page


# -- built by `l10n build` from a project ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
NAME = "kasachstan-ukrainekrieg"


def _reference() -> dict[str, str]:
    lines = (ROOT / "tests" / "data" / "seed_en.tsv").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if not line.startswith("#"))


def _extracted(project: Path, translate: Callable[[polib.POEntry], None]) -> Path:
    from typer.testing import CliRunner

    from l10n.catalog.po.read import load
    from l10n.catalog.po.write import dumps
    from l10n.cli import app

    assert CliRunner().invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    po_path = project / "locales" / "en" / f"{NAME}.po"
    po = load(po_path)
    for entry in po:
        translate(entry)
    po_path.write_text(dumps(po), encoding="utf-8")
    return po_path


def _build(project: Path, **options: object) -> list[Edition]:
    from l10n.commands.build import options_from
    from l10n.project import load_project

    proj = load_project(project)
    report = run_build(proj, options_from(proj, formats=["all"], **options))  # type: ignore[arg-type]
    editions, errors = report.editions, report.errors
    assert errors == []
    return editions


def test_build_says_how_much_of_an_edition_is_in_the_source_language(project: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    reference = _reference()
    keep = list(reference)[:3]  # the title, the caption and the first paragraph

    def some(entry: polib.POEntry) -> None:
        if entry.msgid in keep:
            entry.msgstr = reference[entry.msgid]

    _extracted(project, some)
    (edition,) = _build(project)
    assert (edition.sentences, edition.untranslated) == (28, 25)
    assert edition.fallback_warning == ("25 of 28 sentences (89%) are not translated; the "
                                        "edition shows them in the source language (de)")
    out = project / "editions" / "en"
    # No drafts are used, yet the edition says it is partly German.
    notice = "25 of 28 sentences are not translated yet and shown in the original language (de)."
    assert (out / f"{NAME}.txt").read_text(encoding="utf-8").startswith(f"[{notice}]\n\n")
    root = dom((out / f"{NAME}.html").read_text(encoding="utf-8"))
    assert [text(n) for n in select(root, role="note")] == [notice]
    (article,) = select(root, "article")
    german = text_in(article, "de")
    assert keep[2] not in german and reference[keep[2]] in text(article)
    untranslated = [m for m in reference if m not in keep]
    assert all(msgid in german for msgid in untranslated)
    assert text(select(root, "h1")[0]) == reference[keep[0]]
    index = dom((out / "index.html").read_text(encoding="utf-8"))
    (title,) = [td[0] for td in select(index, "td", "title")]
    assert (text(title), title.get("lang")) == (reference[keep[0]], "en")

    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert (f"warning: corpus/{NAME}.txt [en]: 25 of 28 sentences (89%) are not translated"
            in " ".join(result.output.split()))


def test_fully_translated_edition_has_no_notice_nor_warning(project: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    reference = _reference()
    _extracted(project, lambda e: setattr(e, "msgstr", reference[e.msgid]))
    (edition,) = _build(project)
    assert edition.untranslated == 0 and edition.fallback_warning is None
    page = (project / "editions" / "en" / f"{NAME}.html").read_text(encoding="utf-8")
    assert select(dom(page), role="note") == [] and select(dom(page), lang="de") == []
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 0 and "warning" not in result.output


def test_index_marks_an_untranslated_title_as_german(project: Path) -> None:
    _extracted(project, lambda e: None)
    _build(project, min_translated=50)
    index = dom((project / "editions" / "en" / "index.html").read_text(encoding="utf-8"))
    (title,) = [td[0] for td in select(index, "td", "title")]
    assert (text(title), title.get("lang")) == (
        "Kasachstan distanziert sich von Russlands Ukrainekrieg", "de")


def test_review_sheet_shows_what_the_gate_reports_with_catalog_lines(project: Path) -> None:
    from l10n.catalog.po.read import load
    from l10n.commands.gate import options_from as gate_options
    from l10n.commands.gate import run as run_gate
    from l10n.project import load_project

    reference = _reference()
    caption, paragraph = list(reference)[1], list(reference)[13]

    def with_slips(entry: polib.POEntry) -> None:
        entry.msgstr = reference[entry.msgid]
        if entry.msgid == caption:  # a wrong date, which the gate reports
            entry.msgstr = entry.msgstr.replace("February 10", "February 11")
        if entry.msgid == paragraph:  # the same slip, switched off by the translator
            entry.msgstr = entry.msgstr.replace("2010", "2011")
            entry.tcomment = "l10n-qa: ignore=numbers"

    assert "February 10" in reference[caption] and "2010" in reference[paragraph]
    po_path = _extracted(project, with_slips)
    _build(project)
    proj = load_project(project)
    gate = run_gate(proj, gate_options(proj))
    reported = {(i.line, i.code) for i in gate.issues if i.code.startswith("qa/")}
    catalog = load(po_path)
    assert (catalog.find(caption).linenum, "qa/numbers") in reported
    assert (catalog.find(paragraph).linenum, "qa/numbers") not in reported

    sheet = dom((project / "editions" / "en" / f"{NAME}.review.html").read_text(encoding="utf-8"))
    po_lines = po_path.read_text(encoding="utf-8").splitlines()
    shown = set()
    for tr in select(select(sheet, "tbody")[0], "tr"):
        (where,) = select(tr, "span", "po")
        path, _, line = text(where).rpartition(":")
        assert path == f"locales/en/{NAME}.po"
        source = text(select(tr, "td", "src")[0])
        # The cited line starts the entry whose msgid the row shows.
        entry_text = "\n".join(po_lines[int(line) - 1:int(line) + 12])
        assert polib.escape(source)[:40] in entry_text.replace('"\n"', "")
        shown |= {(int(line), "qa/" + text(li.find("code"))) for li in select(tr, "li")}  # type: ignore[arg-type]
    assert shown == reported


def test_review_sheet_shows_how_a_changed_source_changed(project: Path) -> None:
    reference = _reference()
    _extracted(project, lambda e: setattr(e, "msgstr", reference[e.msgid]))
    article = project / "corpus" / f"{NAME}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Leider ist dies nicht geschehen.", "Leider ist dies bisher nicht geschehen."),
        encoding="utf-8")
    _extracted(project, lambda e: None)  # the merge keeps the old source as `#| msgid`
    _build(project, include_fuzzy=True)
    sheet = dom((project / "editions" / "en" / f"{NAME}.review.html").read_text(encoding="utf-8"))
    changed = [td for td in select(sheet, "td", "src") if select(td, "span", "changed")]
    assert len(changed) == 1
    assert "Leider ist dies bisher nicht geschehen." in text(changed[0])
    assert [text(e) for e in select(changed[0], "ins")] == ["added: bisher"]


def test_review_sheets_use_the_project_glossary_and_report_a_missing_one(project: Path) -> None:
    from l10n.commands.build import options_from
    from l10n.project import load_project

    reference = _reference()
    title = next(iter(reference))
    _extracted(project, lambda e: setattr(e, "msgstr", reference[e.msgid]))
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + 'glossary = "locales/terms.csv"\n', encoding="utf-8")
    (project / "locales" / "terms.csv").write_text("source,target\nKasachstan,Qazaqstan\n",
                                                   encoding="utf-8")
    _build(project)
    sheet = dom((project / "editions" / "en" / f"{NAME}.review.html").read_text(encoding="utf-8"))
    (first,) = select(sheet, "tr", id="row-1")
    assert text(select(first, "td", "src")[0]) == title
    assert [text(c) for c in select(first, "code")] == ["glossary"]

    (project / "locales" / "terms.csv").unlink()
    proj = load_project(project)
    report = run_build(proj, options_from(proj, formats=["html"]))
    editions, errors = report.editions, report.errors
    assert [str(e.message) for e in errors] == [
        f"glossary file {project / 'locales' / 'terms.csv'} does not exist"]
    assert editions[0].paths  # the editions and sheets are still written, without findings
    sheet = dom((project / "editions" / "en" / f"{NAME}.review.html").read_text(encoding="utf-8"))
    assert select(sheet, "ul", "findings") == []


# -- house templates -------------------------------------------------------------------------------


def _house(project: Path, **templates: str) -> Path:
    """`[tool.l10n.build] templates = "house"` with the given templates in it."""
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\n[tool.l10n.build]\ntemplates = "house"\n', encoding="utf-8")
    (project / "house").mkdir()
    for name, body in templates.items():
        (project / "house" / name).write_text(body, encoding="utf-8")
    return project / "house"


def test_a_house_template_replaces_the_shipped_one_and_the_rest_fall_back(
        project: Path) -> None:
    # A newsroom's masthead around the shipped edition; the review sheet and index stay.
    _house(project, **{"edition.html.j2": (
        '{% extends "l10n/edition.html.j2" %}\n'
        '{% block body %}<header class="masthead"><p>Der Bote — {{ lang }}</p></header>\n'
        "{{ super() }}{% endblock %}\n")})
    _extracted(project, lambda e: None)
    _build(project)
    out = project / "editions" / "en"
    root = dom((out / f"{NAME}.html").read_text(encoding="utf-8"))
    (masthead,) = select(root, "header", "masthead")
    assert text(masthead) == "Der Bote — en"
    assert select(root, "body")[0][0] is masthead
    assert len(select(root, "article")) == 1 and len(select(root, "div", "notice")) == 1
    sheet = dom((out / f"{NAME}.review.html").read_text(encoding="utf-8"))
    assert select(sheet, "header", "masthead") == [] and len(select(sheet, "table", "sheet")) == 1
    assert select(dom((out / "index.html").read_text(encoding="utf-8")), "table", "index")


def test_a_house_template_is_autoescaped_too(project: Path) -> None:
    _house(project, **{"page.html.j2": (
        "<!DOCTYPE html>\n<html lang=\"{{ lang }}\"><head><title>{{ title }}</title></head>"
        "<body>{% block body %}{% endblock %}</body></html>\n")})
    _extracted(project, lambda e: setattr(e, "msgstr", "<b>Fett</b> & mehr")
               if e.msgid.startswith("Kasachstan distanziert") else None)
    _build(project)
    root = dom((project / "editions" / "en" / f"{NAME}.html").read_text(encoding="utf-8"))
    assert texts(root, "title") == ["<b>Fett</b> & mehr"] and select(root, "b") == []
    assert select(root, "style") == []  # the house frame replaced the shipped one whole


def test_a_broken_house_template_is_a_usage_error_naming_file_and_line(project: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app
    from l10n.errors import ConfigError

    house = _house(project, **{"index.html.j2": (
        '{% extends "l10n/index.html.j2" %}\n'
        "{% block body %}\n"
        "{% for row in rows %}\n"
        "{{ row.name }\n"
        "{% endblock %}\n")})
    _extracted(project, lambda e: None)
    with pytest.raises(ConfigError) as caught:
        _build(project)
    assert (caught.value.path, caught.value.line) == (house / "index.html.j2", 4)
    result = CliRunner().invoke(app, ["build", "--edition", "html", "--project", str(project)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert f"{house / 'index.html.j2'}:4" in " ".join(result.output.split())
    assert not (project / "editions").exists()  # checked before anything is written


def test_a_house_template_that_fails_while_drawing_names_its_line(project: Path) -> None:
    from l10n.errors import ConfigError

    house = _house(project, **{"edition.html.j2": (
        '{% extends "l10n/edition.html.j2" %}\n'
        "{% block body %}\n"
        "{{ no_such_value }}\n"
        "{% endblock %}\n")})
    from l10n.commands.build import options_from
    from l10n.project import load_project

    _extracted(project, lambda e: None)
    proj = load_project(project)
    # Reported for the article it failed on, as a file that cannot be read is.
    errors = run_build(proj, options_from(proj, formats=["html"])).errors
    assert [type(e) for e in errors] == [ConfigError]
    assert "no_such_value" in errors[0].message
    assert (errors[0].path, errors[0].line) == (house / "edition.html.j2", 3)


def test_a_missing_templates_folder_is_a_usage_error(project: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    _house(project).rmdir()
    _extracted(project, lambda e: None)
    result = CliRunner().invoke(app, ["build", "--edition", "html", "--project", str(project)])
    assert result.exit_code == 2, result.output
    assert "templates folder" in result.output and "does not exist" in result.output
    # The source edition needs no templates.
    result = CliRunner().invoke(app, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.output
