"""What one Ray actor of the Ray executor holds: one ArgosEngine, opened once, from the
driver's package folder or from a copy the driver shipped (see `l10n.engines.ray_pool`)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from l10n.engines import Translation
from l10n.errors import L10nError, ModelError

if TYPE_CHECKING:
    from l10n.engines.argos import ArgosEngine


def pack(folder: Path) -> bytes:
    """`folder` as an uncompressed tar archive (model weights do not compress)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(folder, arcname=folder.name)
    return buffer.getvalue()


class Worker:
    """What one Ray actor holds: one ArgosEngine, opened once (see `load`)."""

    def __init__(self, package_dir: str, fingerprint: str, options: dict[str, Any], *,
                 shared: bool = True) -> None:
        self.package_dir = Path(package_dir)
        self.fingerprint = fingerprint
        self.options = options
        self.shared = shared
        self.engine: ArgosEngine | None = None

    def load(self, shipped: list[Any] | None = None) -> tuple[int, str, str]:
        """Open the package: (pid, "ok" | "missing" | "error", detail). `shipped` holds the
        object reference of the packed folder (in a list, so that Ray does not fetch it
        before it is needed). A folder at the driver's path that this node cannot read
        (permissions, a partial copy) counts as missing: the driver ships its own."""
        try:
            if self.shared and (self.package_dir / "metadata.json").is_file():
                with contextlib.suppress(L10nError, OSError):
                    return self._use(self.package_dir)
            if (self.unpacked / "metadata.json").is_file():  # shipped to this node before
                return self._use(self.unpacked)
            if shipped:
                import ray

                return self._use(self._unpack(ray.get(shipped[0])))
            return os.getpid(), "missing", str(self.package_dir)
        except L10nError as exc:
            return os.getpid(), "error", exc.message
        except Exception as exc:  # reported to the driver, which raises it as a ModelError
            return os.getpid(), "error", f"{type(exc).__name__}: {exc}"

    def _use(self, where: Path) -> tuple[int, str, str]:
        """Open the package at `where` if its fingerprint is the driver's. Reading it may
        raise: the fingerprint reads every model file."""
        engine = self._open(where)
        if engine.cache_key != self.fingerprint:
            return os.getpid(), "error", (
                f"the package at {where} on the Ray worker is not the driver's: "
                f"worker {engine.cache_key}, driver {self.fingerprint}")
        self.engine = engine
        return os.getpid(), "ok", str(where)

    def _open(self, where: Path) -> ArgosEngine:
        from l10n.engines.argos import ArgosEngine

        return ArgosEngine.from_path(where, **self.options)

    @property
    def unpacked(self) -> Path:
        """Where a shipped package is unpacked on this node: one folder per fingerprint,
        kept for the actors that replace this one."""
        digest = hashlib.sha256(self.fingerprint.encode()).hexdigest()[:16]
        return (Path(tempfile.gettempdir()) / f"l10n-packages-{os.getuid()}" / digest
                / self.package_dir.name)

    def _unpack(self, blob: bytes) -> Path:
        """Unpack into a fresh folder, then move it into place whole."""
        target = self.unpacked
        target.parent.parent.mkdir(mode=0o700, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent.parent))
        try:
            with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
                if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                    tar.extractall(scratch, filter="data")
                else:  # what the driver packed: plain files and folders inside the archive
                    for member in tar.getmembers():
                        name = Path(member.name)
                        if (name.is_absolute() or ".." in name.parts
                                or not (member.isfile() or member.isdir())):
                            raise ModelError(f"unsafe member {member.name!r} in the package")
                    tar.extractall(scratch)  # members checked above
            try:
                scratch.rename(target.parent)
            except OSError:  # another actor on this node was quicker
                if not (target / "metadata.json").is_file():
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return target

    def translate(self, texts: list[str], align: bool) -> list[Translation]:
        assert self.engine is not None, "load() first"
        return self.engine.translate_batch(texts, align=align)
