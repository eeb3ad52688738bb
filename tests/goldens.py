"""Golden files (tests/golden/): an article, and what reading and rendering it must give.
`L10N_UPDATE_GOLDEN=1` rewrites them; review the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

from l10n.readers import read_document

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("L10N_UPDATE_GOLDEN") == "1"


def cases(*suffixes: str) -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.suffix in suffixes)


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"missing golden file {path}; run with L10N_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


def outline(path: Path) -> list[dict[str, object]]:
    """Each translatable block of the article: its kind, line and sentences."""
    doc = read_document(path)
    return [{"kind": b.kind, "line": b.line, "segments": [s.text for s in b.segments]}
            for b in doc.blocks if b.translatable]
