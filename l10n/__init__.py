"""l10n: offline translation and localization of articles through gettext PO catalogs."""

from __future__ import annotations

# The one place of the version: pyproject.toml reads it, CHANGELOG.md's first entry names it.
__version__ = "0.5.0"
