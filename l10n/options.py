"""Command options and the settings they come from.

Each command's options are one frozen dataclass whose fields name their `[tool.l10n.<table>]`
key with `setting(...)`. Everything else derives from it: the table's schema and its
validation when the project is loaded (`validate`), and the precedence when a command runs
(`resolve`: an argument given on the command line, then the setting, then the default).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from l10n.errors import ConfigError

TEXT: tuple[type, ...] = (str,)
NUMBER: tuple[type, ...] = (int, float)
FLAG: tuple[type, ...] = (bool,)
LIST_OF_TEXT = "list of str"
TABLE_OF_TEXT = "table of str"

OptionsT = TypeVar("OptionsT")


@dataclass(frozen=True)
class Setting:
    key: str  # as written in the settings file
    kind: tuple[type, ...] | str
    percent: bool = False  # 0 to 100: a NaN or negative threshold would pass every gate
    path: bool = False  # a folder or file that must stay inside the project
    # Turns a setting's (or an argument's) value into the field's; may raise ConfigError.
    convert: Callable[[Any], Any] | None = None


def setting(key: str, kind: tuple[type, ...] | str, default: Any = dataclasses.MISSING, *,
            factory: Callable[[], Any] | None = None, **details: Any) -> Any:
    """A dataclass field read from `key` in the command's settings table."""
    metadata = {"setting": Setting(key, kind, **details)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def settings_of(options: type) -> dict[str, tuple[str, Setting]]:
    """Settings key → (field name, Setting) of an options dataclass."""
    found = {}
    for f in dataclasses.fields(options):
        if "setting" in f.metadata:
            found[f.metadata["setting"].key] = f.name, f.metadata["setting"]
    return found


def resolve(options: type[OptionsT], table: dict[str, Any], **given: Any) -> OptionsT:
    """`options` from arguments (None: not given), then `table`, then the defaults."""
    values = {}
    for key, (name, spec) in settings_of(options).items():
        value = given.pop(name, None)
        if value is None:
            value = table.get(key)
        if value is None:
            continue
        values[name] = spec.convert(value) if spec.convert else value
    # What is not a setting (a project's root folder) is passed as given.
    return options(**values, **given)


def validate(options: type, values: dict[str, Any], table: str,
             source: Path | None) -> list[tuple[str, str]]:
    """ConfigError (with the settings file) for an unknown key or a value of the wrong
    type or range; the (key, value) pairs that are paths, for the caller to place."""
    known = settings_of(options)
    paths = []
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown setting {key!r} in [{table}]", path=source,
                              hint=f"known settings: {', '.join(known)}")
        spec = known[key][1]
        if not _has_kind(value, spec.kind):
            kind = spec.kind
            expected = kind if isinstance(kind, str) else " or ".join(t.__name__ for t in kind)
            raise ConfigError(f"[{table}] {key} must be a {expected}, not {value!r}",
                              path=source)
        if spec.percent and not (math.isfinite(value) and 0 <= value <= 100):
            raise ConfigError(f"[{table}] {key} must be a percentage from 0 to 100, not "
                              f"{value!r}", path=source)
        if spec.convert:
            try:
                spec.convert(value)
            except ConfigError as exc:
                raise ConfigError(f"[{table}] {exc.message}", path=source,
                                  hint=exc.hint) from None
        if spec.path:
            paths.append((key, value))
    return paths


def _has_kind(value: Any, kind: tuple[type, ...] | str) -> bool:
    if kind == LIST_OF_TEXT:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == TABLE_OF_TEXT:
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    assert isinstance(kind, tuple)
    # bool is an int in Python; a number setting must not accept `true`.
    return isinstance(value, kind) and not (isinstance(value, bool) and bool not in kind)
