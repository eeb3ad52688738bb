"""Cache of raw engine outputs in SQLite, keyed by engine identity and source text.

The key includes the package, its version and the decoding options (the engine's
`cache_key`), so a different model or setting never returns stale output. A re-run over an
unchanged corpus is served from here and never loads the model.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from l10n.errors import ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    score REAL,
    PRIMARY KEY (engine, source)
) WITHOUT ROWID
"""


def default_path() -> Path:
    env = os.environ.get("L10N_CACHE_DIR")
    if env:
        return Path(env) / "mt-cache.sqlite3"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("l10n")) / "mt-cache.sqlite3"


class MTCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot use the machine-translation cache: {exc}",
                              path=self.path,
                              hint="delete the file, point $L10N_CACHE_DIR elsewhere, or "
                              "run with --no-cache") from exc

    def get_many(self, engine: str, sources: Iterable[str]) -> dict[str, tuple[str, float | None]]:
        found: dict[str, tuple[str, float | None]] = {}
        pending = list(dict.fromkeys(sources))
        for i in range(0, len(pending), 500):  # stay under SQLite's variable limit
            chunk = pending[i:i + 500]
            rows = self._db.execute(
                "SELECT source, target, score FROM translations WHERE engine = ? AND source IN "
                f"({','.join('?' * len(chunk))})", [engine, *chunk])
            found.update({src: (tgt, score) for src, tgt, score in rows})
        return found

    def put_many(self, engine: str,
                 items: Sequence[tuple[str, str, float | None]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (engine, source, target, score) "
                "VALUES (?, ?, ?, ?)", [(engine, s, t, sc) for s, t, sc in items])

    def close(self) -> None:
        self._db.close()
