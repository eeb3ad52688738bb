"""Statistics: the lean scan agrees with the strict parser on every file it accepts."""

from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from l10n.catalog.counts import count, count_file
from l10n.catalog.model import Provenance, fill, owner_of, provenance
from l10n.catalog.po.read import load
from l10n.catalog.po.write import dumpb
from l10n.errors import BadInputError

PO_FILES = sorted((Path(__file__).parent / "data" / "po").glob("*.po*"))


def _generated(seed: int) -> polib.POFile:
    rng = random.Random(seed)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    words = ["Kasachstan", "„Frieden“", "am", "10.", "Februar", 'zitat "x"', "\\", "\t", "ß"]
    for i in range(60):
        msgid = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30))) + f" {i}"
        entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[("a.txt", str(i))])
        kind = rng.choice(["empty", "reviewed", "draft", "fuzzy", "obsolete"])
        if kind != "empty":
            entry.msgstr = msgid.upper() + "\n" * rng.randint(0, 1)
        if kind == "draft":
            entry.flags = ["fuzzy"]
            fill(entry, entry.msgstr, Provenance("argos x 1.0", rng.random()))
        elif kind == "fuzzy":
            entry.flags = ["fuzzy"]
            entry.previous_msgid = msgid[:-1]
        entry.obsolete = kind == "obsolete"
        po.append(entry)
    return po


@pytest.mark.parametrize("seed", range(8))
def test_scan_matches_strict_parser_on_written_catalogs(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(dumpb(_generated(seed)))
    assert count_file(path, "a") == count(load(path), "a")
    assert count_file(path, "a").total > 0


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: p.name)
def test_scan_matches_strict_parser_on_real_files(path: Path) -> None:
    try:
        po = load(path)
    except BadInputError:
        with pytest.raises(BadInputError):
            count_file(path, "any")
        return
    # Count as the article the file's first reference names (the rest is "added").
    owner = next((owner_of(ref[0]) for e in po for ref in e.occurrences), "none")
    assert count_file(path, owner) == count(po, owner)


def test_malformed_score_is_no_score() -> None:
    entry = polib.POEntry(msgid="a", msgstr="b", flags=["fuzzy"],
                          tcomment="l10n-mt: argos x 1.0; score 1.2.3")
    prov = provenance(entry)
    assert prov is not None and prov.score is None
