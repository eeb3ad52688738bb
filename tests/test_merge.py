"""msgmerge semantics on realistic edits of an article."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from l10n.catalog.merge import merge
from l10n.catalog.model import Provenance, fill, status
from l10n.catalog.template import template
from l10n.readers import parse

ARTICLE = """Kasachstan distanziert sich

Kasachstan lehnt ein Ersuchen ab. Die Reaktion wird positiv aufgenommen.

Der Präsident rief zu einer Verhandlungslösung auf.
"""


def _pot(text: str) -> polib.POFile:
    return template(parse(text, Path("corpus/a.txt")), project="a")


def _translated(text: str) -> polib.POFile:
    """A catalog where a human translated every sentence as 'EN: <source>'."""
    po = merge(_pot(text), None, lang="en")
    for entry in po:
        entry.msgstr = f"EN: {entry.msgid}"
        entry.tcomment = "checked by Anna"
    return po


def _by_id(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in po if not e.obsolete}


def test_fresh_catalog_has_header_and_empty_entries() -> None:
    po = merge(_pot(ARTICLE), None, lang="en")
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["X-Generator"].startswith("l10n ")
    assert [e.msgstr for e in po] == ["", "", "", ""]
    assert po[1].occurrences == [("corpus/a.txt", "3")]
    assert po[1].comment == "paragraph"


def test_unchanged_sentences_keep_translations_and_comments() -> None:
    old = _translated(ARTICLE)
    new = merge(_pot(ARTICLE), old, lang="en")
    assert [(e.msgid, e.msgstr, e.tcomment) for e in new] == \
        [(e.msgid, e.msgstr, e.tcomment) for e in old]
    assert not new.obsolete_entries()


def test_edited_sentence_becomes_fuzzy_with_previous_msgid() -> None:
    old = _translated(ARTICLE)
    edited = ARTICLE.replace("ein Ersuchen ab", "ein neues Ersuchen ab")
    entry = _by_id(merge(_pot(edited), old, lang="en"))["Kasachstan lehnt ein neues Ersuchen ab."]
    assert "fuzzy" in entry.flags
    assert entry.msgstr == "EN: Kasachstan lehnt ein Ersuchen ab."
    assert entry.previous_msgid == "Kasachstan lehnt ein Ersuchen ab."
    assert entry.tcomment == "checked by Anna"
    assert status(entry) == "fuzzy"


def test_twice_edited_sentence_keeps_the_original_previous_msgid() -> None:
    old = _translated(ARTICLE)
    once = merge(_pot(ARTICLE.replace("Ersuchen", "neues Ersuchen")), old, lang="en")
    twice = merge(_pot(ARTICLE.replace("Ersuchen", "ganz neues Ersuchen")), once, lang="en")
    entry = _by_id(twice)["Kasachstan lehnt ein ganz neues Ersuchen ab."]
    assert entry.previous_msgid == "Kasachstan lehnt ein Ersuchen ab."


def test_deleted_sentence_becomes_obsolete_and_comes_back() -> None:
    old = _translated(ARTICLE)
    shorter = ARTICLE.replace(" Die Reaktion wird positiv aufgenommen.", "")
    merged = merge(_pot(shorter), old, lang="en")
    obsolete = merged.obsolete_entries()
    assert [e.msgid for e in obsolete] == ["Die Reaktion wird positiv aufgenommen."]
    assert obsolete[0].msgstr == "EN: Die Reaktion wird positiv aufgenommen."
    revived = merge(_pot(ARTICLE), merged, lang="en")
    entry = _by_id(revived)["Die Reaktion wird positiv aufgenommen."]
    assert entry.msgstr == "EN: Die Reaktion wird positiv aufgenommen."
    assert not revived.obsolete_entries()


def test_untranslated_removed_sentence_is_dropped() -> None:
    old = merge(_pot(ARTICLE), None, lang="en")
    merged = merge(_pot(ARTICLE.replace(" Die Reaktion wird positiv aufgenommen.", "")), old,
                   lang="en")
    assert not merged.obsolete_entries()


def test_reordered_paragraphs_keep_everything() -> None:
    old = _translated(ARTICLE)
    head, p1, p2 = ARTICLE.split("\n\n")
    reordered = "\n\n".join([head, p2.rstrip("\n"), p1]) + "\n"
    merged = merge(_pot(reordered), old, lang="en")
    assert all(e.msgstr == f"EN: {e.msgid}" for e in merged)
    assert not merged.obsolete_entries()
    assert [e.msgid for e in merged][1] == "Der Präsident rief zu einer Verhandlungslösung auf."
    assert merged[1].occurrences == [("corpus/a.txt", "3")]


def test_duplicated_sentence_is_one_entry_with_two_references() -> None:
    doubled = ARTICLE + "\nDer Präsident rief zu einer Verhandlungslösung auf.\n"
    pot = _pot(doubled)
    entry = _by_id(pot)["Der Präsident rief zu einer Verhandlungslösung auf."]
    assert entry.occurrences == [("corpus/a.txt", "5"), ("corpus/a.txt", "7")]
    merged = merge(pot, _translated(ARTICLE), lang="en")
    assert _by_id(merged)[entry.msgid].msgstr == f"EN: {entry.msgid}"


def test_machine_draft_provenance_survives_merge() -> None:
    old = merge(_pot(ARTICLE), None, lang="en")
    entry = old[1]
    entry.msgstr = "Kazakhstan rejects a request."
    entry.flags = ["fuzzy"]
    fill(entry, entry.msgstr, Provenance("argos translate-de_en 1.9", 0.81))
    new = merge(_pot(ARTICLE), old, lang="en")
    assert status(new[1]) == "draft"
    assert new[1].tcomment.startswith("l10n-mt: argos translate-de_en 1.9; score 0.810; digest ")


def test_header_keeps_translator_fields() -> None:
    old = _translated(ARTICLE)
    old.metadata["Last-Translator"] = "Anna <anna@example.org>"
    old.metadata["PO-Revision-Date"] = "2026-11-01 10:00+0000"
    new = merge(_pot(ARTICLE), old, lang="en")
    assert new.metadata["Last-Translator"] == "Anna <anna@example.org>"
    assert new.metadata["PO-Revision-Date"] == "2026-11-01 10:00+0000"


def test_a_reverted_edit_stays_fuzzy_until_a_human_approves() -> None:
    old = _translated(ARTICLE)
    edited = merge(_pot(ARTICLE.replace("Ersuchen", "neues Ersuchen")), old, lang="en")
    back = merge(_pot(ARTICLE), edited, lang="en")
    entry = _by_id(back)["Kasachstan lehnt ein Ersuchen ab."]
    assert "fuzzy" in entry.flags and entry.previous_msgid == entry.msgid  # as msgmerge
    assert entry.msgstr == "EN: Kasachstan lehnt ein Ersuchen ab."


@pytest.mark.parametrize("before", ["draft", "human fuzzy"])
def test_a_change_and_back_never_approves_unreviewed_text(before: str) -> None:
    old = merge(_pot(ARTICLE), None, lang="en")
    entry = old[1]
    if before == "draft":
        fill(entry, "Kazakhstan rejects a request.", Provenance("argos x 1.0", 0.8))
    else:
        entry.msgstr, entry.flags = "Kazakhstan rejects (unfinished)", ["fuzzy"]
    edited = merge(_pot(ARTICLE.replace("Ersuchen", "neues Ersuchen")), old, lang="en")
    back = merge(_pot(ARTICLE), edited, lang="en")
    expected = "draft" if before == "draft" else "fuzzy"
    assert status(_by_id(back)["Kasachstan lehnt ein Ersuchen ab."]) == expected


def test_entries_a_translator_added_are_left_as_they_are() -> None:
    old = _translated(ARTICLE)
    added = [polib.POEntry(msgid="one year", msgid_plural="%d years",
                           msgstr_plural={0: "ein Jahr", 1: "%d Jahre"}),
             polib.POEntry(msgid="Kasachstan lehnt ein Ersuchen ab.", msgctxt="headline",
                           msgstr="Kazakhstan says no", flags=["fuzzy"]),
             polib.POEntry(msgid="Impressum", msgstr="Imprint", occurrences=[("site.html", "")])]
    old.extend(added)
    merged = merge(_pot(ARTICLE), old, lang="en")
    assert not merged.obsolete_entries()
    kept = [e for e in merged if e.msgid_plural or e.msgctxt or e.msgid == "Impressum"]
    assert [(e.msgid, e.msgctxt, e.msgstr, e.msgstr_plural, e.flags) for e in kept] == \
        [(e.msgid, e.msgctxt, e.msgstr, e.msgstr_plural, e.flags) for e in added]
    # The article's entry with the same msgid is still the article's own.
    (ours,) = [e for e in merged if e.msgid == "Kasachstan lehnt ein Ersuchen ab."
               and e.msgctxt is None]
    assert ours.msgstr == "EN: Kasachstan lehnt ein Ersuchen ab."
