"""Atomic, change-only file writes: a killed run never leaves a half-written file."""

from __future__ import annotations

import errno
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple


def write_if_changed(path: Path, data: str | bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` atomically unless it already holds exactly that.

    Returns True when the file was (re)written. An unchanged file keeps its mtime, so tools
    watching the tree (make, CI caches, editors) see no change. `durable=False` skips the
    fsync, for files rebuilt from others at any time (templates, editions): a crash may
    then leave the old content or none, never a torn file.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = path.resolve() if path.is_symlink() else path
    if _read(path) == raw:
        return False
    tmp = _temp_copy(path, raw, durable=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


class Update(NamedTuple):
    written: bool
    data: bytes | None  # what the file holds as far as this update saw it last


def update_file(path: Path, change: Callable[[bytes | None], bytes | None]) -> Update:
    """Replace `path` with `change(its bytes)` (None: no file) without losing a save that
    someone else makes meanwhile; `change` returns None or the same bytes for "no change".

    A translator's editor may save at any moment. The file is read again just before it
    is replaced, and the replacement is an atomic exchange (Linux renameat2), which hands
    back whatever was on disk at that instant: if that is not what `change` was based on,
    a save landed in the window; it is exchanged back into place untouched (an editor
    still writing into it writes into the file at `path`) and `change` runs again on it.
    An editor that opened the file before the exchange may write into it after: where the
    system can tell (Linux), that file is only compared once no one holds it open for
    writing, and one still held after `_WRITER_WAIT_S` goes back in place unchanged by us
    (`written` False: a re-run does our part). A symbolic link is followed: the file it
    points to is updated, the link stays.
    """
    path = path.resolve() if path.is_symlink() else path
    base = on_disk = _read(path)
    written = False
    while True:
        new = change(base)
        if new is None or new == on_disk:
            return Update(written, on_disk)
        tmp = _temp_copy(path, new, replaces=on_disk)
        try:
            current = _read(path)
            if current != on_disk:  # saved since we read it: start from their file
                base = on_disk = current
                continue
            _before_replace(path)
            with _signals_held():
                outcome, displaced = _place(tmp, path, new, expected=on_disk)
        finally:
            tmp.unlink(missing_ok=True)
        if outcome == "placed":
            # The folder is not fsynced: after a crash the old entry may come back, which is
            # the file as its translator last saved it (what l10n adds is in the MT cache).
            return Update(True, new)
        if outcome == "busy":  # someone is still writing it: theirs, left to them
            return Update(written, _read(path))
        if outcome == "theirs":  # their save is in place: the change is made again on it
            base = on_disk = _read(path)
        else:  # "replaced": no exchange here, their save was replaced by ours: redo on it
            written = True
            base, on_disk = displaced, new


def _place(tmp: Path, path: Path, new: bytes, *,
           expected: bytes | None) -> tuple[str, bytes | None]:
    """Put `tmp` at `path` if `path` still holds `expected`: ("placed", None); else leave
    the file someone else put there: ("theirs", None), or ("busy", None) when someone still
    writes into it, or, where no atomic exchange exists and it was overwritten,
    ("replaced", its bytes)."""
    if expected is None:
        try:
            os.link(tmp, path)  # fails, rather than overwrites, if it appeared meanwhile
            return "placed", None
        except FileExistsError:
            return "theirs", None
        except OSError:  # no hard links on this file system (vfat, some network shares)
            if path.exists():
                return "theirs", None
            os.replace(tmp, path)
            return "placed", None
    try:
        exchanged = _exchange(tmp, path)
    except FileNotFoundError:
        return "theirs", None  # removed meanwhile
    if not exchanged:
        # No atomic exchange here (not Linux, or a file system without it): the last look
        # just before is all the protection there is, and a save is redone, not kept.
        before = _read(path)
        os.replace(tmp, path)
        return ("placed", None) if before == expected else ("replaced", before)
    try:
        # An editor that opened the file before the exchange writes into the one now at
        # `tmp`, at any moment until it closes it; no one else can open it by that name.
        # So what it holds is final once no one holds it open for writing (as far as this
        # system can tell: elsewhere, what it holds now is all there is to go by).
        settled = _writers_gone(tmp, within=_WRITER_WAIT_S)
        if settled is not False and _read(tmp) == expected:
            return "placed", None
    except BaseException:
        _exchange(tmp, path)
        raise
    _exchange(tmp, path)  # their save goes back in place; a writer still at it writes there
    if _read(tmp) != new:
        # A second save landed meanwhile and is what came back: the newest goes in place.
        _exchange(tmp, path)
    return ("busy" if settled is False else "theirs"), None


# An editor's save (open, write, truncate, close) takes milliseconds, a preempted one on a
# loaded machine tens of them; a file held open for writing longer is left to its writer.
# Ctrl-C waits this long at most (see `_signals_held`).
_WRITER_WAIT_S = 1.0


def _writers_gone(path: Path, *, within: float) -> bool | None:
    """Wait until no process holds `path` open for writing, `within` seconds at most:
    True when none does, False when one still does, None when this system cannot tell.
    No sleep unless someone is writing it."""
    deadline = time.monotonic() + within
    pause = 0.0005
    while (busy := _open_for_writing(path)) and time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.01)
    return None if busy is None else not busy


def _open_for_writing(path: Path) -> bool | None:
    """Whether some process (this one too) holds `path` open for writing; None when this
    system cannot tell. Linux refuses a read lease exactly then (fcntl F_SETLEASE; not on
    every file system, and only on one's own files). The lease is given up at once: a
    holder is signalled (SIGIO, fatal) when someone opens its file for writing, and it is
    only taken on a file under a temporary name, which no one else opens."""
    if sys.platform != "linux":
        return None
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    except OSError as exc:
        # EAGAIN: open for writing; EACCES (not our file), EINVAL, ENOLCK: cannot tell.
        return True if exc.errno == errno.EAGAIN else None
    finally:
        os.close(fd)
    return False


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until a file is in place or back: between the exchange and
    the exchange back, a translator's save exists only as our temporary file (a second at
    most, while an editor is still writing it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "pthread_sigmask"):
        yield  # signals are only delivered to the main thread
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _before_replace(path: Path) -> None:
    """The write window; tests put a translator's save here."""


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


_TEMP_TAG = ".l10n-"


def _temp_copy(path: Path, raw: bytes, *, durable: bool = True,
               replaces: bytes | None = None) -> Path:
    """`raw` in a temporary file beside `path` (synced when `durable`: a catalog holds a
    translator's work), with `path`'s permissions.

    The name carries the process id, so that leftovers of killed runs can be told from a
    concurrent run's files, and digests of `raw` and of `replaces` (what is to be at `path`
    when it is exchanged into place), so that a sweep can tell what a leftover holds."""
    import tempfile  # not at import time: commands that only read never need it

    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}{_TEMP_TAG}{os.getpid()}.{_digest(raw)}.{_digest(replaces)}.",
        suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _digest(data: bytes | None) -> str:
    if data is None:
        return "-"
    import hashlib

    return hashlib.blake2b(data, digest_size=6).hexdigest()


def _sweep(path: Path) -> None:
    """Remove temporary files left in `path`'s folder by runs that were killed; once per
    folder and process, as a folder of 20,000 catalogs is not listed for every write."""
    _sweep_folder(path.parent.resolve())


# A live run holds its temporary file for well under this; an older one whose process is
# gone was left by a kill. Another machine's run (a shared folder) has other process ids:
# the age keeps its files safe too.
_STALE_AFTER_S = 600


@functools.cache
def _sweep_folder(folder: Path) -> None:
    now = time.time()
    for leftover in folder.glob(f".*{_TEMP_TAG}*.tmp"):
        catalog_name, tail = leftover.name[1:].rsplit(_TEMP_TAG, 1)
        parts = tail.split(".")  # pid[.ours.replaced].random.tmp
        pid, digests = parts[0], parts[1:-2]
        try:
            if pid.isdigit() and not _alive(int(pid)) and \
                    now - leftover.stat().st_mtime > _STALE_AFTER_S:
                _settle_leftover(leftover, folder / catalog_name, digests)
        except OSError:
            pass  # not ours to remove after all; the write itself does not depend on it


def _settle_leftover(leftover: Path, catalog: Path, digests: list[str]) -> None:
    """A killed run's temporary file holds what it wrote (never placed, or exchanged back
    out), or the file it replaced, or, when the run was killed while an editor was still
    writing into that one, a translator's save that exists nowhere else. Only the first two
    are removed: the bytes we wrote are made again by a re-run, and the replaced file's
    work is in the catalog that replaced it. A save is put back in place while the catalog
    still holds exactly what we wrote, the exchange back that the run did not live to do;
    otherwise someone saved the catalog since, and the leftover is left alone (never
    removed). A name without digests (an older release's) is removed as it always was."""
    if len(digests) != 2:
        leftover.unlink()
        return
    ours = digests[0]
    if _digest(_read(leftover)) in digests:
        leftover.unlink()
        return
    if _digest(_read(catalog)) != ours:
        return
    with _signals_held():
        if not _exchange(leftover, catalog):
            return
        if _digest(_read(leftover)) != ours:  # saved just now: theirs back in place
            _exchange(leftover, catalog)
            return
    leftover.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                     ctypes.c_uint]
    func.restype = ctypes.c_int
    return func  # type: ignore[no-any-return]


def _exchange(a: Path, b: Path) -> bool:
    func = _renameat2()
    if func is None:
        return False
    import ctypes

    if func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def read_bytes(path: Path, *, what: str, shown: Path | None = None) -> bytes | None:
    """The bytes of a user's file, None when there is none; a BadInputError when it cannot
    be read. Read once: what is hashed is then what is parsed."""
    from l10n.errors import BadInputError

    shown = shown or path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise BadInputError(f"{what} is not a file", path=shown) from exc
    except OSError as exc:
        raise BadInputError(f"cannot read {what}: {exc.strerror}", path=shown) from exc


def read_utf8(path: Path, *, what: str, shown: Path | None = None,
              encoding: str = "utf-8", data: bytes | None = None) -> str:
    """Text of a user's file (or of `data`, its bytes as already read), or a BadInputError
    saying what is wrong and on which line.

    `what` names the file for messages ("article", "glossary"); `shown` is the path to
    print; `encoding` may be "utf-8-sig" where a byte-order mark is harmless.
    """
    from l10n.errors import BadInputError

    shown = shown or path
    if data is None:
        data = read_bytes(path, what=what, shown=shown)
    if data is None:
        raise BadInputError(f"{what} not found", path=shown)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInputError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=shown, line=line,
            hint="save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`") from exc
