"""Catalogs on disk: read strictly, written in their own charset, updated without races."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.catalog.model import EntryLike, belongs
from l10n.catalog.po.read import loadb
from l10n.catalog.po.scan import Unsupported, scan
from l10n.catalog.po.syntax import header_fields
from l10n.catalog.po.write import dumpb, warm
from l10n.errors import L10nError
from l10n.fsutil import Update, read_bytes, update_file


@dataclass
class Loaded:
    """A catalog as read: its bytes, so that an update can tell whether it changed since."""

    raw: bytes
    po: polib.POFile


def read(path: Path, *, shown: Path) -> Loaded | None:
    """The catalog at `path`, or None when there is none; BadInputError when malformed."""
    raw = read_bytes(path, what="catalog", shown=shown)
    return None if raw is None else Loaded(raw, loadb(raw, path=shown))


def read_ahead(path: Path, *, shown: Path) -> Loaded | None:
    """`read`, for a catalog that is about to be updated, done while the model works (in
    the writer's thread) so that less is left to do once the drafts are in: its msgids
    are also wrapped for the write (`po.write.warm`). None where it cannot be read: the
    update will read it again and say why."""
    try:
        loaded = read(path, shown=shown)
    except L10nError:
        return None
    if loaded is not None:
        warm(loaded.po)
    return loaded


def live_entries(path: Path, owner: str, *, shown: Path) -> list[EntryLike] | None:
    """The article's live entries in the catalog at `path` (None: no catalog), read by the
    lean scan where it can (no POEntry objects made), else by the strict parser, which also
    reports a malformed file (the scan gives up on anything it would reject)."""
    raw = read_bytes(path, what="catalog", shown=shown)
    if raw is None:
        return None
    return [e for e in entries_of(raw, owner, shown=shown)[1] if not e.obsolete]


def entries_of(raw: bytes, owner: str | None, *,
               shown: Path) -> tuple[dict[str, str], list[EntryLike]]:
    """A catalog's header fields and the entries of article `owner` (None: all), by the
    lean scan where it can, else by the strict parser, which reports a malformed file with
    its line (BadInputError)."""
    try:
        found = scan(raw, owner)
        return header_fields(found.header), list(found.entries)
    except Unsupported:
        po = loadb(raw, path=shown)
        return po.metadata, [e for e in po if owner is None or belongs(e, owner)]


def encode(po: polib.POFile) -> bytes:
    """The catalog in its own charset; switched to UTF-8 when a text does not fit in it."""
    try:
        return dumpb(po)
    except UnicodeEncodeError:
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        return dumpb(po)


def update(path: Path, change: Callable[[polib.POFile | None], polib.POFile | None], *,
           shown: Path, known: Loaded | None = None) -> Update:
    """Rewrite the catalog at `path` as `change(current catalog)` says (None: no change).

    A translator's save at any moment is kept: `change` runs again on the saved file when
    one lands while we work (see `fsutil.update_file`). `known` is the catalog as already
    read, reused when the file still holds the same bytes.
    """
    def on_bytes(raw: bytes | None) -> bytes | None:
        nonlocal known
        if raw is None:
            po = None
        elif known is not None and known.raw == raw:
            po, known = known.po, None  # `change` may modify it: use it once
        else:
            po = loadb(raw, path=shown)
        new = change(po)
        return None if new is None else encode(new)

    return update_file(path, on_bytes)
