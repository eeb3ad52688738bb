"""Argos Translate packages: list, validate, install (from a file or the index) and remove.

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

import functools
import http.client
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from l10n import staging
from l10n.engines import MT_INSTALL_HINT
from l10n.errors import ModelError
from l10n.langcodes import ARGOS_CODES, is_language_code
from l10n.model_check import check_loads
from l10n.package_limits import MAX_ENTRIES_ENV, MAX_SIZE_ENV, Limits

INDEX_ENV = "L10N_ARGOS_INDEX"
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
# Without network the connection attempt is what hangs; a reachable server answers a SYN in
# well under a second, so a few seconds is generous and keeps offline failures quick.
CONNECT_TIMEOUT = 3.0

FILE_HINT = (
    "no network? download the .argosmodel file on a machine that has one (see "
    "https://www.argosopentech.com/argospm/index/) and install it from the file: "
    "l10n models install PATH/TO/translate-de_en.argosmodel"
)
REBUILD_HINT = "get the package again from the Argos index, or rebuild it"

_LFS_MAGIC = b"version https://git-lfs"
_VOCAB_EXTS = (".json", ".txt")
_SBD_FOLDERS = ("minisbd", "stanza", "spacy")
_MAX_METADATA_BYTES = 1 << 20
_MAX_INDEX_BYTES = 64 << 20
_CHUNK = 1 << 16


@dataclass(frozen=True)
class PackageMeta:
    """What `validate` learned about an .argosmodel file without unpacking it."""

    path: Path
    folder: str
    from_code: str
    to_code: str
    package_version: str
    argos_version: str
    type: str
    tokenizer: str
    sbd: str | None
    target_prefix: str
    uncompressed_size: int
    metadata: dict[str, Any] = field(compare=False, repr=False)


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


# --- argostranslate access -------------------------------------------------------------------

def _argos_package() -> ModuleType:
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
    settings = _argos_package().settings
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
    package_mod = _argos_package()
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


# --- validation ------------------------------------------------------------------------------

def _is_macos_junk(name: str) -> bool:
    # Finder's "Compress" adds these resource-fork entries; they are not part of the package.
    return name.startswith("__MACOSX/") or name == "__MACOSX"


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name:
        return "a NUL byte in the name"
    if "\\" in name:
        return "a backslash in the path (unpacks outside the folder on Windows)"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "a '..' path component that leads outside the package folder"
    if any(part in ("", ".") for part in parts):
        return "an empty or '.' path component"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a special file (device, FIFO or socket)"
    if info.flag_bits & 0x1:
        return "it is encrypted"
    return None


def _not_a_zip_reason(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return "not a zip archive"
    if head.startswith(_LFS_MAGIC):
        return "a Git LFS pointer, not the package itself (run `git lfs pull`)"
    if head.lstrip().startswith(b"<"):
        return "an HTML or XML page, not a zip archive (a failed download?)"
    if not head:
        return "an empty file, not a zip archive"
    return "not a zip archive"


def _read_head(zf: zipfile.ZipFile, name: str, size: int = len(_LFS_MAGIC)) -> bytes:
    with zf.open(name) as fh:
        return fh.read(size)


def _validate_open(path: Path, zf: zipfile.ZipFile, limits: Limits) -> PackageMeta:
    def fail(message: str, hint: str = REBUILD_HINT) -> ModelError:
        return ModelError(message, path=path, hint=hint)

    infos = [info for info in zf.infolist() if not _is_macos_junk(info.filename)]
    if not infos:
        raise fail("the archive is empty")
    if len(infos) > limits.max_entries:
        raise fail(f"the archive holds {len(infos)} entries, more than the limit of "
                   f"{limits.max_entries}",
                   hint="an Argos package holds a few dozen files; if you trust this one, "
                   f"raise the limit with --max-entries or ${MAX_ENTRIES_ENV}")
    unpacked_size = sum(info.file_size for info in infos)
    if unpacked_size > limits.max_bytes:
        raise fail(f"the archive unpacks to {unpacked_size >> 20} MiB, more than the limit of "
                   f"{limits.max_bytes >> 20} MiB",
                   hint="refusing a possible zip bomb; if you trust this package, raise the "
                   f"limit with --max-size MB or ${MAX_SIZE_ENV}")
    names: set[str] = set()
    tops: set[str] = set()
    for info in infos:
        problem = _entry_problem(info)
        if problem is not None:
            raise fail(
                f"unsafe archive entry {info.filename!r}: {problem}",
                hint="refusing to unpack it; get the package from a source you trust",
            )
        if info.filename in names:
            raise fail(
                f"the archive holds {info.filename!r} twice",
                hint="refusing an ambiguous archive; " + REBUILD_HINT,
            )
        names.add(info.filename)
        parts = info.filename.rstrip("/").split("/")
        if len(parts) == 1 and not info.is_dir():
            raise fail(
                f"{info.filename!r} lies at the top of the archive, outside any folder",
                hint="an .argosmodel holds exactly one folder with all files inside it; "
                "zip the folder, not its contents",
            )
        tops.add(parts[0])
    if len(tops) != 1:
        listed = ", ".join(sorted(tops))
        raise fail(
            f"expected exactly one top-level folder, found {len(tops)}: {listed}",
            hint="an .argosmodel holds exactly one folder (e.g. translate-de_en-1_9/); "
            + REBUILD_HINT,
        )
    top = tops.pop()
    if top.startswith("."):
        raise fail(f"the package folder {top!r} is hidden (starts with '.')")
    files = {info.filename for info in infos if not info.is_dir()}

    def has(rel: str) -> bool:
        return f"{top}/{rel}" in files

    def size(rel: str) -> int:
        return zf.getinfo(f"{top}/{rel}").file_size

    # metadata.json
    meta_name = f"{top}/metadata.json"
    if not has("metadata.json"):
        raise fail(
            f"no metadata.json in {top}/",
            hint=f"an Argos package has {top}/metadata.json with from_code and to_code; "
            + REBUILD_HINT,
        )
    if size("metadata.json") > _MAX_METADATA_BYTES:
        raise fail(f"{meta_name} is larger than {_MAX_METADATA_BYTES} bytes")
    raw = zf.read(meta_name)
    try:
        metadata = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise fail(f"{meta_name} is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise fail(
            f"{meta_name} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint=f"fix {meta_name} (unzip, edit, zip the folder again) or " + REBUILD_HINT,
        ) from exc
    if not isinstance(metadata, dict):
        raise fail(f"{meta_name} must hold a JSON object, not {type(metadata).__name__}")
    codes: dict[str, str] = {}
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if value is None:
            raise fail(
                f"{meta_name} has no {key}",
                hint=f'add e.g. "from_code": "de", "to_code": "en" to {meta_name}',
            )
        if not is_language_code(value):
            raise fail(
                f"{meta_name}: {key} must be a language code like \"de\", not {value!r}",
                hint=f"use an ISO 639 code (or one of the Argos index's own: "
                f"{', '.join(sorted(ARGOS_CODES))}) in {meta_name}",
            )
        codes[key] = value
    if codes["from_code"] == codes["to_code"]:
        raise fail(
            f"{meta_name}: from_code and to_code are both {codes['from_code']!r}",
            hint="a translation package translates between two languages; fix the codes",
        )
    package_type = metadata.get("type", "translate")
    if package_type != "translate":
        raise fail(
            f"{meta_name}: type is {package_type!r}; only translation packages are supported",
            hint='a translation package has "type": "translate" (or no type at all)',
        )

    # CTranslate2 model: model.bin, a vocabulary and, from model binary version 6 on
    # (CTranslate2 >= 3.0), config.json. CTranslate2 supplies defaults for older models (see
    # SequenceToSequenceModel::initialize), so older Argos packages stay valid without one.
    model_hint = (
        f"{top}/model/ must hold a converted CTranslate2 model (model.bin, config.json and "
        "shared_vocabulary.json or source_/target_vocabulary.json); " + REBUILD_HINT
    )
    if not has("model/model.bin"):
        raise fail(f"no CTranslate2 model: {top}/model/model.bin is missing", hint=model_hint)
    if size("model/model.bin") == 0:
        raise fail(f"{top}/model/model.bin is empty", hint=model_hint)
    head = _read_head(zf, f"{top}/model/model.bin")
    if head.startswith(_LFS_MAGIC):
        raise fail(
            f"{top}/model/model.bin is a Git LFS pointer, not the model",
            hint="run `git lfs pull` where the package was built, then zip it again",
        )
    if len(head) < 4:
        raise fail(f"{top}/model/model.bin is truncated ({len(head)} bytes)", hint=model_hint)
    binary_version = int.from_bytes(head[:4], "little")

    def vocab(stem: str) -> bool:
        return any(has(f"model/{stem}{ext}") for ext in _VOCAB_EXTS)

    source_vocab = vocab("source_vocabulary") or vocab("source_1_vocabulary")
    if not (vocab("shared_vocabulary") or (source_vocab and vocab("target_vocabulary"))):
        raise fail(f"no vocabulary in {top}/model/", hint=model_hint)
    if binary_version >= 6 and not has("model/config.json"):
        raise fail(
            f"{top}/model/config.json is missing; CTranslate2 needs it for this model "
            f"(model.bin binary version {binary_version})",
            hint=model_hint,
        )
    if has("model/config.json"):
        try:
            json.loads(zf.read(f"{top}/model/config.json").decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise fail(f"{top}/model/config.json is not valid JSON: {exc}",
                       hint=model_hint) from exc

    # Tokenizer: argostranslate prefers sentencepiece.model over bpe.model, and so do we.
    tokenizer = next((t for t in ("sentencepiece.model", "bpe.model") if has(t)), None)
    if tokenizer is None:
        raise fail(
            f"no tokenizer: neither {top}/sentencepiece.model nor {top}/bpe.model",
            hint="the package needs the SentencePiece (or BPE) model it was trained with; "
            + REBUILD_HINT,
        )
    if size(tokenizer) == 0:
        raise fail(f"{top}/{tokenizer} is empty")
    if _read_head(zf, f"{top}/{tokenizer}").startswith(_LFS_MAGIC):
        raise fail(
            f"{top}/{tokenizer} is a Git LFS pointer, not the tokenizer",
            hint="run `git lfs pull` where the package was built, then zip it again",
        )

    sbd = next((s for s in _SBD_FOLDERS if any(n.startswith(f"{top}/{s}/") for n in names)),
               None)
    return PackageMeta(
        path=path,
        folder=top,
        from_code=codes["from_code"],
        to_code=codes["to_code"],
        package_version=str(metadata.get("package_version", "")),
        argos_version=str(metadata.get("argos_version", "")),
        type="translate",
        tokenizer=tokenizer,
        sbd=sbd,
        target_prefix=str(metadata.get("target_prefix", "") or ""),
        uncompressed_size=unpacked_size,
        metadata=metadata,
    )


def _open_zip(path: Path) -> zipfile.ZipFile:
    path = Path(path)
    if not path.exists():
        raise ModelError(
            "package file not found",
            path=path,
            hint="check the path; `l10n models install de en` downloads it from the index",
        )
    if not path.is_file():
        raise ModelError(
            "is a folder, not an .argosmodel file",
            path=path,
            hint="pass the .argosmodel (zip) file; to install an unpacked package folder, "
            "zip the folder first",
        )
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ModelError(
            f"not a valid package: {_not_a_zip_reason(path)}",
            path=path,
            hint="an .argosmodel file is a zip archive; download it again",
        ) from exc
    except OSError as exc:
        raise ModelError(f"cannot read the package: {exc.strerror or exc}", path=path) from exc


def validate(path: Path, *, limits: Limits | None = None) -> PackageMeta:
    """Check an .argosmodel file without unpacking it; ModelError says what is wrong."""
    path = Path(path)
    with _open_zip(path) as zf:
        try:
            return _validate_open(path, zf, limits or Limits.from_env())
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ModelError(f"the archive is corrupt: {exc}", path=path,
                             hint="download the package again") from exc


# --- installing and removing -----------------------------------------------------------------

def _extract(zf: zipfile.ZipFile, into: Path, limits: Limits, shown: Path) -> None:
    into = into.resolve()
    written = 0
    for info in zf.infolist():
        if _is_macos_junk(info.filename):
            continue
        target = into.joinpath(*info.filename.rstrip("/").split("/"))
        # Validation already refused escaping names; this guards against a future change there.
        if into not in target.resolve().parents:
            raise ModelError(f"archive entry {info.filename!r} escapes the package folder")
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, target.open("xb") as dst:
            # zipfile stops at each entry's declared size; counting guards the total anyway.
            while block := src.read(_CHUNK):
                written += len(block)
                if written > limits.max_bytes:
                    raise ModelError(f"the archive unpacks to more than the limit of "
                                     f"{limits.max_bytes >> 20} MiB", path=shown,
                                     hint=f"raise the limit with --max-size MB or "
                                     f"${MAX_SIZE_ENV} if you trust this package")
                dst.write(block)


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
    see `l10n.model_check`) and only then renamed into place, so a failure (a package that
    does not load, a corrupt archive, a full disk, permissions) leaves the packages folder
    exactly as it was. A package of another pair is never replaced.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    package_mod = _argos_package()
    root = packages_dir()
    with _open_zip(path) as zf:
        # One open archive for validation and extraction: the file cannot change in between.
        try:
            meta = _validate_open(path, zf, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ModelError(f"the archive is corrupt: {exc}", path=path,
                             hint="download the package again") from exc
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
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ModelError(f"the archive is corrupt: {exc}", path=path,
                             hint="download the package again") from exc
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
    _extract(zf, scratch, limits, meta.path)
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


# --- the package index -----------------------------------------------------------------------

class _HTTPConnection(http.client.HTTPConnection):
    """Connects within the connect timeout, then reads with the (longer) read timeout."""

    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self._read_timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()  # TCP and TLS handshake, both under the connect timeout
        self.sock.settimeout(self._read_timeout)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_HTTPConnection, read_timeout=self._read_timeout)
        return self.do_open(factory, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float) -> None:
        super().__init__()
        self._read_timeout = read_timeout

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_HTTPSConnection, read_timeout=self._read_timeout)
        return self.do_open(factory, req, context=self._context)  # type: ignore[attr-defined]


def _urlopen(url: str, timeout: float) -> Any:
    from l10n import __version__

    opener = urllib.request.build_opener(_HTTPHandler(timeout), _HTTPSHandler(timeout))
    request = urllib.request.Request(url, headers={"User-Agent": f"l10n/{__version__}"})
    return opener.open(request, timeout=min(timeout, CONNECT_TIMEOUT))


def _network_error(what: str, url: str, exc: BaseException, timeout: float) -> ModelError:
    if isinstance(exc, urllib.error.HTTPError):
        return ModelError(
            f"cannot download {what}: HTTP {exc.code} {exc.reason} from {url}",
            hint=f"check the index URL (argument or {INDEX_ENV}); " + FILE_HINT,
        )
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        text = f"no answer within {min(timeout, CONNECT_TIMEOUT):g} s (connect) / {timeout:g} s"
    elif isinstance(reason, OSError) and reason.strerror:
        text = reason.strerror
    else:
        text = str(reason) or type(reason).__name__
    if isinstance(reason, FileNotFoundError):
        return ModelError(f"cannot read {what}: file not found: {url}",
                          hint=f"check the index URL (argument or {INDEX_ENV})")
    return ModelError(f"cannot download {what} from {url}: {text}", hint=FILE_HINT)


def resolve_index_url(index_url: str | None = None) -> str:
    """The index to use: the argument, then $L10N_ARGOS_INDEX, then argostranslate's.

    A plain path becomes a file:// URL; a URL ending in '/' gets 'index.json' appended (the
    form argostranslate's ARGOS_PACKAGE_INDEX uses).
    """
    url = index_url or os.environ.get(INDEX_ENV)
    if not url:
        try:
            url = str(_argos_package().settings.remote_package_index)
        except ModelError:
            url = DEFAULT_INDEX_URL
    scheme = urllib.parse.urlsplit(url).scheme
    if not scheme or re.match(r"^[A-Za-z]:[\\/]", url):
        url = Path(url).resolve().as_uri()
    if url.endswith("/"):
        url += "index.json"
    return url


_NETWORK_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException, ValueError)


def _fetch_index(url: str, timeout: float) -> list[Any]:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise ModelError(f"unsupported index URL scheme {scheme!r}: {url}",
                         hint="use an http(s):// or file:// URL, or a path")
    try:
        with _urlopen(url, timeout) as response:
            raw = response.read(_MAX_INDEX_BYTES + 1)
    except _NETWORK_ERRORS as exc:
        raise _network_error("the Argos package index", url, exc, timeout) from exc
    if len(raw) > _MAX_INDEX_BYTES:
        raise ModelError(f"the package index at {url} is larger than {_MAX_INDEX_BYTES >> 20} MiB")
    try:
        index = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the package index at {url} is not valid JSON: {exc}",
                         hint=f"check the index URL (argument or {INDEX_ENV})") from exc
    if not isinstance(index, list):
        raise ModelError(f"the package index at {url} is not a JSON list of packages",
                         hint=f"check the index URL (argument or {INDEX_ENV})")
    return index


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text))


def _pick(index: list[Any], from_code: str, to_code: str, url: str) -> dict[str, Any]:
    entries = [e for e in index
               if isinstance(e, dict) and e.get("type", "translate") == "translate"]
    matches = [e for e in entries
               if e.get("from_code") == from_code and e.get("to_code") == to_code]
    if not matches:
        targets = sorted({str(e.get("to_code")) for e in entries
                          if e.get("from_code") == from_code})
        hint = (f"packages from {from_code!r} in this index go to: {', '.join(targets)}"
                if targets else f"this index has no package from {from_code!r}")
        raise ModelError(f"no {from_code}→{to_code} package in the index {url}", hint=hint)
    return max(matches, key=lambda e: _version_key(str(e.get("package_version", ""))))


def _download(url: str, target: Path, timeout: float,
              on_progress: Callable[[int, int | None], None] | None) -> None:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise ModelError(f"unsupported download URL scheme {scheme!r}: {url}")
    try:
        with _urlopen(url, timeout) as response, target.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            if on_progress is not None:
                on_progress(done, total)
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                if on_progress is not None:
                    on_progress(done, total)
    except _NETWORK_ERRORS as exc:
        raise _network_error("the package", url, exc, timeout) from exc
    if total is not None and done != total:
        raise ModelError(f"download of {url} stopped after {done} of {total} bytes",
                         hint="try again; " + FILE_HINT)


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 10,
    limits: Limits | None = None,
) -> PackageInfo:
    """Download the pair's package named by the Argos index and install it.

    `on_progress(done, total)` is called as bytes arrive (`total` is None when unknown).
    Connecting gives up after min(timeout, CONNECT_TIMEOUT) seconds, a stalled read after
    `timeout`, so without network this fails within seconds.
    """
    for code in (from_code, to_code):
        if not is_language_code(code):
            raise ModelError(f"{code!r} is not a language code",
                             hint="use ISO 639 codes such as 'de' and 'en'")
    if from_code == to_code:
        raise ModelError(f"from and to are both {from_code!r}",
                         hint="name two languages, e.g. `l10n models install de en`")
    limits = limits or Limits.from_env()
    _argos_package()  # fail before downloading anything if it could not be installed
    url = resolve_index_url(index_url)
    entry = _pick(_fetch_index(url, timeout), from_code, to_code, url)
    raw_links = entry.get("links")
    links = [urllib.parse.urljoin(url, link) for link in raw_links or [] if isinstance(link, str)]
    if not links:
        raise ModelError(f"the index entry for {from_code}→{to_code} has no download links",
                         hint=FILE_HINT)
    with tempfile.TemporaryDirectory(prefix="l10n-download-") as tmp:
        target = Path(tmp) / f"translate-{from_code}_{to_code}.argosmodel"
        failures: list[ModelError] = []
        for link in links:  # further links are mirrors
            try:
                _download(link, target, timeout, on_progress)
                break
            except ModelError as exc:
                failures.append(exc)
        else:
            if len(failures) == 1:
                raise failures[0]
            raise ModelError(
                f"every download link for {from_code}→{to_code} failed: "
                + "; ".join(f.message for f in failures),
                hint=FILE_HINT,
            )
        meta = validate(target, limits=limits)
        if (meta.from_code, meta.to_code) != (from_code, to_code):
            raise ModelError(
                f"the index promised a {from_code}→{to_code} package, the download is "
                f"{meta.from_code}→{meta.to_code} ({links[0]})",
                hint="the index is wrong; " + FILE_HINT,
            )
        return install_file(target, limits=limits)
