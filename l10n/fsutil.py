"""Atomic, change-only file writes: a killed run never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write `data` to `path` atomically unless it already holds exactly that.

    Returns True when the file was (re)written. An unchanged file keeps its mtime, so tools
    watching the tree (make, CI caches, editors) see no change.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def read_utf8(path: Path, *, what: str, shown: Path | None = None,
              encoding: str = "utf-8") -> str:
    """Text of a user's file, or a BadInputError saying what is wrong and on which line.

    `what` names the file for messages ("article", "glossary"); `shown` is the path to
    print; `encoding` may be "utf-8-sig" where a byte-order mark is harmless.
    """
    from l10n.errors import BadInputError

    shown = shown or path
    if path.exists() and not path.is_file():
        raise BadInputError(f"{what} is not a file", path=shown)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise BadInputError(f"{what} not found", path=shown) from exc
    except OSError as exc:
        raise BadInputError(f"cannot read {what}: {exc.strerror}", path=shown) from exc
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInputError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path=shown, line=line,
            hint="save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`") from exc
