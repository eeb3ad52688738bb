"""What a project's settings say about reading its articles: every reader is given it."""

from __future__ import annotations

from dataclasses import dataclass

from l10n.readers.front_matter import DEFAULT_KEYS


@dataclass(frozen=True, slots=True)
class ReadSettings:
    # Top-level front matter keys whose values are translated (`front-matter-keys`).
    front_matter_keys: tuple[str, ...] = DEFAULT_KEYS


DEFAULT = ReadSettings()

# The readers' rules for cutting an article into blocks and sentences. Bump it with any
# change that cuts some article differently: a template stamped under another version
# (`l10n.catalog.template.stamp`) is then checked by reading its article again.
# tests/test_template_stamp.py pins what the rules make of the test articles to it.
VERSION = 1
