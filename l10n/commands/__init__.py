"""The commands, one module each, under one contract: an `Options` dataclass (whose fields
name their settings, `l10n.options`), a `Report` (`l10n.report`: errors, exit code,
`as_json()`), and a `run(project, options, ...)` that collects per-file errors into the
report instead of stopping. A command that takes long shows its progress through the
`Progress` it is given, with the total it knows once it has listed its work. The command
line (`l10n.cli`) only parses, calls `run`, prints the report and exits with its code;
`l10n.pipeline` chains them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

# A progress bar: (label, total) → a context giving the callback that advances it (by one,
# or by `step=n`).
Progress = Callable[[str, int | None], AbstractContextManager[Callable[..., None]]]


@contextmanager
def no_progress(_label: str, _total: int | None) -> Iterator[Callable[..., None]]:
    yield lambda *_a, **_k: None
