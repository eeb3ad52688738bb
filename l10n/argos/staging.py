"""Scratch folders for installing and removing packages, swept once their owner is gone.

A package is unpacked into a staging folder and renamed into place; a killed install leaves
its staging folder behind (a real package unpacks to hundreds of MB). Each staging folder
holds a lock file, locked (flock) for as long as its process works in it; the kernel drops
the lock when the process dies, however it dies. The next install or removal deletes every
staging folder whose lock it can take: its owner is gone. Without flock (not on Linux or
macOS) only folders untouched for an hour are taken for abandoned.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

PREFIX = ".l10n-staging-"
_LOCK = ".lock"
# A folder without a lock file is being created right now, or is older than locking.
_UNLOCKED_GRACE_S = 60.0
_STALE_WITHOUT_FLOCK_S = 3600.0


def _abandoned(folder: Path, now: float) -> bool:
    try:
        age = now - folder.stat().st_mtime
        if fcntl is None:
            return age > _STALE_WITHOUT_FLOCK_S
        fd = os.open(folder / _LOCK, os.O_RDWR)
    except FileNotFoundError:
        return age > _UNLOCKED_GRACE_S
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held: its process is still working in it
        return False
    finally:
        os.close(fd)  # also releases the lock we may have taken
    return True


def sweep(folder: Path) -> list[Path]:
    """Delete the abandoned staging folders in `folder`; returns what was deleted."""
    try:
        candidates = [p for p in folder.iterdir()
                      if p.name.startswith(PREFIX) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return []
    now = time.time()
    swept = [c for c in candidates if _abandoned(c, now)]
    for candidate in swept:
        shutil.rmtree(candidate, ignore_errors=True)
    return swept


def _place(root: Path) -> Path:
    """Where staging folders go: next to `root` when on the same file system, else inside.

    Next to it is preferred: argostranslate loads every folder inside `root` as a package
    and fails on one without metadata.json, so a staging folder there would break other
    processes while we work. Same file system, so that moves into it are renames.
    """
    parent = root.parent
    try:
        if parent != root and os.stat(parent).st_dev == os.stat(root).st_dev:
            return parent
    except OSError:
        pass
    return root


@contextmanager
def staging_folder(root: Path) -> Iterator[Path]:
    """A locked scratch folder for work on `root`, deleted afterwards; sweeps leftovers first.

    Raises OSError when it cannot be made (callers turn that into a clear error).
    """
    place = _place(root)
    sweep(place)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=place))
    fd = None
    try:
        if fcntl is not None:
            fd = os.open(folder / _LOCK, os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if fd is not None:
            os.close(fd)
