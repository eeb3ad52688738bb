"""Readers and the renderer: golden files, lossless identity, hypothesis round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from goldens import GOLDEN, cases, check_golden, outline
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.document import Segment
from l10n.errors import BadInputError
from l10n.readers import parse, read_document

# Every kind of article: the HTML ones also have a page golden (tests/test_html_articles.py).
CASES = cases(".txt", ".md", ".html", ".htm")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_reader_golden(case: Path) -> None:
    text = json.dumps(outline(case), ensure_ascii=False, indent=1) + "\n"
    check_golden(case.with_name(case.name + ".expect.json"), text)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_renderer_golden(case: Path) -> None:
    """Every segment replaced by a marked version: structure around it must stay put."""
    doc = read_document(case)
    check_golden(case.with_name(case.name + ".expect.render"), doc.render(lambda t: f"⟦{t}⟧"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_identity_render_is_byte_exact(case: Path) -> None:
    doc = read_document(case)
    assert doc.render(lambda text: text).encode("utf-8") == case.read_bytes()
    assert doc.render(lambda text: None).encode("utf-8") == case.read_bytes()


def test_seed_article_blocks() -> None:
    doc = read_document(GOLDEN / "seed.txt")
    kinds = [b.kind for b in doc.blocks if b.kind != "blank"]
    assert kinds[0] == "title"
    assert kinds[1] == "caption"
    assert "byline" in kinds
    assert kinds[-2:] == ["boilerplate", "boilerplate"]
    caption = next(b for b in doc.blocks if b.kind == "caption")
    assert caption.parts[-1] == " [Kremlin pool/EPA/EFE]\n"  # the credit is not translated
    texts = [s.text for _, s in doc.segments()]
    assert "Subscribe" not in " ".join(texts)
    assert any(t.startswith("Am Dienstag (1. März) sagte") for t in texts)


def test_markdown_never_sends_code_front_matter_html_or_definitions() -> None:
    doc = read_document(GOLDEN / "nested-markup.md")
    texts = " ".join(s.text for _, s in doc.segments())
    for verbatim in ("print(", "title: Beispiel", "HTML bleibt", "https://example.org/ref"):
        assert verbatim not in texts
    assert "[Agentur *Kazinform*](https://example.org/news?id=1 \"Quelle\")" in texts


def test_segment_lines_point_at_source() -> None:
    doc = read_document(GOLDEN / "nested-markup.md")
    lines = GOLDEN.joinpath("nested-markup.md").read_text().splitlines()
    for _, seg in doc.segments():
        first_word = seg.raw.split()[0]
        assert first_word in lines[seg.line - 1], (seg, lines[seg.line - 1])


def test_non_utf8_article_reports_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Titel\n\nEin Satz über Köln.\n".encode("latin-1"))
    with pytest.raises(BadInputError) as info:
        read_document(bad)
    assert info.value.line == 3
    assert "UTF-8" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"```\ncode only\n```\n"])
def test_empty_article_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / ("empty.md" if b"```" in content else "empty.txt")
    path.write_bytes(content)
    with pytest.raises(BadInputError, match="no text to translate"):
        read_document(path)


def test_huge_paragraph_without_punctuation(tmp_path: Path) -> None:
    words = " ".join(f"wort{i}" for i in range(20_000))
    doc = parse(f"Titel\n\n{words}\n", tmp_path / "big.txt")
    assert doc.render(lambda t: t) == f"Titel\n\n{words}\n"
    assert sum(len(s.text) for _, s in doc.segments()) >= len(words)


# --- generated documents ----------------------------------------------------------------

_word = st.sampled_from(["Kasachstan", "Präsident", "am", "10.", "Februar", "„Frieden“", "z. B.",
                         "*kursiv*", "**fett**", "`code`", "[Link](http://x.de)", "(1. März)",
                         "und", "Krieg", "OSZE-Gipfel", "3,5", "Prozent", "ß", "ü"])
_sentence = st.lists(_word, min_size=1, max_size=12).map(" ".join).map(
    lambda s: s + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_eol = st.sampled_from(["\n", "\r\n"])
_trailing = st.sampled_from(["", " ", "  ", "\t"])
_md_prefix = st.sampled_from(["", "# ", "## ", "> ", "- ", "1. ", "* "])


@st.composite
def _text_docs(draw: st.DrawFn) -> str:
    eol = draw(_eol)
    paras = draw(st.lists(_paragraph, min_size=1, max_size=5))
    body = (eol + eol).join(p + draw(_trailing) for p in paras)
    return body + draw(st.sampled_from(["", eol]))


@st.composite
def _md_docs(draw: st.DrawFn) -> str:
    eol = draw(_eol)
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["para", "code", "wrapped"]))
        if kind == "code":
            blocks.append(f"```{eol}{draw(_paragraph)}{eol}```")
        elif kind == "wrapped":
            blocks.append(draw(_paragraph) + draw(_trailing) + eol + draw(_paragraph))
        else:
            blocks.append(draw(_md_prefix) + draw(_paragraph) + draw(_trailing))
    return (eol + eol).join(blocks) + draw(st.sampled_from(["", eol]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_text_docs())
def test_text_round_trip(source: str) -> None:
    doc = parse(source, Path("gen.txt"))
    assert doc.render(lambda t: t) == source
    _check_segments(doc.blocks)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=_md_docs())
def test_markdown_round_trip(source: str) -> None:
    doc = parse(source, Path("gen.md"))
    assert doc.render(lambda t: t) == source
    _check_segments(doc.blocks)
    # Translating every segment changes exactly the segments.
    rendered = doc.render(lambda t: "X")
    assert rendered.count("X") >= sum(1 for _ in doc.segments())


def _check_segments(blocks: object) -> None:
    for block in blocks:  # type: ignore[attr-defined]
        for part in block.parts:
            if isinstance(part, Segment):
                assert part.text == part.text.strip()
                assert "\n" not in part.text
                assert part.text


def test_byte_order_mark_stays_out_of_the_msgid(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffDer Titel\n\nEin Satz.\n".encode())
    doc = read_document(path)
    assert [s.text for _, s in doc.segments()] == ["Der Titel", "Ein Satz."]
    assert doc.blocks[1].kind == "title"
    assert doc.render(lambda t: t).encode("utf-8") == path.read_bytes()


@pytest.mark.parametrize(("source", "line", "column"), [
    ("Titel\n\nEin \x00 Satz.\n", 3, 5),
    ("\x00Titel\n", 1, 1),
    ("Titel\r\rZwei\r\x00\r", 4, 1),  # CR-only line ends count as lines too
])
def test_nul_bytes_are_an_error_with_file_and_line(tmp_path: Path, source: str, line: int,
                                                   column: int) -> None:
    path = tmp_path / "a.txt"
    path.write_text(source, encoding="utf-8", newline="")
    with pytest.raises(BadInputError) as info:
        read_document(path)
    assert (info.value.path, info.value.line) == (path, line)
    assert f"NUL byte (column {column})" in info.value.message
    assert info.value.hint


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_cr_only_line_ends_are_read_and_kept(tmp_path: Path, name: str) -> None:
    lf = "# Titel des Artikels\n\nDas ist der erste Satz. Und hier\nder zweite Satz.\n\n- Punkt\n"
    if name.endswith(".txt"):
        lf = lf.replace("# ", "").replace("- ", "")
    cr = lf.replace("\n", "\r")
    path = tmp_path / name
    path.write_text(cr, encoding="utf-8", newline="")
    doc = read_document(path)
    lf_doc = parse(lf, path)
    # The same sentences and lines as with LF line ends ...
    assert [(s.text, s.line) for _, s in doc.segments()] == [
        (s.text, s.line) for _, s in lf_doc.segments()]
    assert [s.text for _, s in doc.segments()] == [
        "Titel des Artikels", "Das ist der erste Satz.", "Und hier der zweite Satz.", "Punkt"]
    # ... and the CRs stay: identity and translated renders keep the file's line ends.
    assert doc.source == cr and doc.render(lambda text: None) == cr
    assert "\n" not in doc.render(lambda text: text.upper())


# --- deep nesting ---------------------------------------------------------------------

def _deep(kind: str, depth: int) -> str:
    if kind == "quotes":  # one quote inside the other, a sentence at each level
        return "".join(">" * (level + 1) + f" Satz auf Ebene {level}.\n" for level in range(depth))
    if kind == "lists":
        return "".join("  " * level + f"- Punkt auf Ebene {level}.\n" for level in range(depth))
    if kind == "mixed":  # a list item holding a quote, at each level
        return "".join("   " * level + f"- > Zitat auf Ebene {level}.\n" for level in range(depth))
    # One paragraph at the bottom, over lines, lazily continued, then a second one.
    marks = "> " * depth
    return (f"{marks}Ganz unten. Zweiter Satz\n{marks}über zwei Zeilen.\nFaul fortgesetzt.\n"
            f"{marks.rstrip()}\n{marks}Ein neuer Absatz.\n")


@pytest.mark.parametrize("depth", [25, 100, 300])
@pytest.mark.parametrize("kind", ["quotes", "lists", "mixed", "bottom"])
def test_nothing_nested_deeply_vanishes_from_the_catalog(kind: str, depth: int) -> None:
    from l10n.catalog.template import template

    source = _deep(kind, depth)
    doc = parse(source, Path("deep.md"))
    msgids = {entry.msgid for entry in template(doc, project="deep")}
    if kind == "bottom":
        assert msgids == {"Ganz unten.", "Zweiter Satz über zwei Zeilen.", "Faul fortgesetzt.",
                          "Ein neuer Absatz."}
    else:
        word = {"quotes": "Satz", "lists": "Punkt", "mixed": "Zitat"}[kind]
        assert msgids == {f"{word} auf Ebene {level}." for level in range(depth)}
    assert doc.render(lambda t: t) == source
    assert doc.render(lambda t: None) == source
    translated = doc.render(lambda t: t.upper())
    assert translated.count("EBENE") == source.count("Ebene")
    for _, seg in doc.segments():
        assert seg.raw.split()[0] in source.splitlines()[seg.line - 1]


def test_empty_containers_and_definitions_in_items_stay_verbatim() -> None:
    source = "-\n- [ref]: https://example.org/ref\n>\n\nEin Satz.\n"
    doc = parse(source, Path("a.md"))
    assert [s.text for _, s in doc.segments()] == ["Ein Satz."]
    assert doc.render(lambda t: t) == source
