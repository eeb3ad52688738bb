"""Operational faults are clear errors: exit 2, the path, a hint, no traceback, no torn file.

Disk full, read-only folders, immutable files and a locked, corrupt or full translation
cache. Each is simulated in-process (an OSError raised where the file is written), and,
where this machine allows it (root: tmpfs mounts, chattr), also made for real.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.engines import Translation
from l10n.engines.cache import MTCache
from l10n.errors import FileSystemError, from_os_error

NAME = "kasachstan-ukrainekrieg"
ROOT = Path(__file__).resolve().parent.parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(project: Path, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, [*args, "--project", str(project)])
    return result.exit_code, result.output, result.exception


def run_process(project: Path, *args: str, env: dict[str, str] | None = None
                ) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "l10n", *args, "--project", str(project)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)})
    return done.returncode, done.stdout + done.stderr


def temp_files(folder: Path) -> list[Path]:
    """Temporary files of atomic writes (`.<name>.l10n-….tmp`) left behind."""
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or ".l10n-" in p.name]


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def test_disk_full_is_a_clear_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k)))
    code, output, exc = run(project, "extract")
    assert code == 2, output
    assert isinstance(exc, SystemExit)
    assert "No space left on device" in output
    assert "hint: the disk is full" in output
    assert "Traceback" not in output
    assert not (project / "locales" / "templates" / f"{NAME}.pot").exists()
    assert temp_files(project) == []


@pytest.mark.parametrize(("number", "expected"), [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permissions"),
    (errno.EPERM, "chattr -i"),
])
def test_os_errors_name_the_path_and_a_hint(number: int, expected: str) -> None:
    error = from_os_error(OSError(number, os.strerror(number), "/x/locales/en/a.po"))
    assert isinstance(error, FileSystemError) and error.exit_code == 2
    assert error.path == Path("/x/locales/en/a.po")
    assert error.message == os.strerror(number)
    assert error.hint is not None and expected in error.hint


def test_main_reports_an_oserror_outside_the_library(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    import l10n.cli.common as cli

    def broken(**_: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), "/ro/x.po")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 2
    assert "/ro/x.po: Read-only file system" in capsys.readouterr().err


# --- real file systems (root only) ---------------------------------------------------------

@pytest.fixture
def small_fs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A tmpfs of 512 KB, unmounted afterwards."""
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path_factory.mktemp("small")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until `leave` bytes are free."""
    free = shutil.disk_usage(folder).free
    (folder / "ballast").write_bytes(bytes(max(0, free - leave)))


def test_a_really_full_disk(project: Path, small_fs: Path) -> None:
    work = small_fs / "project"
    shutil.copytree(project, work)
    fill(small_fs, leave=8 << 10)  # room for the template, not for the catalog as well
    code, output = run_process(work, "extract")
    assert code == 2, output
    assert "No space left on device" in output and "the disk is full" in output
    assert "Traceback" not in output
    assert temp_files(work) == []


def test_a_read_only_folder(project: Path, small_fs: Path) -> None:
    work = small_fs / "project"
    shutil.copytree(project, work)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    code, output = run_process(work, "extract")
    assert code == 2, output
    assert "Read-only file system" in output and "read-only file system" in output
    assert str(work) in output and "Traceback" not in output


@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only folders anyway")
def test_a_folder_without_write_permission(project: Path) -> None:
    assert run(project, "extract")[0] == 0
    (project / "corpus" / f"{NAME}.txt").write_text("Neuer Titel\n\nEin neuer Satz.\n",
                                                    encoding="utf-8")
    templates = project / "locales" / "templates"
    templates.chmod(0o555)
    try:
        code, output, exc = run(project, "extract")
    finally:
        templates.chmod(0o755)
    assert code == 2 and isinstance(exc, SystemExit)
    assert "Permission denied" in output and "permissions" in output


@contextmanager
def immutable_catalog(project: Path) -> Iterator[Path]:
    """The extracted seed catalog with `chattr +i` for the duration (root only)."""
    if not IS_ROOT or shutil.which("chattr") is None:
        pytest.skip("chattr +i needs root")
    assert run(project, "extract")[0] == 0
    catalog = project / "locales" / "en" / f"{NAME}.po"
    if subprocess.run(["chattr", "+i", str(catalog)], capture_output=True).returncode:
        pytest.skip("this file system has no immutable flag")
    try:
        yield catalog
    finally:
        subprocess.run(["chattr", "-i", str(catalog)], check=True)


def test_an_immutable_catalog(project: Path) -> None:
    with immutable_catalog(project) as catalog:
        before = catalog.read_bytes()
        (project / "corpus" / f"{NAME}.txt").write_text("Neuer Titel\n\nEin neuer Satz.\n",
                                                        encoding="utf-8")
        code, output = run_process(project, "extract")
    assert code == 2, output
    assert "Operation not permitted" in output and "chattr -i" in output
    assert "Traceback" not in output
    assert catalog.read_bytes() == before


# --- the machine-translation cache ---------------------------------------------------------

def cache_file() -> Path:
    return Path(os.environ["L10N_CACHE_DIR"]) / "mt-cache.sqlite3"


def translate(project: Path) -> tuple[int, str]:
    assert run(project, "extract")[0] == 0
    code, output, exc = run(project, "translate", "--engine", "pseudo")
    assert exc is None or isinstance(exc, SystemExit)
    return code, output


def drafts(project: Path) -> int:
    text = (project / "locales" / "en" / f"{NAME}.po").read_text(encoding="utf-8")
    return text.count("#. l10n-mt:") + text.count("# l10n-mt:")


def test_a_locked_cache_is_skipped_and_the_translations_kept(project: Path) -> None:
    MTCache().close()
    holder = sqlite3.connect(cache_file(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer that does not let go
    try:
        code, output = translate(project)
    finally:
        holder.close()
    assert code == 0, output
    assert "warning:" in output and "database is locked" in output
    assert "translating went on without it" in output and str(cache_file()) in output
    assert drafts(project) == 28


def test_a_corrupt_cache_is_skipped_and_the_translations_kept(project: Path) -> None:
    cache = MTCache()
    cache.put_many("pseudo/1", [(f"Satz {n}", Translation(f"Sentence {n}" * 20, None))
                                for n in range(500)])
    cache.close()
    data = bytearray(cache_file().read_bytes())
    assert len(data) > 8 * 4096
    data[4096:len(data) - 4096] = b"\xff" * (len(data) - 8192)  # the header survives
    cache_file().write_bytes(bytes(data))
    code, output = translate(project)
    assert code == 0, output
    assert "malformed" in output and "translating went on without it" in output
    assert drafts(project) == 28


def test_a_cache_that_is_no_database_at_all(project: Path) -> None:
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_bytes(b"this is not a database" * 200)
    code, output = translate(project)
    assert code == 0, output
    assert "cannot use the machine-translation cache" in output
    assert "translating without it" in output
    assert drafts(project) == 28


def test_a_cache_on_a_full_disk(project: Path, small_fs: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("L10N_CACHE_DIR", str(small_fs / "cache"))
    MTCache().close()
    fill(small_fs, leave=0)
    code, output = translate(project)
    assert code == 0, output
    # Whether opening the cache already fails or only the first write: a warning, and the
    # translations are in the catalog.
    assert "warning:" in output and "disk" in output and "without it" in output
    assert drafts(project) == 28


def test_translate_into_an_immutable_catalog(project: Path) -> None:
    with immutable_catalog(project) as catalog:
        before = catalog.read_bytes()
        code, output = run_process(project, "translate", "--engine", "pseudo", "--no-cache")
    assert code == 2, output
    assert f"locales/en/{NAME}.po" in output and "chattr -i" in output
    assert "Traceback" not in output
    assert catalog.read_bytes() == before
    assert temp_files(catalog.parent) == []
