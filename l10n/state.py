"""What l10n remembers about a project between runs, so that unchanged work is not redone.

A memo in SQLite at `<project>/.l10n/state.sqlite3`: results of extract and check keyed by
digests of the exact bytes they were computed from (article, template, catalog, settings,
l10n's version). The files are always read and hashed, never trusted by size or mtime, so
an edit that keeps both is still seen; a result is reused only when every input is
byte-identical. The memo is only an accelerator: missing, stale, locked, corrupt or on a
read-only disk, it is ignored or rebuilt and the command computes everything itself.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from l10n import __version__

FOLDER = ".l10n"
FILE = "state.sqlite3"
# A bump drops every remembered result (the meaning of a stored value changed).
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_S = 1.0


def digest(*parts: bytes | str | None) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        raw = b"\x00none" if part is None else part.encode() if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "little"))
        h.update(raw)
    return h.hexdigest()


def file_digest(path: Path) -> str | None:
    """Digest of a file's bytes; None when it cannot be read (the command that reads it
    then reports why)."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


class State:
    """A memo of results by kind and key; every method is safe to call when it is off."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.path = root / FOLDER / FILE
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str]] = []
        self._rebuilt = False
        if enabled:
            self._open()

    def _open(self) -> None:
        try:
            folder = self.path.parent
            if not folder.is_dir():
                folder.mkdir()
                # Derived data: never committed.
                (folder / ".gitignore").write_text("*\n", encoding="utf-8")
            db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
            db.execute("CREATE TABLE IF NOT EXISTS memo (kind TEXT NOT NULL, key TEXT NOT "
                       "NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            stamp = f"{SCHEMA_VERSION} {__version__} {_code_digest()}"
            if row is None or row[0] != stamp:
                with db:
                    db.execute("DELETE FROM memo")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (stamp,))
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._rebuild_or_off(exc)

    def _rebuild_or_off(self, exc: BaseException) -> None:
        """A corrupt file is replaced (once); a locked or unwritable one switches the memo
        off for this run."""
        if self._db is not None:
            self._db.close()
        self._db = None
        self._pending.clear()
        corrupt = isinstance(exc, sqlite3.DatabaseError) and \
            not isinstance(exc, sqlite3.OperationalError)
        if self._rebuilt or not (corrupt or (self.path.is_file() and not _is_sqlite(self.path))):
            return
        self._rebuilt = True
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return
        self._open()

    def get(self, kind: str, key: str) -> Any:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM memo WHERE kind = ? AND key = ?",
                                   (kind, key)).fetchone()
        except sqlite3.Error as exc:
            self._rebuild_or_off(exc)
            return None
        if not row:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            return None  # damaged: computed again and stored anew

    def put(self, kind: str, key: str, value: Any) -> None:
        if self._db is not None:
            self._pending.append((kind, key, json.dumps(value, ensure_ascii=False)))
            if len(self._pending) >= 2000:
                self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)",
                                     self._pending)
        except (OSError, sqlite3.Error) as exc:
            self._rebuild_or_off(exc)
        self._pending.clear()

    def close(self) -> None:
        if self._db is not None:
            self.flush()
            if self._db is not None:
                self._db.close()
            self._db = None

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# What results depend on besides l10n's own code: segmentation rules, the Markdown and HTML
# parsers (html.parser changes with Python's patch releases), language profiles, the PO
# objects.
_DEPENDENCIES = ("sentence_splitter", "markdown_it", "mdit_py_plugins", "html.parser",
                 "langdetect", "polib", "regex")


@functools.cache
def _code_digest() -> str:
    """l10n's own code and its dependencies' installed files: a changed check, reader or
    segmentation rule must not be answered from old results, even before l10n's version
    number moves (a development checkout) or when a dependency is upgraded under it (an
    upgrade rewrites its files: their size and mtime, which are cheap to read, change)."""
    installed = []
    for name in _DEPENDENCIES:
        origin = _origin(name)
        if origin is None or not origin.is_file():
            installed.append(f"{name} -")
            continue
        stat = origin.stat()
        installed.append(f"{name} {origin} {stat.st_size} {stat.st_mtime_ns}")
    package = Path(__file__).resolve().parent
    return digest(*installed, *(p.read_bytes() for p in sorted(package.rglob("*.py"))))


def _origin(name: str) -> Path | None:
    """The file module `name` is loaded from, found without importing it or its package:
    `importlib.util.find_spec("html.parser")` imports `html`, which compiles its regexes,
    in a gate that otherwise has nothing to parse."""
    from importlib.machinery import PathFinder
    from importlib.util import find_spec

    package, _, _ = name.rpartition(".")
    if package:
        parent = find_spec(package)
        where = parent.submodule_search_locations if parent is not None else None
        spec = PathFinder.find_spec(name, list(where)) if where is not None else None
    else:
        spec = find_spec(name)
    return Path(spec.origin) if spec is not None and spec.origin else None


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
