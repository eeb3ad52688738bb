"""Package management: validation table, atomic install/remove, index install, offline failure."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from l10n.argos import archive as argos_archive
from l10n.argos import index as argos_index
from l10n.argos import limits as argos_limits
from l10n.argos import packages as argos_packages
from l10n.errors import ModelError

TOP = "translate-de_en-1_0"
FIXTURE = Path(__file__).parent / "fixtures" / "translate-de_en-tiny.argosmodel"
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@functools.cache
def fixture_files() -> dict[str, bytes]:
    """The real tiny package's files by path inside its folder: installs load the model."""
    with zipfile.ZipFile(FIXTURE) as zf:
        return {info.filename.split("/", 1)[1]: zf.read(info) for info in zf.infolist()
                if not info.is_dir() and info.filename.count("/") >= 1}


def default_files(top: str = TOP, *, from_code: str = "de", to_code: str = "en",
                  version: str = "1.0") -> dict[str, bytes]:
    real = fixture_files()
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": "German",
        "to_code": to_code,
        "to_name": "English",
    }
    return {
        f"{top}/metadata.json": json.dumps(metadata).encode(),
        # Stored uncompressed so that tests can corrupt its bytes in place.
        f"{top}/model/model.bin": real["model/model.bin"],
        f"{top}/model/config.json": real["model/config.json"],
        f"{top}/model/shared_vocabulary.json": real["model/shared_vocabulary.json"],
        f"{top}/sentencepiece.model": real["sentencepiece.model"],
        f"{top}/README.md": b"tiny test package\n",
    }


