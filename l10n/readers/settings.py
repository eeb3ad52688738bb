"""What a project's settings say about reading its articles: every reader is given it."""

from __future__ import annotations

from dataclasses import dataclass

from l10n.readers.front_matter import DEFAULT_KEYS


@dataclass(frozen=True, slots=True)
class ReadSettings:
    # Top-level front matter keys whose values are translated (`front-matter-keys`).
    front_matter_keys: tuple[str, ...] = DEFAULT_KEYS


DEFAULT = ReadSettings()
