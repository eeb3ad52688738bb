"""The order of Argos package versions, one rule for the index and the installed packages.

Versions are compared as PEP 440 versions, as argostranslate compares them
(`packaging.version.parse` in `argostranslate.package`): "2.0rc1" comes before "2.0" and
"1.10" after "1.9". A version that is not PEP 440 ("junk", "") sorts before every valid one,
and such versions among themselves by the numbers in them.

`packaging` comes with the `mt` extra, and `argostranslate.package` imports it, so wherever a
package is picked it is there; it is imported on first use all the same, to keep this module
free to import without the extra.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from l10n.engines import MT_INSTALL_HINT
from l10n.errors import ModelError

if TYPE_CHECKING:
    from packaging.version import Version


def version_key(version: str | None) -> tuple[bool, Version]:
    """Sort key for a package version such as "1.9", "1.0.2" or "2.0rc1" (None reads as "")."""
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError as exc:
        raise ModelError(f"cannot compare package versions: {exc}", hint=MT_INSTALL_HINT) from exc
    text = str(version or "").strip()
    try:
        return True, Version(text)
    except InvalidVersion:
        return False, Version(".".join(re.findall(r"\d+", text)) or "0")
