"""Markup-safe drafts: markup out before the engine, back in after, always well-formed."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from l10n.catalog.model import REVIEW, Provenance, fill, provenance, settle, status
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumps
from l10n.checks.markup import check_markup
from l10n.checks.registry import CheckContext
from l10n.cli import app
from l10n.commands import translate as tr
from l10n.engines import Translation
from l10n.engines.cache import MTCache
from l10n.markup import restore
from l10n.markup.inline import Mark, Syntax, parse, shape
from l10n.markup.place import place, words
from l10n.project import load_project

runner = CliRunner()


def diagonal(n_tgt: int, n_src: int, pairs: Sequence[tuple[int, int]] | None = None
             ) -> tuple[tuple[float, ...], ...]:
    """Attention putting all weight of target word t on source word s for each (t, s)."""
    rows = [[0.0] * n_src for _ in range(n_tgt)]
    for t, s in pairs if pairs is not None else [(i, i) for i in range(min(n_tgt, n_src))]:
        rows[t][s] = 1.0
    return tuple(tuple(r) for r in rows)


def placed(source: str, target: str, pairs: Sequence[tuple[int, int]] | None = None,
           syntax: Syntax = "markdown") -> tuple[str, tuple[str, ...]]:
    marked = parse(source, syntax)
    attention = diagonal(len(words(target)), len(words(marked.plain)), pairs)
    result = place(marked, target, attention)
    return result.text, result.notes


# --- taking markup out -------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "syntax", "plain", "marks"), [
    ("Ich nutze [Google](https://g.de) *jeden* Tag.", "markdown",
     "Ich nutze Google jeden Tag.", [("link", "Google"), ("emphasis", "jeden")]),
    ("Die **neue** Regel von `Faeser`.", "markdown",
     "Die neue Regel von Faeser.", [("strong", "neue"), ("code", "Faeser")]),
    ("***a*** und _b_ aber snake_case", "markdown", "a und b aber snake_case",
     [("emphasis", "a"), ("strong", "a"), ("emphasis", "b")]),
    (r"Ein \*Stern\* und 5 * 3", "markdown", "Ein *Stern* und 5 * 3", []),
    ("Mehr unter <https://x.de> und jeden<br>Tag.", "markdown", "Mehr unter  und jeden Tag.",
     [("atom", ""), ("atom", "")]),
    ("Quer *a <b>b* c</b> d", "markdown", "Quer a b c d",
     [("emphasis", "a b"), ("atom", ""), ("atom", "")]),
    ('Ich nutze <a href="x">Google</A> jeden Tag &amp; 10&nbsp;km, *nicht* fett.', "html",
     "Ich nutze Google jeden Tag & 10\xa0km, *nicht* fett.", [("element", "Google")]),
    ("Der Wert <code>a &lt; b</code> gilt.", "html", "Der Wert a &lt; b gilt.",
     [("code", "a &lt; b")]),
    ("Kein Markup, nur Text.", "html", "Kein Markup, nur Text.", []),
    # A quoted attribute value may hold ">" and "<": the tag goes on to its real end.
    ('Der <abbr title="Vertrag über > 10 Staaten">OVKS</abbr>-Gipfel.', "html",
     "Der OVKS-Gipfel.", [("element", "OVKS")]),
    ("Der <a title='x > y' href=\"u\">Link</a> und <b title=\"a<b\">das</b>.", "markdown",
     "Der Link und das.", [("element", "Link"), ("element", "das")]),
])
def test_markup_is_taken_out(source: str, syntax: Syntax, plain: str,
                             marks: list[tuple[str, str]]) -> None:
    marked = parse(source, syntax)
    assert marked.plain == plain
    assert [(m.kind, marked.plain[m.start:m.end]) for m in marked.walk()] == marks


_MD = MarkdownIt("commonmark")


def _emphasis_texts(marks: tuple[Mark, ...], plain: str) -> list[tuple[str, str]]:
    out = []
    for mark in marks:
        if mark.kind in ("emphasis", "strong"):
            out.append((mark.kind, plain[mark.start:mark.end]))
        out.extend(_emphasis_texts(mark.children, plain))
    return out


def _reference_emphasis(text: str) -> list[tuple[str, str]]:
    """What markdown-it finds: (em or strong, its text content), in document order."""
    tokens = _MD.parseInline(text)[0].children or []
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, list[str]]] = []
    for token in tokens:
        if token.type in ("em_open", "strong_open"):
            stack.append(("emphasis" if token.type == "em_open" else "strong", []))
            found.append(("", ""))
            stack[-1][1].append(str(len(found) - 1))
        elif token.type in ("em_close", "strong_close"):
            kind, parts = stack.pop()
            index = int(parts[0])
            content = "".join(parts[1:])
            found[index] = (kind, content)
            if stack:
                stack[-1][1].append(content)
        elif token.type == "text" and stack:
            stack[-1][1].append(token.content)
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Wort", "zwei", " ", "*", "**", "_", "__", ",", "x_y"]),
                min_size=1, max_size=12))
def test_emphasis_is_found_as_commonmark_finds_it(pieces: list[str]) -> None:
    text = "".join(pieces).strip() or "Wort"
    marked = parse(text, "markdown")
    assert _emphasis_texts(marked.marks, marked.plain) == _reference_emphasis(text), text


# --- putting it back: hand-made alignments -----------------------------------------------------

@pytest.mark.parametrize(("source", "target", "pairs", "syntax", "expected"), [
    ("Ich nutze [Google](https://g.de) *jeden* Tag.", "I use Google every day.", None,
     "markdown", "I use [Google](https://g.de) *every* day."),
    # Reordered: the emphasis follows its word to the front.
    ("Er sagte *gestern*, dass", "Yesterday he said that", [(0, 2), (1, 0), (2, 1), (3, 3)],
     "markdown", "*Yesterday* he said that"),
    # One word becomes two: the span covers both.
    ("Die **Zentralbank** senkte den Leitzins.", "The central bank cut the key rate.",
     [(0, 0), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 4)], "markdown",
     "The **central bank** cut the key rate."),
    # Punctuation stays outside the span unless the source span held it.
    ("Ein guter *Krieg*.", "A good war.", None, "markdown", "A good *war*."),
    ("„*Es gibt keinen Weg.*“", "“There is no way.”", None, "markdown",
     "“*There is no way.*”"),
    # Nested marks stay nested, the child inside its parent.
    ("Die **[Agentur *Kazinform*](https://e.org)** meldete.",
     "The agency Kazinform reported.", None, "markdown",
     "The **[agency *Kazinform*](https://e.org)** reported."),
    # Code is written back untranslated in place of the words it became.
    ("Siehe `config.toml` für Details.", "See config.toml for details.", None, "markdown",
     "See `config.toml` for details."),
    # Atoms keep their spacing: glued stays glued.
    ("Mehr unter <https://x.de> und jeden<br>Tag.", "More at and every day.", None,
     "markdown",
     "More at <https://x.de> and every<br>day."),
    # An atom right before the sentence's (or a clause's) punctuation goes after the word
    # before it, before that word's punctuation: not before the last word.
    ("Mehr Infos gibt es unter <https://x.de>.", "More info is available at.", None,
     "markdown", "More info is available at <https://x.de>."),
    ("Mehr **unter** <https://x.de>.", "More at.", None, "markdown",
     "More **at** <https://x.de>."),
    ("Siehe <https://x.de>, dann weiter.", "Then go on, see.", None, "markdown",
     "Then <https://x.de> go on, see."),
    ("Das Bild <img src=x>.", "The picture.", None, "html", "The picture <img src=x>."),
    # HTML: attributes, case and entities as in the source; raw & and < escaped.
    ('Ich nutze <A HREF="x">Google</A> jeden Tag &amp; 10&nbsp;km.',
     "I use Google every day & 10\xa0km.", None, "html",
     'I use <A HREF="x">Google</A> every day &amp; 10&nbsp;km.'),
    ("Die Regel <b>a<br>b</b> gilt.", "The rule a b applies.", None, "html",
     "The rule <b>a<br>b</b> applies."),
    ('Der <abbr title="Vertrag über > 10 Staaten">OVKS</abbr>-Gipfel tagt.',
     "The CSTO summit meets.", None, "html",
     'The <abbr title="Vertrag über > 10 Staaten">CSTO</abbr> summit meets.'),
    # A stray tag stays standalone where its neighbour went.
    ("Ein <b>kaputtes Beispiel", "A broken example", None, "html", "A <b>broken example"),
])
def test_markup_is_put_back_on_the_aligned_words(source: str, target: str,
                                                 pairs: list[tuple[int, int]] | None,
                                                 syntax: Syntax, expected: str) -> None:
    text, notes = placed(source, target, pairs, syntax)
    assert text == expected
    assert notes == ()


@pytest.mark.parametrize(("source", "syntax"), [
    ("*Hallo* Welt.", "markdown"), ("[Link](u)", "markdown"),
    ("<b>Hallo</b> <i>Welt</i> <code>x</code>.", "html")])
def test_an_empty_translation_gets_no_markup_of_its_own(source: str, syntax: Syntax) -> None:
    # Not "** " (no emphasis, and a trailing space): nothing, which stays untranslated.
    result = place(parse(source, syntax), "", None)
    assert result.text == ""
    assert result.notes == ("the translation has no words: its markup is left out",)


def test_a_span_the_alignment_cannot_find_covers_the_sentence_and_says_so() -> None:
    source = "Das ist ein **wichtiger** Schritt."
    marked = parse(source, "markdown")
    # Attention on nothing at all, and no word written alike: nothing says where it went.
    attention = tuple(tuple(0.0 for _ in words(marked.plain)) for _ in range(5))
    result = place(marked, "This is an important step.", attention)
    assert "**" in result.text and result.text.count("**") == 2
    assert well_formed(source, result.text, "markdown")


def test_no_attention_places_by_words_and_positions_and_says_so() -> None:
    result = place(parse("Die Hauptstadt von **Kasachstan** ist Astana.", "markdown"),
                   "The capital of Kazakhstan is Astana.", None)
    assert result.text == "The capital of **Kazakhstan** is Astana."  # written alike
    assert result.notes == ("markup placed without the engine's word alignment",)


def test_siblings_with_one_word_between_them_nest_and_say_so() -> None:
    text, notes = placed("**Guten** *Morgen*", "Hello", [(0, 0)])
    assert text == "***Hello***"  # the emphasis inside the strong one: never empty, never lost
    # (CommonMark reads "***" as emphasis around strong: the note says to look.)
    assert notes[0] == "markup *…* shares the words of **…**"


# --- always well-formed: any sentence, any markup, any attention ------------------------------

def flat(marks: tuple[Mark, ...]) -> list[tuple[str, str, str]]:
    return sorted(x for m in marks for x in [(m.kind, m.open, m.close + m.content),
                                             *flat(m.children)])


def well_formed(msgid: str, draft: str, syntax: Syntax, *, nested: bool = True) -> bool:
    """The draft holds the msgid's marks (nested the same way, unless `nested` is False),
    and the markup QA check agrees."""
    source, result = parse(msgid, syntax).marks, parse(draft, syntax).marks
    same = shape(source) == shape(result) if nested else flat(source) == flat(result)
    return same and check_markup(msgid, draft, CheckContext(markup=syntax)) is None


_WORDS = st.sampled_from(["Die", "Regierung", "hat", "am", "10.", "Mai", "„Nein“", "gesagt,",
                          "Kasachstan", "und", "Russland", "(OVKS)", "wird", "es", "geben."])
_MD_WRAPS = [("**", "**"), ("*", "*"), ("_", "_"), ("[", "](https://e.org/x)"),
             ("![", "](bild.png)"), ("`", "`"), ("<b>", "</b>"), ('<a href="/y">', "</a>")]
_HTML_WRAPS = [("<b>", "</b>"), ("<em>", "</em>"), ('<a href="/y" class="c">', "</a>"),
               ("<code>", "</code>"), ("<span lang=en>", "</span>"), ("<q>", "</q>")]
_MD_ATOMS = ["<br>", "<https://e.org>", "<!-- x -->"]
_HTML_ATOMS = ["<br>", "<br/>", '<img src="a.png" alt="">', "&nbsp;", "&amp;"]


# Words a translation copies: the generated in-word markup can find its word again.
_COPIES = st.sampled_from(["Regierung", "Kasachstan", "Russland"])


@st.composite
def marked_sentences(draw: Callable[..., object]) -> tuple[str, Syntax]:
    syntax: Syntax = draw(st.sampled_from(["markdown", "html"]))  # type: ignore[assignment]
    tokens: list[str] = draw(st.lists(_WORDS, min_size=2, max_size=10))  # type: ignore[assignment]
    wraps = _MD_WRAPS if syntax == "markdown" else _HTML_WRAPS
    atoms = _MD_ATOMS if syntax == "markdown" else _HTML_ATOMS
    for _ in range(draw(st.integers(0, 4))):  # type: ignore[call-overload]
        start = draw(st.integers(0, len(tokens) - 1))  # type: ignore[call-overload]
        end = draw(st.integers(start + 1, len(tokens)))  # type: ignore[call-overload]
        what = draw(st.sampled_from(["atom", "span", "span", "in a word"]))
        if what == "atom":
            tokens.insert(start, draw(st.sampled_from(atoms)))  # type: ignore[arg-type]
            continue
        token = tokens[start]
        if what == "in a word" and token.isalpha() and len(token) > 3:
            cut = draw(st.integers(1, len(token) - 2))  # type: ignore[call-overload]
            opening, closing = draw(st.sampled_from(wraps))  # type: ignore[misc]
            tokens[start] = f"{token[:cut]}{opening}{token[cut:cut + 2]}{closing}{token[cut + 2:]}"
            continue
        inner = " ".join(tokens[start:end])
        if "`" in inner or "<code>" in inner:
            continue  # code holds no markup
        opening, closing = draw(st.sampled_from(wraps))  # type: ignore[misc]
        tokens[start:end] = [f"{opening}{inner}{closing}"]
    return " ".join(tokens), syntax


# Derandomized: CI gets the same 600 examples every run (random seeds are for exploring:
# pytest --hypothesis-seed=N); cases found that way are pinned in the table below.
@settings(max_examples=600, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(marked_sentences(), st.lists(_WORDS | _COPIES, min_size=1, max_size=12), st.randoms())
def test_every_draft_holds_the_msgid_markup_nested_as_in_the_msgid(
        case: tuple[str, Syntax], target_words: list[str], rng) -> None:  # type: ignore[no-untyped-def]
    msgid, syntax = case
    marked = parse(msgid, syntax)
    assume("](" not in marked.plain)  # a link in a link is text that only looks like one
    target = " ".join(target_words)
    n_src = len(words(marked.plain))
    attention = tuple(tuple(rng.random() for _ in range(n_src)) for _ in target_words) \
        if n_src and rng.random() < 0.8 else None
    result = restore([(marked, target, attention)])[0]
    # Only where the translation has fewer words than the marks need may one nest in another.
    shared = any("shares the words" in note for note in result.notes)
    unsure = any("may not read as in the source" in note for note in result.notes)
    assert unsure or well_formed(msgid, result.text, syntax, nested=not shared), \
        (msgid, result.text)
    # The translation's words are all there (code stands in for the words it became).
    assert "".join(parse(result.text, syntax).plain.split()) == "".join(
        parse(" ".join(target_words), syntax).plain.split()) or unsure or \
        any(m.verbatim for m in marked.walk())


# --- the translate step ------------------------------------------------------------------------

@dataclass
class RecordingEngine:
    """Translates word by word with a table, with diagonal attention; records its input."""

    name: str = "fake"
    version: str = "1"
    label: str = "fake engine 1"
    cache_key: str = "fake/1"
    keeps_markup: bool = False
    seen: list[str] = field(default_factory=list)
    aligned: list[bool] = field(default_factory=list)

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None,
                        align: bool = False) -> list[Translation]:
        self.seen.extend(texts)
        self.aligned.append(align)
        table = {"Ich": "I", "nutze": "use", "jeden": "every", "Tag.": "day.",
                 "Siehe": "See", "die": "the", "Agentur.": "agency.", "und": "and",
                 "Das": "This", "ist": "is", "neu.": "new."}
        out = []
        for text in texts:
            words_out = [table.get(w, w) for w in text.split()]
            attention = diagonal(len(words_out), len(text.split())) if align else None
            out.append(Translation(" ".join(words_out), 0.9, attention))
        return out


@dataclass
class BlindEngine(RecordingEngine):
    """The same translations without attention: markup placed by words alone."""

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: Callable[[int], None] | None = None,
                        align: bool = False) -> list[Translation]:
        return [Translation(r.text, r.score, None)
                for r in super().translate_batch(texts, align=align)]


ARTICLE = ("# Titel\n\nIch nutze [Google](https://g.de \"G\") *jeden* Tag.\n\n"
           "Siehe <https://e.org> und die **Agentur**.\n\nDas ist neu.\n")


def md_project(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    assert runner.invoke(app, ["extract", "--project", str(tmp_path)]).exit_code == 0
    return tmp_path


def translate(project: Path, engine: RecordingEngine) -> tr.Report:
    proj = load_project(project)
    return tr.apply(proj, tr.plan(proj, tr.Options()), lambda s, t: engine, cache=MTCache())


def test_the_engine_sees_plain_sentences_and_drafts_keep_the_markup(tmp_path: Path) -> None:
    project = md_project(tmp_path)
    engine = RecordingEngine()
    translate(project, engine)
    assert not any(re.search(r"[*\[\]<>]|https?:", text) for text in engine.seen), engine.seen
    assert "Ich nutze Google jeden Tag." in engine.seen
    po = {e.msgid: e for e in load(project / "locales" / "en" / "a.po")}
    assert po['Ich nutze [Google](https://g.de "G") *jeden* Tag.'].msgstr == \
        'I use [Google](https://g.de "G") *every* day.'
    assert po["Siehe <https://e.org> und die **Agentur**."].msgstr == \
        "See <https://e.org> and the **agency**."
    assert po["Das ist neu."].msgstr == "This is new."
    assert engine.aligned == [False, True]  # attention asked for sentences with markup only
    for entry in po.values():
        assert status(entry) == "draft" and REVIEW not in entry.tcomment


def test_one_sentence_in_an_html_and_a_markdown_article_is_taken_apart_for_each(
        tmp_path: Path) -> None:
    # "*" is emphasis in Markdown only; the HTML article comes first in the batch.
    project = md_project(tmp_path)
    sentence = "Ich nutze *jeden* <b>Tag</b>."
    (project / "corpus" / "a.md").write_text(f"{ARTICLE}\n{sentence}\n", encoding="utf-8")
    (project / "corpus" / "0.html").write_text(f"<p>{sentence}</p>\n<p>Das ist neu.</p>\n",
                                               encoding="utf-8")
    result = runner.invoke(app, ["extract", "--project", str(project), "--force"])
    assert result.exit_code == 0, result.output
    engine = RecordingEngine()
    translate(project, engine)
    assert {"Ich nutze jeden Tag.", "Ich nutze *jeden* Tag."} <= set(engine.seen)
    drafts = {path.name: {e.msgid: e.msgstr for e in load(path)}[sentence]
              for path in (project / "locales" / "en").glob("*.po")}
    assert drafts == {"a.po": "I use *every* <b>day</b>.", "0.po": "I use *jeden* <b>day</b>."}


def test_a_rerun_takes_plain_translations_and_attention_from_the_cache(tmp_path: Path) -> None:
    project = md_project(tmp_path)
    translate(project, RecordingEngine())
    for path in (project / "locales").rglob("*.po"):
        path.unlink()
    assert runner.invoke(app, ["extract", "--project", str(project)]).exit_code == 0
    again = RecordingEngine()
    report = translate(project, again)
    assert again.seen == [] and report.from_cache == 4


def test_a_draft_whose_markup_was_placed_unsure_is_marked_for_review(tmp_path: Path) -> None:
    project = md_project(tmp_path)

    translate(project, BlindEngine())
    path = project / "locales" / "en" / "a.po"
    po = load(path)
    entry = next(e for e in po if e.msgid.startswith("Ich nutze"))
    assert f"{REVIEW} markup placed without the engine's word alignment." in entry.tcomment
    assert status(entry) == "draft" and provenance(entry) is not None
    # Once a translator approves the draft, the note goes with the provenance.
    entry.flags.remove("fuzzy")
    settle(po)
    assert REVIEW not in entry.tcomment and status(entry) == "reviewed"
    assert "msgstr" in dumps(po)


def test_a_long_review_note_wrapped_by_babel_goes_whole_when_the_draft_is_approved() -> None:
    from babel.messages.pofile import read_po, write_po

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    entry = polib.POEntry(msgid="Er sagte <em>das <strong>nicht</strong></em>.",
                          occurrences=[("corpus/a.html", "3")])
    po.append(entry)
    # 77 columns: Babel wraps it.
    fill(entry, "He said <em>it <strong>not</strong></em>.", Provenance("fake engine 1"),
         notes=["markup <strong> put around its parent's words (alignment unsure)"])
    entry.tcomment += "\nAsk the desk."  # a translator's own comment stays
    cat = read_po(io.BytesIO(dumps(po).encode()))
    for message in cat:
        message.flags.discard("fuzzy")  # approved in a Babel-based editor
    out = io.BytesIO()
    write_po(out, cat)
    assert b"\n# unsure).\n" in out.getvalue()
    approved = polib.pofile(out.getvalue().decode())
    settle(approved)
    assert approved[0].tcomment == "l10n-history: drafted by fake engine 1\nAsk the desk."


def test_a_review_note_leaves_a_translator_comment_after_it_alone() -> None:
    entry = polib.POEntry(msgid="a", msgstr="b", tcomment=(
        "l10n-mt: x 1; digest 00000000-00000000\nl10n-review: markup placed without the "
        "engine's word alignment\nshort line\nChecked."))
    settle([entry])
    assert entry.tcomment == "l10n-history: drafted by x 1\nshort line\nChecked."


def test_pseudo_localization_keeps_markup_itself(tmp_path: Path) -> None:
    project = md_project(tmp_path)
    result = runner.invoke(app, ["translate", "--project", str(project), "--engine", "pseudo"])
    assert result.exit_code == 0, result.output
    entry = next(e for e in load(project / "locales" / "en" / "a.po")
                 if e.msgid.startswith("Ich nutze"))
    assert '](https://g.de "G")' in entry.msgstr and entry.msgstr.count("*") == 2


def test_attention_survives_the_cache() -> None:
    cache = MTCache()
    attention = ((0.5, 0.5, 0.0), (0.0, 0.25, 0.75))
    cache.put_many("k", [("a b c", Translation("x y", 0.5, attention)),
                         ("d", Translation("z", None))])
    plain = cache.get_many("k", ["a b c", "d"])
    assert plain["a b c"].text == "x y" and plain["d"].attention is None
    found = cache.get_many("k", ["a b c", "d"], align=True)
    assert list(found) == ["a b c"]  # a translation stored without attention is not enough
    assert found["a b c"].attention is not None
    assert [[round(w, 2) for w in row] for row in found["a b c"].attention] == \
        [[0.5, 0.5, 0.0], [0.0, 0.25, 0.75]]


def test_code_the_alignment_cannot_find_stands_beside_the_words_not_over_them() -> None:
    source = "Siehe `config.toml` hier."
    marked = parse(source, "markdown")
    # The code's word aligns to nothing in a translation of other words.
    attention = diagonal(4, 3, [(0, 0), (1, 2), (2, 2), (3, 2)])
    result = place(marked, "Look at it here.", attention)
    assert "`config.toml`" in result.text
    assert all(w in result.text for w in ("Look", "at", "it", "here."))


def test_an_aligned_translation_the_engine_had_no_attention_for_is_cached_as_such() -> None:
    # "Wort\u200bmit": SentencePiece's words are not the text's; the engine gives no
    # attention, and a rerun must still find the translation instead of asking again.
    cache = MTCache()
    cache.put_many("k", [("Wort\u200bmit *x*", Translation("word with x", 0.5, None))],
                   align=True)
    found = cache.get_many("k", ["Wort\u200bmit *x*"], align=True)
    assert found == {"Wort\u200bmit *x*": Translation("word with x", 0.5, None)}


@pytest.mark.parametrize(("source", "target", "pairs", "syntax", "expected"), [
    # A word the translation copied keeps the markup inside it, as the source had it.
    ("Der H<sub>2</sub>O-Gehalt steigt.", "The H2O-Gehalt rises.", None, "html",
     "The H<sub>2</sub>O-Gehalt rises."),
    ("Die Formel mc<sup>2</sup> gilt.", "The formula mc2 applies.", None, "html",
     "The formula mc<sup>2</sup> applies."),
    ("Die **Haupt**stadt ist **H<sub>2</sub>O**.", "The Hauptstadt is H2O.", None,
     "markdown", "The **Haupt**stadt is **H<sub>2</sub>O**."),
    # A word of code and symbols is code, whatever the engine made of it.
    ("Drücken Sie `Strg`+`C` jetzt.", "Press Ctrl+C now.", [(0, 0), (1, 2), (2, 3)],
     "markdown", "Press `Strg`+`C` now."),
])
def test_markup_inside_a_word(source: str, target: str, pairs: list[tuple[int, int]] | None,
                              syntax: Syntax, expected: str) -> None:
    assert placed(source, target, pairs, syntax) == (expected, ())


def test_markup_inside_a_word_the_translation_changed_goes_around_it_and_says_so() -> None:
    text, notes = placed("Der H<sub>2</sub>O-Gehalt steigt.", "The water content rises.",
                         [(0, 0), (1, 1), (2, 1), (3, 2)], "html")
    assert text.count("<sub>") == 1 and text.count("</sub>") == 1
    assert notes == ("markup inside the word 'H2O-Gehalt' put around the whole word",)


@pytest.mark.parametrize(("msgid", "target", "attention_seed"), [
    # Found by the property above: a tag pair with an autolink between its tags was read
    # as two stray tags, which the translation could then put in the wrong order.
    ("<b><https://e.org> Die Die Die Die Die Die</b> Die", "Regierung Die", 4),
    # Stray tags keep their order whatever the alignment says.
    ("Ein </i> kaputter <i> Satz", "A sentence broken", 1),
    ("Ein </i> kaputter <i> Satz", "A sentence broken", 2),
])
def test_found_cases_stay_well_formed(msgid: str, target: str, attention_seed: int) -> None:
    import random

    rng = random.Random(attention_seed)
    marked = parse(msgid, "markdown")
    attention = tuple(tuple(rng.random() for _ in words(marked.plain))
                      for _ in words(target))
    result = restore([(marked, target, attention)])[0]
    assert well_formed(msgid, result.text, "markdown"), result.text


def test_the_review_sheet_shows_what_a_draft_asks_the_reviewer_to_check(
        tmp_path: Path) -> None:
    from l10n.catalog.model import review_notes

    project = md_project(tmp_path)

    translate(project, BlindEngine())
    entry = next(e for e in load(project / "locales" / "en" / "a.po")
                 if e.msgid.startswith("Ich nutze"))
    assert review_notes(entry) == ["markup placed without the engine's word alignment."]
    result = runner.invoke(app, ["build", "--project", str(project), "--edition", "html",
                                 "--include-fuzzy"])
    assert result.exit_code == 0, result.output
    sheet = (project / "editions" / "en" / "a.review.html").read_text(encoding="utf-8")
    # Both sentences with markup were placed without attention: a note on each row.
    assert sheet.count("markup placed without the engine&#39;s word alignment.") == 2


def test_a_review_note_an_editor_wrapped_reads_as_one_line() -> None:
    from l10n.catalog.model import review_notes

    @dataclass
    class Entry:
        tcomment: str

    wrapped = ("l10n-mt: x 1; digest 00000000-00000000\n"
               "l10n-review: markup <strong> put around the whole sentence (alignment\n"
               "unsure).\nA translator's own remark.")
    assert review_notes(Entry(wrapped)) == [  # type: ignore[arg-type]
        "markup <strong> put around the whole sentence (alignment unsure)."]
