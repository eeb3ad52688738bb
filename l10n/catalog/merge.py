"""msgmerge semantics: bring a language's catalog up to date with its template.

- an unchanged sentence keeps its translation, flags and translator comments;
- a changed sentence is matched to the most similar translated old entry (similarity
  ≥ 0.6, gettext's threshold) and becomes fuzzy with the old translation as a draft and
  the old source as `#| msgid`;
- an old translated entry nobody matched becomes obsolete (`#~`), so no work is lost;
  an obsolete entry whose sentence comes back is revived.
"""

from __future__ import annotations

from difflib import SequenceMatcher

import polib

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
        for tentry in pot:
            po.append(_fresh(tentry))
        return po

    exact = {(e.msgctxt, e.msgid): e for e in old if e.msgid and not e.obsolete}
    exact.update({(e.msgctxt, e.msgid): e for e in old.obsolete_entries()
                  if (e.msgctxt, e.msgid) not in exact})
    candidates = [e for e in old if e.msgid and _has_translation(e) and not e.obsolete]
    used: set[int] = set()
    for tentry in pot:
        match = exact.get((tentry.msgctxt, tentry.msgid))
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
    for entry in old:
        if id(entry) in used or not entry.msgid:
            continue
        if entry.obsolete or _has_translation(entry):
            po.append(_obsolete(entry))
    return po


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def _header(pot: polib.POFile, old: polib.POFile | None, lang: str) -> dict[str, str]:
    header = dict(pot.metadata)
    if old is not None:
        for key in ("PO-Revision-Date", "Last-Translator", "Language-Team", "Plural-Forms"):
            if old.metadata.get(key):
                header[key] = old.metadata[key]
    header["Language"] = lang
    base = lang.replace("-", "_").split("_")[0].lower()
    header.setdefault("Plural-Forms", PLURAL_FORMS.get(base, PLURAL_FORMS["en"]))
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
        if old.previous_msgid == tentry.msgid and old.previous_msgctxt == tentry.msgctxt:
            # The source went back to what was translated: the translation is valid again.
            entry.flags.remove("fuzzy")
        else:
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
    if "fuzzy" in old.flags and "fuzzy" not in entry.flags:
        return entry  # an edit was undone: _kept made the translation valid again
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
