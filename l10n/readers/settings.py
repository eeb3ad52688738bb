"""What a project's settings say about reading its articles: every reader is given it."""

from __future__ import annotations

from dataclasses import dataclass

# Top-level front matter keys translated when the settings name none (`front-matter-keys`).
# Defined here, not in `front_matter`, so that loading a project's settings does not
# import the front matter reader.
DEFAULT_KEYS = ("title", "description")


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
