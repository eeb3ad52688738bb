"""How much an .argosmodel may unpack to, so that a zip bomb is refused before unpacking.

Its own small module so that the command line can show the defaults without importing the
package machinery (`l10n.argos.archive` pulls in zipfile, `l10n.argos.index` urllib and
http).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from l10n.errors import ModelError

# Caps on what a package may unpack to. Argos' packages unpack to 100-400 MB in a few dozen
# files; a 3 MB zip that claims 2 GB is a zip bomb. Raise them per call (`l10n models install
# --max-size/--max-entries`) or with these variables.
MAX_SIZE_ENV = "L10N_MAX_PACKAGE_MB"
MAX_ENTRIES_ENV = "L10N_MAX_PACKAGE_ENTRIES"
DEFAULT_MAX_MB = 1024
DEFAULT_MAX_ENTRIES = 1000


@dataclass(frozen=True)
class Limits:
    """The most an .argosmodel may unpack to: bytes in all, and archive entries."""

    max_bytes: int = DEFAULT_MAX_MB << 20
    max_entries: int = DEFAULT_MAX_ENTRIES

    @classmethod
    def from_env(cls, *, max_mb: int | None = None, max_entries: int | None = None) -> Limits:
        """The arguments where given, else $L10N_MAX_PACKAGE_MB / _ENTRIES, else defaults."""
        mb = max_mb if max_mb is not None else _env_int(MAX_SIZE_ENV, DEFAULT_MAX_MB)
        entries = (max_entries if max_entries is not None
                   else _env_int(MAX_ENTRIES_ENV, DEFAULT_MAX_ENTRIES))
        for name, value in (("size limit", mb), ("entry limit", entries)):
            if value < 1:
                raise ModelError(f"the package {name} must be at least 1, not {value}")
        return cls(max_bytes=mb << 20, max_entries=entries)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ModelError(f"${name} must be a whole number, not {raw!r}",
                         hint=f"unset it for the default ({default})") from None