def write_zip(path: Path, files: dict[str, bytes | None],
              extra: list[zipfile.ZipInfo | tuple[zipfile.ZipInfo, bytes]] | None = None) -> Path:
    """Write a zip; a None value drops that entry, `extra` adds hand-made entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            if data is None:
                continue
            method = zipfile.ZIP_STORED if name.endswith("model.bin") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=method)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name" is what one case wants
            for item in extra or []:
                info, data = item if isinstance(item, tuple) else (item, b"x")
                zf.writestr(info, data)
    return path


def make_package(path: Path, *, top: str = TOP, changes: dict[str, bytes | None] | None = None,
                 extra: list[Any] | None = None, **meta: str) -> Path:
    files: dict[str, bytes | None] = dict(default_files(top, **meta))
    files.update(changes or {})
    return write_zip(path, files, extra)


def symlink_entry() -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(f"{TOP}/model/vocab-link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, b"/etc/passwd"


def mark_encrypted(path: Path, name: str) -> None:
    """Set the 'encrypted' flag of one entry (zipfile cannot write encrypted archives)."""
    data = bytearray(path.read_bytes())
    raw = name.encode()
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.index(signature)
        while data[at + name_at:at + name_at + len(raw)] != raw:
            at = data.index(signature, at + 4)
        data[at + flag_at] |= 0x1
    path.write_bytes(bytes(data))


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "argos" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    monkeypatch.delenv(argos_index.INDEX_ENV, raising=False)
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return root


def staging(root: Path) -> list[str]:
    """Staging folders left in the packages folder or next to it."""
    return [p.name for folder in (root, root.parent) if folder.is_dir()
            for p in folder.iterdir() if p.name.startswith(".l10n-staging-")]


def leftovers(root: Path) -> list[str]:
    """Everything under the packages folder, and staging folders next to it."""
    found = sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []
    return found + staging(root)


# --- validation ------------------------------------------------------------------------------

META = f"{TOP}/metadata.json"
VALIDATION_CASES: list[tuple[str, dict[str, Any], str]] = [
    # (id, how to build the file, text the error message must contain)
    ("not-a-zip", {"raw": b"hello, I am not a zip\n"}, "not a zip archive"),
    ("html-page", {"raw": b"<!DOCTYPE html><html>404</html>"}, "HTML"),
    ("lfs-pointer", {"raw": b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\n"},
     "Git LFS pointer"),
    ("empty-file", {"raw": b""}, "empty file"),
    ("empty-zip", {"files": {}}, "archive is empty"),
    ("two-top-folders", {"extra_files": {"other/notes.txt": b"x"}},
     "exactly one top-level folder, found 2"),
    ("file-at-top", {"extra_files": {"metadata.json": b"{}"}}, "outside any folder"),
    ("dotdot", {"extra": [f"{TOP}/../evil.sh"]}, "'..'"),
    ("absolute", {"extra": ["/tmp/evil.sh"]}, "absolute path"),
    ("drive-letter", {"extra": ["C:/evil.sh"]}, "absolute path"),
    ("backslash", {"extra": [f"{TOP}\\..\\evil.sh"]}, "backslash"),
    ("symlink", {"extra": [symlink_entry]}, "symbolic link"),
    ("encrypted", {"extra_files": {f"{TOP}/secret.txt": b"x"},
                   "encrypt": f"{TOP}/secret.txt"}, "encrypted"),
    ("duplicate", {"extra": [META]}, "twice"),
    ("hidden-top", {"top": ".hidden"}, "hidden"),
    ("no-metadata", {"changes": {META: None}}, "no metadata.json"),
    ("bad-json", {"changes": {META: b'{"from_code": "de",'}}, "not valid JSON"),
    ("not-utf8", {"changes": {META: b'{"from_code": "\xff"}'}}, "not UTF-8"),
    ("json-list", {"changes": {META: b'["de", "en"]'}}, "JSON object"),
    ("no-from-code", {"changes": {META: b'{"to_code": "en"}'}}, "no from_code"),
    ("no-to-code", {"changes": {META: b'{"from_code": "de"}'}}, "no to_code"),
    ("bad-code", {"changes": {META: b'{"from_code": "../de", "to_code": "en"}'}},
     "language code"),
    ("sbd-type", {"changes": {META: b'{"from_code": "de", "to_code": "en", "type": "sbd"}'}},
     "type is 'sbd'"),
    ("no-model-bin", {"changes": {f"{TOP}/model/model.bin": None}}, "model.bin is missing"),
    ("model-bin-folder", {"changes": {f"{TOP}/model/model.bin": None},
                          "extra": [f"{TOP}/model/model.bin/"]}, "model.bin is missing"),
    ("empty-model-bin", {"changes": {f"{TOP}/model/model.bin": b""}}, "model.bin is empty"),
    ("lfs-model-bin", {"changes": {f"{TOP}/model/model.bin": b"version https://git-lfs.x\n"}},
     "Git LFS pointer"),
    ("no-vocabulary", {"changes": {f"{TOP}/model/shared_vocabulary.json": None}},
     "no vocabulary"),
    ("bad-model-config", {"changes": {f"{TOP}/model/config.json": b"{"}}, "config.json"),
    ("no-model-config", {"changes": {f"{TOP}/model/config.json": None}},
     "config.json is missing"),
    ("truncated-model-bin", {"changes": {f"{TOP}/model/model.bin": b"\x06"}}, "truncated"),
    ("no-tokenizer", {"changes": {f"{TOP}/sentencepiece.model": None}}, "no tokenizer"),
    ("empty-sentencepiece", {"changes": {f"{TOP}/sentencepiece.model": b""}},
     "sentencepiece.model is empty"),
    ("not-a-language", {"changes": {META: b'{"from_code": "klingon", "to_code": "en"}'}},
     "language code"),
    ("code-with-newline", {"changes": {META: b'{"from_code": "de\\n", "to_code": "en"}'}},
     "language code"),
    ("code-not-a-string", {"changes": {META: b'{"from_code": 7, "to_code": "en"}'}},
     "language code"),
    ("same-languages", {"changes": {META: b'{"from_code": "de", "to_code": "de"}'}},
     "both 'de'"),
]


def build_case(tmp_path: Path, spec: dict[str, Any]) -> Path:
    path = tmp_path / "case.argosmodel"
    if "raw" in spec:
        path.write_bytes(spec["raw"])
        return path
    if "files" in spec:
        return write_zip(path, spec["files"])
    changes = dict(spec.get("changes", {}))
    changes.update(spec.get("extra_files", {}))
    # Fresh ZipInfo objects per test: writing one into a zip mutates it.
    extra = [zipfile.ZipInfo(item) if isinstance(item, str) else item()
             for item in spec.get("extra", [])]
    make_package(path, top=spec.get("top", TOP), changes=changes, extra=extra)
    if "encrypt" in spec:
        mark_encrypted(path, spec["encrypt"])
    return path


@pytest.mark.parametrize(("spec", "expected"), [(s, e) for _, s, e in VALIDATION_CASES],
                         ids=[case_id for case_id, _, _ in VALIDATION_CASES])
def test_validate_rejects(tmp_path: Path, spec: dict[str, Any], expected: str) -> None:
    path = build_case(tmp_path, spec)
    with pytest.raises(ModelError) as info:
        argos_archive.validate(path)
    err = info.value
    assert expected in err.message
    assert err.path == path  # names the file ...
    assert err.hint  # ... and says how to fix it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.argosmodel"]  # nothing unpacked


@pytest.mark.parametrize(("spec", "expected"), [(s, e) for _, s, e in VALIDATION_CASES[:12]],
                         ids=[case_id for case_id, _, _ in VALIDATION_CASES[:12]])
def test_failed_install_leaves_nothing(tmp_path: Path, packages: Path, spec: dict[str, Any],
                                       expected: str) -> None:
    path = build_case(tmp_path, spec)
    with pytest.raises(ModelError, match=expected.replace("(", r"\(")):
        argos_packages.install_file(path)
    assert leftovers(packages) == []
    assert not (tmp_path / "evil.sh").exists()


def test_validate_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found") as info:
        argos_archive.validate(tmp_path / "nope.argosmodel")
    assert info.value.path == tmp_path / "nope.argosmodel"
    with pytest.raises(ModelError, match="is a folder"):
        argos_archive.validate(tmp_path)


def test_validate_good_package(tmp_path: Path) -> None:
    path = make_package(tmp_path / "good.argosmodel",
                        changes={f"{TOP}/minisbd/model.onnx": b"onnx",
                                 "__MACOSX/._translate-de_en-1_0": b"finder junk"})
    meta = argos_archive.validate(path)
    assert (meta.folder, meta.from_code, meta.to_code) == (TOP, "de", "en")
    assert (meta.package_version, meta.argos_version) == ("1.0", "1.9")
    assert meta.tokenizer == "sentencepiece.model"
    assert meta.sbd == "minisbd"
    assert meta.uncompressed_size > 4096
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.argosmodel"]


def test_validate_accepts_bpe_split_vocab_and_old_model_without_config(tmp_path: Path) -> None:
    # CTranslate2 < 3 (model.bin binary version < 6) wrote no config.json, and CTranslate2
    # still loads such models with default settings.
    path = make_package(tmp_path / "bpe.argosmodel", changes={
        f"{TOP}/model/model.bin": b"\x05\x00\x00\x00" + b"\x01" * 4096,
        f"{TOP}/sentencepiece.model": None,
        f"{TOP}/bpe.model": b"#version: 0.2\nd e\n",
        f"{TOP}/model/config.json": None,
        f"{TOP}/model/shared_vocabulary.json": None,
        f"{TOP}/model/source_vocabulary.txt": b"<unk>\n",
        f"{TOP}/model/target_vocabulary.txt": b"<unk>\n",
    })
    assert argos_archive.validate(path).tokenizer == "bpe.model"


def test_validate_works_without_argostranslate(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "argostranslate.package", None)
    assert argos_archive.validate(make_package(tmp_path / "p.argosmodel")).from_code == "de"
    with pytest.raises(ModelError) as info:
        argos_packages.installed()
    assert info.value.hint is not None
    assert "pip install --no-deps 'argostranslate>=1.11,<2'" in info.value.hint


# --- install / list / remove -----------------------------------------------------------------

def test_install_list_remove_roundtrip(tmp_path: Path, packages: Path) -> None:
    assert argos_packages.installed() == []
    info = argos_packages.install_file(make_package(tmp_path / "de_en.argosmodel"))
    assert (info.from_code, info.to_code, info.name) == ("de", "en", TOP)
    assert (info.package_version, info.argos_version) == ("1.0", "1.9")
    assert (info.from_name, info.to_name) == ("German", "English")
    assert info.path == packages / TOP
    assert (info.path / "model" / "model.bin").is_file()
    assert info.size_bytes > 4096
    assert argos_packages.installed() == [info]
    assert argos_packages.installed("de", "en") == [info]
    assert argos_packages.installed("de") == [info]
    assert argos_packages.installed("en", "de") == []
    assert staging(packages) == []

    assert argos_packages.remove("de", "en") == [info]
    assert argos_packages.installed() == []
    assert leftovers(packages) == []
    with pytest.raises(ModelError, match="no de→en package is installed") as err:
        argos_packages.remove("de", "en")
    assert "l10n models list" in (err.value.hint or "")


def test_reinstall_replaces_cleanly(tmp_path: Path, packages: Path) -> None:
    argos_packages.install_file(make_package(tmp_path / "v1.argosmodel",
                                     changes={f"{TOP}/only-in-v1.txt": b"old"}))
    info = argos_packages.install_file(make_package(tmp_path / "v2.argosmodel", version="2.0"))
    assert [p.package_version for p in argos_packages.installed()] == ["2.0"]
    assert not (info.path / "only-in-v1.txt").exists()
    assert staging(packages) == []


def test_new_folder_for_same_pair_supersedes_old(tmp_path: Path, packages: Path) -> None:
    argos_packages.install_file(make_package(tmp_path / "a.argosmodel", top="translate-de_en-1_0"))
    argos_packages.install_file(make_package(tmp_path / "e.argosmodel", top="translate-en_de-1_0",
                                     from_code="en", to_code="de"))
    argos_packages.install_file(make_package(tmp_path / "b.argosmodel", top="translate-de_en-1_9",
                                     version="1.9"))
    assert [(p.name, p.package_version) for p in argos_packages.installed()] == [
        ("translate-de_en-1_9", "1.9"), ("translate-en_de-1_0", "1.0")]


def test_remove_leaves_other_pairs(tmp_path: Path, packages: Path) -> None:
    argos_packages.install_file(make_package(tmp_path / "a.argosmodel"))
    argos_packages.install_file(make_package(tmp_path / "b.argosmodel", top="translate-en_de-1_0",
                                     from_code="en", to_code="de"))
    argos_packages.remove("de", "en")
    assert [(p.from_code, p.to_code) for p in argos_packages.installed()] == [("en", "de")]


def corrupt_model_bin(path: Path) -> None:
    """Flip a byte late in the (stored) model.bin: the zip opens, the CRC check fails."""
    model = fixture_files()["model/model.bin"]
    data = bytearray(path.read_bytes())
    at = data.index(model[-4096:]) + 4000
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_corrupt_archive_keeps_previous_install(tmp_path: Path, packages: Path) -> None:
    good = argos_packages.install_file(make_package(tmp_path / "v1.argosmodel"))
    before = leftovers(packages)
    bad = make_package(tmp_path / "v2.argosmodel", version="2.0")
    corrupt_model_bin(bad)
    argos_archive.validate(bad)  # reading headers and metadata does not notice ...
    with pytest.raises(ModelError, match="corrupt"):
        argos_packages.install_file(bad)  # ... unpacking does, and nothing changes
    assert argos_packages.installed() == [good]
    assert leftovers(packages) == before


def test_language_codes() -> None:
    from l10n.langcodes import is_language_code

    good = ["de", "en", "gsw", "tlh", "pt_BR", "zh-Hant", "pb", "zt", "nb"]
    bad = ["klingon", "de\n", " de", "DE", "xx", "", "d", "de_", 5, None]
    assert [c for c in good if not is_language_code(c)] == []
    assert [c for c in bad if is_language_code(c)] == []


# A package that passes every structural check but does not load: each is refused with the
# reason, and the working package installed for the same pair stays.
NOT_LOADING = [
    ("zeroed-model", {f"{TOP}/model/model.bin": "zeros"}, "CTranslate2 model"),
    ("random-model", {f"{TOP}/model/model.bin": "random"}, "CTranslate2 model"),
    ("text-model", {f"{TOP}/model/model.bin": "text"}, "CTranslate2 model"),
    ("garbage-tokenizer", {f"{TOP}/sentencepiece.model": "random"}, "tokenizer"),
    ("text-tokenizer", {f"{TOP}/sentencepiece.model": "text"}, "tokenizer"),
]


def spoil(kind: str, like: bytes) -> bytes:
    import random

    size = len(like)
    if kind == "zeros":
        return bytes(size)
    if kind == "text":
        return (b"this is not a model\n" * (size // 20 + 1))[:size]
    # Random bytes after a valid binary-version header, so that only loading can tell.
    return like[:4] + random.Random(14).randbytes(size - 4)


@pytest.mark.parametrize(("spoiled", "expected"), [(c, e) for _, c, e in NOT_LOADING],
                         ids=[case_id for case_id, _, _ in NOT_LOADING])
def test_package_that_does_not_load_is_refused_and_keeps_the_old(
        tmp_path: Path, packages: Path, spoiled: dict[str, str], expected: str) -> None:
    good = argos_packages.install_file(make_package(tmp_path / "v1.argosmodel"))
    before = leftovers(packages)
    files = default_files(version="2.0")
    changes = {name: spoil(kind, files[name]) for name, kind in spoiled.items()}
    bad = make_package(tmp_path / "v2.argosmodel", version="2.0", changes=changes)
    argos_archive.validate(bad)  # structurally fine ...
    with pytest.raises(ModelError) as info:
        argos_packages.install_file(bad)  # ... but it does not load
    assert "does not load" in info.value.message and expected in info.value.message
    assert info.value.path == bad and "nothing was installed" in (info.value.hint or "")
    assert argos_packages.installed() == [good]
    assert leftovers(packages) == before


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, packages: Path) -> None:
    """1.1 GB of zeros in a ~1 MB archive: over the default limit of 1 GiB."""
    bomb = make_package(tmp_path / "bomb.argosmodel")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf, \
            zf.open(f"{TOP}/padding.bin", "w", force_zip64=True) as fh:
        block = bytes(1 << 20)
        for _ in range(1100):
            fh.write(block)
    assert bomb.stat().st_size < 5 << 20
    with pytest.raises(ModelError, match=r"unpacks to 1\d\d\d MiB, more than the limit of "
                       r"1024 MiB") as info:
        argos_packages.install_file(bomb)
    assert "--max-size" in (info.value.hint or "")
    assert leftovers(packages) == []


def test_limits_are_configurable(tmp_path: Path, packages: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    many = {f"{TOP}/extra/{n}.txt": b"x" * 30_000 for n in range(40)}  # 1.2 MB
    package = make_package(tmp_path / "many.argosmodel", changes=many)
    monkeypatch.setenv(argos_limits.MAX_ENTRIES_ENV, "20")
    with pytest.raises(ModelError, match="entries, more than the limit of 20"):
        argos_packages.install_file(package)
    monkeypatch.setenv(argos_limits.MAX_ENTRIES_ENV, "100")
    monkeypatch.setenv(argos_limits.MAX_SIZE_ENV, "1")
    with pytest.raises(ModelError, match="more than the limit of 1 MiB"):
        argos_packages.install_file(package)
    assert leftovers(packages) == []
    info = argos_packages.install_file(package, limits=argos_limits.Limits.from_env(max_mb=10))
    assert (info.path / "extra" / "39.txt").is_file()
    monkeypatch.setenv(argos_limits.MAX_SIZE_ENV, "lots")
    with pytest.raises(ModelError, match="must be a whole number"):
        argos_limits.Limits.from_env()


def test_package_of_another_pair_is_never_replaced(tmp_path: Path, packages: Path) -> None:
    de_en = argos_packages.install_file(make_package(tmp_path / "de_en.argosmodel"))
    # An en→de package whose folder is named like the de→en one.
    impostor = make_package(tmp_path / "en_de.argosmodel", from_code="en", to_code="de")
    with pytest.raises(ModelError, match="already holds the de→en package") as info:
        argos_packages.install_file(impostor)
    assert "l10n models remove de en" in (info.value.hint or "")
    assert argos_packages.installed() == [de_en]


def test_leftovers_of_a_killed_install_are_swept(tmp_path: Path, packages: Path) -> None:
    import fcntl

    argos_packages.install_file(make_package(tmp_path / "a.argosmodel"))
    # A killed install: its staging folder with a lock nobody holds, and a half package.
    dead = packages.parent / ".l10n-staging-killed"
    (dead / TOP / "model").mkdir(parents=True)
    (dead / TOP / "model" / "model.bin").write_bytes(bytes(1 << 20))
    (dead / ".lock").touch()
    # A running one: its lock is held.
    alive = packages.parent / ".l10n-staging-running"
    alive.mkdir()
    fd = os.open(alive / ".lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        argos_packages.install_file(make_package(tmp_path / "b.argosmodel", version="2.0"))
        assert staging(packages) == [alive.name]
    finally:
        os.close(fd)
    argos_packages.remove("de", "en")  # the next operation sweeps it, now that it is free
    assert staging(packages) == []


def test_broken_folder_is_skipped_and_reported(tmp_path: Path, packages: Path) -> None:
    argos_packages.install_file(make_package(tmp_path / "a.argosmodel"))
    (packages / "half-installed" / "model").mkdir(parents=True)
    (packages / ".hidden-scratch").mkdir()
    assert [p.name for p in argos_packages.installed()] == [TOP]
    problems = argos_packages.problems()
    assert len(problems) == 1
    assert problems[0].path == packages / "half-installed"
    assert "no metadata.json" in problems[0].message
    assert "rm -r" in (problems[0].hint or "")


def test_packages_dir_follows_env_after_import(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # argostranslate.settings froze ARGOS_PACKAGES_DIR when it was imported; we do not.
    for name in ("one", "two"):
        monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / name))
        assert argos_packages.packages_dir() == tmp_path / name
        argos_packages.install_file(make_package(tmp_path / f"{name}.argosmodel"))
        assert [p.path.parent for p in argos_packages.installed()] == [tmp_path / name]


def test_fresh_process_respects_env_and_stays_light(tmp_path: Path, packages: Path) -> None:
    argos_packages.install_file(make_package(tmp_path / "a.argosmodel"))
    code = (
        "import sys; from l10n.argos import packages; "
        "print(packages.packages_dir()); print([p.name for p in packages.installed()]); "
        "print(sorted(m for m in ('argostranslate.translate', 'torch', 'stanza') "
        "if m in sys.modules))"
    )
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=60).stdout.splitlines()
    assert out == [str(packages), f"['{TOP}']", "[]"]


# --- the index -------------------------------------------------------------------------------

def write_index(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def entry(links: list[str], *, from_code: str = "de", to_code: str = "en",
          version: str = "1.0") -> dict[str, Any]:
    return {"type": "translate", "from_code": from_code, "to_code": to_code,
            "package_version": version, "argos_version": "1.9", "links": links}


def test_install_from_file_index_with_progress(tmp_path: Path, packages: Path) -> None:
    package = make_package(tmp_path / "de_en.argosmodel")
    index = write_index(tmp_path / "index.json", [
        entry([package.as_uri()]),
        entry(["https://example.invalid/en_de.argosmodel"], from_code="en", to_code="de"),
    ])
    calls: list[tuple[int, int | None]] = []
    info = argos_index.install_from_index("de", "en", index_url=index.as_uri(),
                                     on_progress=lambda done, total: calls.append((done, total)))
    assert argos_packages.installed() == [info]
    size = package.stat().st_size
    assert calls[0] == (0, size)
    assert calls[-1] == (size, size)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_index_from_env_relative_link_and_newest_version(tmp_path: Path, packages: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_package(tmp_path / "old.argosmodel", version="1.0")
    make_package(tmp_path / "new.argosmodel", version="1.10")
    index = write_index(tmp_path / "index.json", [
        entry(["old.argosmodel"], version="1.0"),
        entry(["new.argosmodel"], version="1.10"),
        entry(["old.argosmodel"], version="1.9"),
    ])
    monkeypatch.setenv(argos_index.INDEX_ENV, str(index))  # a plain path works too
    assert argos_index.install_from_index("de", "en").package_version == "1.10"


def test_index_falls_back_to_mirror(tmp_path: Path, packages: Path) -> None:
    make_package(tmp_path / "de_en.argosmodel")
    index = write_index(tmp_path / "index.json",
                        [entry(["missing.argosmodel", "de_en.argosmodel"])])
    assert argos_index.install_from_index("de", "en", index_url=str(index)).from_code == "de"


def test_index_without_the_pair(tmp_path: Path, packages: Path) -> None:
    index = write_index(tmp_path / "index.json", [
        entry(["x"], to_code="fr"), entry(["y"], to_code="es"), entry(["z"], from_code="en")])
    with pytest.raises(ModelError, match="no de→en package") as info:
        argos_index.install_from_index("de", "en", index_url=str(index))
    assert "es, fr" in (info.value.hint or "")


def test_index_lies_about_the_pair(tmp_path: Path, packages: Path) -> None:
    make_package(tmp_path / "p.argosmodel", from_code="en", to_code="de")
    index = write_index(tmp_path / "index.json", [entry(["p.argosmodel"])])
    with pytest.raises(ModelError, match="download is en→de"):
        argos_index.install_from_index("de", "en", index_url=str(index))
    assert leftovers(packages) == []


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON"),
    ('{"packages": []}', "not a JSON list"),
])
def test_bad_index(tmp_path: Path, packages: Path, content: str, expected: str) -> None:
    index = tmp_path / "index.json"
    index.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=expected):
        argos_index.install_from_index("de", "en", index_url=str(index))


def test_missing_index_file(tmp_path: Path, packages: Path) -> None:
    with pytest.raises(ModelError, match="file not found"):
        argos_index.install_from_index("de", "en", index_url=str(tmp_path / "nope.json"))


def test_resolve_index_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(argos_index.INDEX_ENV, raising=False)
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    assert argos_index.resolve_index_url("https://mirror.example/argospm/") == (
        "https://mirror.example/argospm/index.json")
    assert argos_index.resolve_index_url(str(tmp_path / "i.json")) == (tmp_path / "i.json").as_uri()
    monkeypatch.setenv(argos_index.INDEX_ENV, "http://local.example/index.json")
    assert argos_index.resolve_index_url() == "http://local.example/index.json"
    assert argos_index.resolve_index_url("file:///x/index.json") == "file:///x/index.json"


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server for tmp_path/www, so the http:// code path runs offline."""
    www = tmp_path / "www"
    www.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(www), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", www
    finally:
        server.shutdown()
        server.server_close()


