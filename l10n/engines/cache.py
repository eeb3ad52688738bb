"""Cache of raw engine outputs in SQLite, keyed by engine identity and source text.

The key includes the package, its version and the decoding options (the engine's
`cache_key`), so a different model or setting never returns stale output. A re-run over an
unchanged corpus is served from here and never loads the model.

The cache only saves work: when it fails in use (another process holds the write lock, the
file is corrupt inside, the disk is full) it switches itself off, keeps the error in
`problem` for the caller to report, and translating goes on without it; nothing the model
computed is lost.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from l10n.engines import Translation
from l10n.errors import ConfigError, L10nError
from l10n.markup.align import Matrix

# Seconds to wait for another process's write: each put is one short transaction, so a
# longer wait means a stuck writer, and waiting would only delay the translations.
BUSY_TIMEOUT_S = 2.0
HINT = ("delete the file, point $L10N_CACHE_DIR elsewhere, or run with --no-cache; "
        "translations are not affected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score REAL,
    PRIMARY KEY (engine, source)
) WITHOUT ROWID;
-- Word attention of translations asked for with alignment (sentences holding markup):
-- one byte per weight, target words x source words, row by row; 0 words and no weights
-- where the engine had none to give (its tokens are not the text's words).
CREATE TABLE IF NOT EXISTS attention (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target_words INTEGER NOT NULL,
    weights BLOB NOT NULL,
    PRIMARY KEY (engine, source)
) WITHOUT ROWID;
"""


def default_path() -> Path:
    env = os.environ.get("L10N_CACHE_DIR")
    if env:
        return Path(env) / "mt-cache.sqlite3"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("l10n")) / "mt-cache.sqlite3"


class MTCache:
    def __init__(self, path: Path | None = None) -> None:
        """Open (or create) the cache; ConfigError when it cannot be used at all."""
        self.path = path or default_path()
        #: Why the cache switched itself off during this run, or None.
        self.problem: L10nError | None = None
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
            self._db.execute("PRAGMA journal_mode=WAL")
            # No fsync per commit (a group's put): in WAL mode a crash can then lose the
            # last commits but never corrupt the file, and what is lost is only work a
            # re-run redoes. The catalogs, which hold a translator's work, are synced.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise ConfigError(f"cannot use the machine-translation cache: {_reason(exc)}",
                              path=self.path, hint=HINT) from exc

    @property
    def usable(self) -> bool:
        return self._db is not None

    def get_many(self, engine: str, sources: Iterable[str], *,
                 align: bool = False) -> dict[str, Translation]:
        """Cached outputs by source; {} once the cache is off. With `align`, only outputs
        stored with their attention are found."""
        found: dict[str, Translation] = {}
        pending = list(dict.fromkeys(sources))
        query = ("SELECT t.source, t.target, t.score, a.target_words, a.weights "
                 "FROM translations t JOIN attention a USING (engine, source)" if align else
                 "SELECT source, target, score, NULL, NULL FROM translations t")
        try:
            for i in range(0, len(pending), 500):  # stay under SQLite's variable limit
                if self._db is None:
                    return {}
                chunk = pending[i:i + 500]
                rows = self._db.execute(
                    f"{query} WHERE t.engine = ? AND t.source IN ({','.join('?' * len(chunk))})",
                    [engine, *chunk])
                found.update({src: Translation(tgt, score, _matrix(words, weights))
                              for src, tgt, score, words, weights in rows})
        except (OSError, sqlite3.Error) as exc:
            self._switch_off("read", exc)
            return {}
        return found

    def put_many(self, engine: str, items: Sequence[tuple[str, Translation]], *,
                 align: bool = False) -> None:
        """Store outputs (source, translation); a failure switches the cache off instead of
        raising. `align`: they were asked for with alignment, so one without attention is
        found as such by the next `get_many(align=True)`, not asked for again."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO translations (engine, source, target, score) "
                    "VALUES (?, ?, ?, ?)", [(engine, s, t.text, t.score) for s, t in items])
                self._db.executemany(
                    "INSERT OR REPLACE INTO attention (engine, source, target_words, weights) "
                    "VALUES (?, ?, ?, ?)",
                    [(engine, s, len(t.attention or ()), _blob(t.attention or ()))
                     for s, t in items if t.attention or align])
        except (OSError, sqlite3.Error) as exc:
            self._switch_off("written", exc)

    def _switch_off(self, verb: str, exc: BaseException) -> None:
        self.problem = ConfigError(
            f"the machine-translation cache could not be {verb} ({_reason(exc)}); "
            "translating went on without it", path=self.path, hint=HINT)
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _blob(matrix: Matrix) -> bytes:
    return bytes(min(255, round(weight * 255)) for row in matrix for weight in row)


def _matrix(target_words: int | None, blob: bytes | None) -> Matrix | None:
    if not target_words or blob is None or len(blob) % target_words:
        return None
    width = len(blob) // target_words
    return tuple(tuple(b / 255 for b in blob[r * width:(r + 1) * width])
                 for r in range(target_words))


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "locked" in text:
        return f"{text}: another process holds it for more than {BUSY_TIMEOUT_S:g} s"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return text
