"""Installed Argos Translate packages: where they live, listing, install from a file, remove.

Only `argostranslate.package` is imported (about 80 ms), and only inside the functions that need
it: `argostranslate.translate` pulls in torch, stanza and spaCy (seconds) and is never imported
here. That is also why installing and removing do not go through argostranslate's
`install_from_path` / `uninstall`: both import the translate module to clear a cache, and
`install_from_path` unpacks straight into the packages folder without any checks, so a broken or
interrupted install leaves a half-written folder that makes every later argostranslate call fail.

argostranslate reads ARGOS_PACKAGES_DIR once, when `argostranslate.settings` is first imported.
`packages_dir()` reads it again on every call (same precedence: environment, then
settings.json, then the default), so a process that changes the variable after the import, such
as a test, still gets what it asked for.
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from l10n.argos import archive, staging
from l10n.argos.archive import PackageMeta
from l10n.argos.limits import Limits
from l10n.argos.load_check import check_loads
from l10n.engines import MT_INSTALL_HINT
from l10n.errors import ModelError


@dataclass(frozen=True)
class PackageInfo:
    """An installed package. `name` is its folder in the packages folder."""

    from_code: str
    to_code: str
    package_version: str
    argos_version: str
    path: Path
    size_bytes: int
    name: str
    from_name: str = ""
    to_name: str = ""

    def as_json(self) -> dict[str, Any]:
        """What `l10n models list --format json` shows of it."""
        return {"from": self.from_code, "to": self.to_code, "version": self.package_version,
                "name": self.name, "path": str(self.path), "size_bytes": self.size_bytes}


# --- argostranslate access -------------------------------------------------------------------

def argos_package() -> ModuleType:
    """`argostranslate.package`, or ModelError saying how to install it."""
    try:
        import argostranslate.package as package
    except ImportError as exc:
        raise ModelError(
            f"argostranslate is not installed ({exc})",
            hint=MT_INSTALL_HINT,
        ) from exc
    return package


def packages_dir() -> Path:
    """The folder argostranslate installs packages into, resolved now (see module docstring)."""
    settings = argos_package().settings
    value = settings.get_setting("ARGOS_PACKAGES_DIR")
    return Path(value) if value else Path(settings.data_dir) / "packages"


def _clear_argos_cache() -> None:
    # argostranslate caches the installed languages; refresh it only where the translate module
    # is already loaded, importing it here would cost seconds.
    translate = sys.modules.get("argostranslate.translate")
    cached = getattr(translate, "get_installed_languages", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


# --- listing ---------------------------------------------------------------------------------

def _tree_size(path: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total


def _load_installed(package_mod: ModuleType, folder: Path) -> PackageInfo | None:
    """PackageInfo for one folder, None when it is not a translation package.

    Raises ModelError when argostranslate cannot load it.
    """
    try:
        pkg = package_mod.Package(folder)
    except FileNotFoundError as exc:
        raise ModelError(
            "not an Argos package: no metadata.json (left over from an interrupted install?)",
            path=folder,
            hint=f"argostranslate fails on this folder too; remove it: rm -r '{folder}'",
        ) from exc
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"cannot read the package's metadata.json: {exc}",
            path=folder / "metadata.json",
            hint=f"reinstall the package, or remove the folder: rm -r '{folder}'",
        ) from exc
    if not isinstance(pkg.from_code, str) or not isinstance(pkg.to_code, str):
        return None
    return PackageInfo(
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        package_version=str(pkg.package_version or ""),
        argos_version=str(pkg.argos_version or ""),
        path=folder,
        size_bytes=_tree_size(folder),
        name=folder.name,
        from_name=str(pkg.from_name or ""),
        to_name=str(pkg.to_name or ""),
    )


def _scan(root: Path) -> Iterator[PackageInfo | ModelError]:
    if not root.is_dir():
        return
    package_mod = argos_package()
    for child in sorted(root.iterdir()):
        # Hidden folders are never packages (ours are staging folders of a running install).
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            info = _load_installed(package_mod, child)
        except ModelError as exc:
            yield exc
            continue
        if info is not None:
            yield info


def installed(from_code: str | None = None, to_code: str | None = None) -> list[PackageInfo]:
    """Installed translation packages, optionally only those for one language pair.

    Folders argostranslate cannot load are skipped here and reported by `problems()`.
    """
    result = [
        item for item in _scan(packages_dir())
        if isinstance(item, PackageInfo)
        and (from_code is None or item.from_code == from_code)
        and (to_code is None or item.to_code == to_code)
    ]
    return sorted(result, key=lambda p: (p.from_code, p.to_code, p.name))


def problems() -> list[ModelError]:
    """Folders in the packages folder that argostranslate would fail on, one error each."""
    return [item for item in _scan(packages_dir()) if isinstance(item, ModelError)]


# --- installing and removing -----------------------------------------------------------------

def _ensure_root(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(
            f"cannot create the packages folder: {exc.strerror or exc}",
            path=root,
            hint="set ARGOS_PACKAGES_DIR to a folder you can write to",
        ) from exc


def install_file(path: Path, *, limits: Limits | None = None) -> PackageInfo:
    """Validate and install an .argosmodel file; replaces any package for the same pair.

    Atomic: the package is unpacked into a staging folder, loaded there (tokenizer and model,
    see `l10n.argos.load_check`) and only then renamed into place, so a failure (a package that
    does not load, a corrupt archive, a full disk, permissions) leaves the packages folder
    exactly as it was. A package of another pair is never replaced.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    package_mod = argos_package()
    root = packages_dir()
    with archive.open_package(path) as zf:
        # One open archive for validation and extraction: the file cannot change in between.
        try:
            meta = archive.validate_open(path, zf, limits)
        except archive.CORRUPT as exc:
            raise archive.corrupt(path, exc) from exc
        _ensure_root(root)
        dest = root / meta.folder
        _refuse_other_pair(package_mod, dest, meta)
        # Older packages for the same pair may sit in differently named folders; two packages
        # for one pair would leave the choice to directory order.
        superseded = [p for p in installed(meta.from_code, meta.to_code) if p.path != dest]
        try:
            with staging.staging_folder(root) as scratch:
                _unpack_check_and_swap(package_mod, zf, meta, scratch, dest, superseded,
                                       limits)
        except archive.CORRUPT as exc:
            raise archive.corrupt(path, exc) from exc
        except OSError as exc:
            raise ModelError(
                f"cannot install the package: {exc.strerror or exc}",
                path=Path(exc.filename) if exc.filename else root,
                hint="check free space and write permission of the packages folder "
                "(ARGOS_PACKAGES_DIR)",
            ) from exc
    _clear_argos_cache()
    info = _load_installed(package_mod, dest)
    if info is None:  # validation guarantees the codes; this keeps the type checker honest
        raise ModelError("installed package has no language codes", path=dest)
    return info


