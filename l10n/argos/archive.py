"""An .argosmodel file: a zip archive checked without unpacking, then unpacked within limits.

`validate` reads only the archive's directory, metadata.json and the first bytes of the model
and tokenizer: a zip bomb, a path escaping the package folder, a Git LFS pointer or a package
without a model is refused before anything is written. `extract` unpacks a validated archive
and counts what it writes against the same `Limits`.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.argos.limits import MAX_ENTRIES_ENV, MAX_SIZE_ENV, Limits
from l10n.errors import ModelError
from l10n.langcodes import ARGOS_CODES, is_language_code

REBUILD_HINT = "get the package again from the Argos index, or rebuild it"
#: What zipfile raises on an archive that is damaged past its directory.
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError)

_LFS_MAGIC = b"version https://git-lfs"
_VOCAB_EXTS = (".json", ".txt")
_SBD_FOLDERS = ("minisbd", "stanza", "spacy")
_MAX_METADATA_BYTES = 1 << 20
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


def validate_open(path: Path, zf: zipfile.ZipFile, limits: Limits) -> PackageMeta:
    """`validate` on an archive already open, so that it cannot change before `extract`."""
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


def open_package(path: Path) -> zipfile.ZipFile:
    """The .argosmodel file opened as a zip archive; ModelError says why it is not one."""
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
    with open_package(path) as zf:
        try:
            return validate_open(path, zf, limits or Limits.from_env())
        except CORRUPT as exc:
            raise corrupt(path, exc) from exc


def corrupt(path: Path, exc: BaseException) -> ModelError:
    """The error for one of `CORRUPT` raised while reading the archive at `path`."""
    return ModelError(f"the archive is corrupt: {exc}", path=path,
                      hint="download the package again")


def extract(zf: zipfile.ZipFile, into: Path, limits: Limits, shown: Path) -> None:
    """Unpack a validated archive into `into`; errors name `shown`, the package file."""
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

