"""One exception root: the library raises, only the CLI prints and exits."""

from __future__ import annotations

import errno
from pathlib import Path


class L10nError(Exception):
    """Base of every error l10n reports to a user. `exit_code` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class BadInputError(L10nError):
    """A file the user gave us cannot be read or parsed (exit 2, nothing written)."""


class ConfigError(L10nError):
    """The project settings are wrong."""


class ModelError(L10nError):
    """A translation model is missing, invalid or cannot be loaded."""


class FileSystemError(L10nError):
    """Reading or writing a file failed for a reason outside l10n: full disk, permissions."""


_OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run again (files are replaced "
                  "atomically, so none was left half-written)",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EROFS: "the folder is on a read-only file system: make it writable, or point the "
                 "project's settings or --project at a writable folder",
    errno.EACCES: "check the permissions of the file and of its folder",
    errno.EPERM: "check the permissions of the file and of its folder; an immutable file "
                 "(lsattr shows 'i') needs `chattr -i`",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n)",
}


def from_os_error(exc: OSError) -> FileSystemError:
    """An OSError as the clear error the command line reports: what, where, what to do."""
    path = exc.filename if isinstance(exc.filename, (str, Path)) else None
    return FileSystemError(exc.strerror or str(exc), path=path,
                           hint=_OS_HINTS.get(exc.errno or 0))
