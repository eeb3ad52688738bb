"""Documents → templates (POT): one entry per distinct sentence, in article order."""

from __future__ import annotations

import polib

from l10n import __version__
from l10n.document import Document

GENERATOR_NAME = "l10n"
GENERATOR = f"{GENERATOR_NAME} {__version__}"


def template(doc: Document, *, project: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    by_text: dict[str, polib.POEntry] = {}
    kinds: dict[str, list[str]] = {}
    for block, seg in doc.segments():
        ref = (doc.path.as_posix(), str(seg.line))
        entry = by_text.get(seg.text)
        if entry is None:
            entry = polib.POEntry(msgid=seg.text, msgstr="", occurrences=[ref])
            by_text[seg.text] = entry
            kinds[seg.text] = [block.kind]
            pot.append(entry)
        else:
            # A repeated sentence is one entry: translated once, used everywhere.
            entry.occurrences.append(ref)
            if block.kind not in kinds[seg.text]:
                kinds[seg.text].append(block.kind)
    for entry in pot:
        entry.comment = ", ".join(kinds[entry.msgid])
    return pot