def _refuse_other_pair(package_mod: ModuleType, dest: Path, meta: PackageMeta) -> None:
    """A folder of the same name that holds another pair's package is not ours to replace."""
    if not dest.is_dir():
        return
    try:
        there = _load_installed(package_mod, dest)
    except ModelError:  # unreadable: argostranslate fails on it too; the install replaces it
        return
    if there is None or (there.from_code, there.to_code) == (meta.from_code, meta.to_code):
        return
    raise ModelError(
        f"the packages folder already holds the {there.from_code}→{there.to_code} package in "
        f"{dest.name}/, the folder this {meta.from_code}→{meta.to_code} package unpacks to",
        path=meta.path,
        hint=f"nothing was changed; rename the folder inside the archive (unzip, rename "
        f"{meta.folder}/, zip it again), or remove the other package first: "
        f"l10n models remove {there.from_code} {there.to_code}",
    )


def _unpack_check_and_swap(package_mod: ModuleType, zf: zipfile.ZipFile, meta: PackageMeta,
                           scratch: Path, dest: Path, superseded: list[PackageInfo],
                           limits: Limits) -> None:
    free = shutil.disk_usage(scratch).free
    if free < meta.uncompressed_size:
        raise ModelError(
            f"not enough disk space: the package needs {meta.uncompressed_size >> 20} "
            f"MiB, {free >> 20} MiB are free",
            path=dest.parent,
            hint="free some space or set ARGOS_PACKAGES_DIR to another disk",
        )
    archive.extract(zf, scratch, limits, meta.path)
    unpacked = scratch / meta.folder
    # Load what we unpacked, as argostranslate and the engine will, before anything is
    # replaced.
    package_mod.Package(unpacked)
    check_loads(unpacked, tokenizer=meta.tokenizer, shown=meta.path)
    previous = scratch / ".previous"
    if dest.exists() or dest.is_symlink():
        os.rename(dest, previous)
    try:
        os.rename(unpacked, dest)
    except OSError:
        if previous.exists() or previous.is_symlink():
            os.rename(previous, dest)
        raise
    for number, old in enumerate(superseded):
        os.rename(old.path, scratch / f".superseded-{number}")


def remove(from_code: str, to_code: str) -> list[PackageInfo]:
    """Remove every installed package for the pair; returns what was removed."""
    root = packages_dir()
    found = installed(from_code, to_code)
    if not found:
        raise ModelError(
            f"no {from_code}→{to_code} package is installed",
            path=root,
            hint="`l10n models list` shows the installed packages",
        )
    try:
        with staging.staging_folder(root) as scratch:
            # A rename takes the package away at once; deleting in place could leave a half
            # folder that argostranslate would then fail on.
            for number, package in enumerate(found):
                os.rename(package.path, scratch / f"removed-{number}")
    except OSError as exc:
        raise ModelError(f"cannot remove the package: {exc.strerror or exc}",
                         path=Path(exc.filename) if exc.filename else root,
                         hint="check write permission of the packages folder") from exc
    _clear_argos_cache()
    return found


