"""l10n: offline translation and localization of articles through gettext PO catalogs."""

from __future__ import annotations

__version__ = "0.1.0"