def test_install_over_http(http_root: tuple[str, Path], packages: Path) -> None:
    base, www = http_root
    package = make_package(www / "de_en.argosmodel")
    write_index(www / "index.json", [entry([f"{base}/de_en.argosmodel"])])
    calls: list[tuple[int, int | None]] = []
    info = argos_index.install_from_index("de", "en", index_url=f"{base}/",
                                     on_progress=lambda d, t: calls.append((d, t)))
    assert info.name == TOP
    assert calls[-1] == (package.stat().st_size, package.stat().st_size)


def test_http_404(http_root: tuple[str, Path], packages: Path) -> None:
    base, _www = http_root
    with pytest.raises(ModelError, match="HTTP 404") as info:
        argos_index.install_from_index("de", "en", index_url=f"{base}/index.json")
    assert "l10n models install" in (info.value.hint or "")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_network_fails_fast(packages: Path) -> None:
    start = time.monotonic()
    with pytest.raises(ModelError) as info:
        argos_index.install_from_index("de", "en", index_url=f"http://127.0.0.1:{closed_port()}/")
    assert time.monotonic() - start < 5
    assert "cannot download the Argos package index" in info.value.message
    assert "l10n models install" in (info.value.hint or "")
    assert leftovers(packages) == []


def test_unanswered_connect_uses_short_timeout(packages: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # A black-holed SYN cannot be reproduced portably (sandboxes often intercept all
    # traffic), so check the timeout handed to the connect call and simulate its expiry.
    seen: list[float | None] = []

    def blackhole(address: Any, timeout: float | None = None, *args: Any) -> socket.socket:
        seen.append(timeout)
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", blackhole)
    start = time.monotonic()
    with pytest.raises(ModelError, match="no answer within 3 s") as info:
        argos_index.install_from_index("de", "en", index_url="https://10.255.255.1/index.json")
    assert time.monotonic() - start < 5
    assert seen == [argos_index.CONNECT_TIMEOUT]
    assert argos_index.CONNECT_TIMEOUT < 5
    assert "l10n models install" in (info.value.hint or "")


def test_silent_server_times_out(packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Connected but never answered: the read timeout (`timeout`) applies, not the connect one.
    monkeypatch.setattr(argos_index, "CONNECT_TIMEOUT", 0.05)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # the kernel completes the handshake; nobody ever answers
        port = server.getsockname()[1]
        start = time.monotonic()
        with pytest.raises(ModelError, match="no answer"):
            argos_index.install_from_index("de", "en", index_url=f"http://127.0.0.1:{port}/",
                                      timeout=0.6)
        assert 0.5 < time.monotonic() - start < 3


# --- the project's real tiny package, once it exists -----------------------------------------

@pytest.mark.skipif(not FIXTURE.exists(), reason="tiny Argos package not built yet")
def test_real_tiny_package(packages: Path) -> None:
    meta = argos_archive.validate(FIXTURE)
    assert (meta.from_code, meta.to_code) == ("de", "en")
    info = argos_packages.install_file(FIXTURE)
    assert (info.path / "model" / "model.bin").is_file()
    assert argos_packages.installed("de", "en") == [info]
    assert argos_packages.remove("de", "en") == [info]


# --- the `l10n models` commands ----------------------------------------------------------


def test_cli_install_list_remove(packages: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    runner = CliRunner()
    package = make_package(tmp_path / "good.argosmodel")
    result = runner.invoke(app, ["models", "install", str(package)])
    assert result.exit_code == 0, result.output
    assert "installed de → en 1.0" in result.output
    result = runner.invoke(app, ["models", "list", "--format", "json"])
    assert [(p["from"], p["to"]) for p in json.loads(result.output)] == [("de", "en")]
    result = runner.invoke(app, ["models", "remove", "de", "en"])
    assert result.exit_code == 0 and "removed de → en" in result.output
    assert json.loads(runner.invoke(app, ["models", "list", "--format", "json"]).output) == []


def test_cli_refuses_a_corrupt_package_and_installs_nothing(packages: Path,
                                                            tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    bad = make_package(tmp_path / "bad.argosmodel", changes={f"{TOP}/sentencepiece.model": None})
    result = CliRunner().invoke(app, ["models", "install", str(bad)])
    assert result.exit_code == 2
    assert "bad.argosmodel" in result.output and "tokenizer" in result.output
    assert not packages.exists() or not any(p for p in packages.iterdir()
                                            if not p.name.startswith("."))
    truncated = tmp_path / "truncated.argosmodel"
    truncated.write_bytes(make_package(tmp_path / "ok.argosmodel").read_bytes()[:500])
    result = CliRunner().invoke(app, ["models", "install", str(truncated)])
    assert result.exit_code == 2 and "truncated.argosmodel" in result.output


def test_cli_install_takes_the_limits(packages: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from l10n.cli import app

    package = make_package(tmp_path / "good.argosmodel")
    result = CliRunner().invoke(app, ["models", "install", str(package), "--max-entries", "3"])
    assert result.exit_code == 2 and "more than the limit of 3" in result.output
    result = CliRunner().invoke(app, ["models", "install", "de", "de"])
    assert result.exit_code == 2 and "both 'de'" in result.output
    result = CliRunner().invoke(app, ["models", "install", "klingon", "en"])
    assert result.exit_code == 2 and "'klingon' is not a language code" in result.output
