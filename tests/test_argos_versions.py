"""One order of Argos package versions, for the index and for the installed packages."""

from __future__ import annotations

from l10n.argos.versions import version_key


def test_versions_sort_as_pep_440() -> None:
    versions = ["2.0", "1.10", "2.0rc1", "1.9", "1.0.2", "2.0.post1"]
    assert sorted(versions, key=version_key) == [
        "1.0.2", "1.9", "1.10", "2.0rc1", "2.0", "2.0.post1"]


def test_invalid_versions_sort_first_by_their_numbers() -> None:
    assert sorted(["1.0", "build 7", None, "0"], key=version_key) == [
        None, "build 7", "0", "1.0"]
    assert version_key("1.9") == version_key("1.9.0")
