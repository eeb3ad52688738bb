"""What every command returns: the errors it collected and an exit code, printable as JSON.

A command collects per-file problems instead of stopping at the first (one unreadable
catalog must not hide the state of the others); the command line prints the report and
exits with its code: 0 done, 1 a gate failed, 2 bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from l10n.errors import L10nError


@dataclass
class Report:
    errors: list[L10nError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else 0

    def errors_json(self) -> list[dict[str, Any]]:
        return [{"path": e.path.as_posix() if e.path else None, "line": e.line,
                 "message": e.message, "hint": e.hint} for e in self.errors]

    def as_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code, "errors": self.errors_json()}
