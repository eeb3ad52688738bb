"""msgmerge semantics: bring a language's catalog up to date with its template.

- an unchanged sentence keeps its translation, flags and translator comments;
- a changed sentence is matched to the most similar translated old entry (similarity
  ≥ 0.6, gettext's threshold) and becomes fuzzy with the old translation as a draft and
  the old source as `#| msgid`;
- an old translated entry nobody matched becomes obsolete (`#~`), so no work is lost;
  an obsolete entry whose sentence comes back is revived;
- entries a translator added (see `model.belongs`) stay as they are, after the article's;
- the header is the old catalog's, as msgmerge keeps it: only POT-Creation-Date follows
  the template, and fields the catalog lacks are added.

The old catalog is settled first (`model.settle`): a draft a human approved or edited
must not turn back into a machine draft when its source changes.
"""

from __future__ import annotations

from difflib import SequenceMatcher

import polib

from l10n.catalog.model import (
    DISPLACED,
    belongs,
    forms,
    one_line,
    owner_of,
    plain,
    settle,
    translated,
)
from l10n.catalog.template import GENERATOR_NAME, STAMP
from l10n.langcodes import base_language

FUZZY_THRESHOLD = 0.6

PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ja": "nplurals=1; plural=0;",
    "zh": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
          "? 1 : 2);",
}


def merge(pot: polib.POFile, old: polib.POFile | None, *, lang: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=79)
    po.metadata = _header(pot, old, lang)
    if old is None:
        po.header = pot.header
        for tentry in pot:
            po.append(_fresh(tentry))
        return po
    po.header = old.header
    po.metadata_is_fuzzy = old.metadata_is_fuzzy
    settle(old)
    # The template's references name the article; the old catalog's entries that name it
    # are the article's, everything else a translator added is carried over untouched.
    owners = {owner_of(str(ref[0])) for tentry in pot for ref in tentry.occurrences}
    ours = [e for e in old if any(belongs(e, owner) for owner in owners)]
    exact = {e.msgid: e for e in old if plain(e) and not e.obsolete}
    exact.update({e.msgid: e for e in old.obsolete_entries()
                  if plain(e) and e.msgid not in exact})
    candidates = [e for e in ours if translated(e) and not e.obsolete]
    used: set[int] = set()
    for tentry in pot:
        match = exact.get(tentry.msgid)
        if match is not None:
            used.add(id(match))
            po.append(_kept(tentry, match))
            continue
        similar = _most_similar(tentry.msgid, candidates)
        if similar is not None:
            used.add(id(similar))
            po.append(_fuzzy(tentry, similar))
        else:
            po.append(_fresh(tentry))
    mine = {id(e) for e in ours}
    live = {(e.msgctxt, e.msgid): e for e in po}
    for entry in old:
        if id(entry) in used or not entry.msgid:
            continue
        carried: polib.POEntry | None = None
        if not entry.obsolete and id(entry) not in mine:
            carried = entry  # a translator's own entry, as it is
        elif entry.obsolete or translated(entry):
            carried = _obsolete(entry)
        if carried is None:
            continue
        clash = live.get((carried.msgctxt, carried.msgid))
        if clash is not None:
            # Its msgid is now one of the article's sentences (a translator's plural, say):
            # a second entry with that key would make the file invalid, so its text is kept
            # in the article's entry.
            _keep_in(clash, carried)
            continue
        po.append(carried)
    return po


def _keep_in(entry: polib.POEntry, displaced: polib.POEntry) -> None:
    texts = forms(displaced)
    if not any(texts):
        return
    plural = f" / plural {displaced.msgid_plural!r}" if displaced.msgid_plural else ""
    text = " | ".join(one_line(f) for f in texts)
    entry.tcomment = "\n".join(filter(None, [entry.tcomment,
                                             f"{DISPLACED} {text}{plural}"]))


# Header fields a template decides; all others belong to the translators and their
# editors (Last-Translator, Language-Team, PO-Revision-Date, X-Poedit-*, ...), as msgmerge
# keeps them.
_TEMPLATE_FIELDS = ("POT-Creation-Date",)


def _header(pot: polib.POFile, old: polib.POFile | None, lang: str) -> dict[str, str]:
    if old is None:
        # The stamp vouches for the template alone: a catalog does not keep it.
        header = {k: v for k, v in pot.metadata.items() if k != STAMP}
    else:
        header = dict(old.metadata)
        for key, value in pot.metadata.items():
            if key in _TEMPLATE_FIELDS or key not in header:
                header[key] = value
        generator = header.get("X-Generator", "")
        if generator.startswith(GENERATOR_NAME) or not generator:
            # l10n's own mark follows l10n's version; an editor's stays theirs.
            header["X-Generator"] = pot.metadata.get("X-Generator", generator)
        header.pop(STAMP, None)  # a catalog made from a template by hand (msginit)
    if not header.get("Language"):
        header["Language"] = lang
    if not header.get("Plural-Forms"):
        header["Plural-Forms"] = PLURAL_FORMS.get(base_language(lang), PLURAL_FORMS["en"])
    if header.get("Language-Team", "").startswith("LANGUAGE"):
        header["Language-Team"] = lang
    return header


def _fresh(tentry: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgid=tentry.msgid, msgctxt=tentry.msgctxt, msgstr="",
                         occurrences=list(tentry.occurrences), comment=tentry.comment)


def _kept(tentry: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    entry = _fresh(tentry)
    _copy_translation(old, entry)
    if "fuzzy" in old.flags:
        # Kept fuzzy even when the source went back to its `#| msgid`, as msgmerge does:
        # whether the text was approved before the edit is not recorded anywhere (a draft or
        # a translator's unfinished text looks the same), and only a human may approve.
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgctxt = old.previous_msgctxt
    return entry


def _copy_translation(old: polib.POEntry, new: polib.POEntry) -> None:
    """Everything a translator wrote: translation(s), comments, flags."""
    new.msgstr = old.msgstr
    new.msgid_plural = old.msgid_plural
    new.msgstr_plural = dict(old.msgstr_plural)
    new.tcomment = old.tcomment
    new.flags = list(old.flags)


def _fuzzy(tentry: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    entry = _kept(tentry, old)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    # The draft translates the sentence the translator last saw: keep the earliest source.
    if not ("fuzzy" in old.flags and old.previous_msgid):
        entry.previous_msgid = old.msgid
        entry.previous_msgctxt = old.msgctxt
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = polib.POEntry(msgid=old.msgid, msgctxt=old.msgctxt, obsolete=True)
    _copy_translation(old, entry)
    if "fuzzy" in old.flags:
        entry.previous_msgid = old.previous_msgid
    return entry


def _most_similar(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_THRESHOLD
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(msgid)
    for cand in candidates:
        matcher.set_seq1(cand.msgid)
        # Cheap upper bounds first: most candidates are nowhere near.
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = cand, ratio
    return best
