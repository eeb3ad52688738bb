"""The `l10n` command line: a thin layer that parses options, calls the library, prints
and picks the exit code. Exit codes: 0 ok, 1 gate failed (check), 2 bad input or usage.

This module holds the app and what every command shares; `catalogs` has the pipeline
(extract, translate, build, run), `gate` the CI commands (check, stats), `models` the
Argos package commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from l10n.errors import L10nError, from_os_error
from l10n.project import Project, load_project

app = typer.Typer(
    name="l10n",
    help="Offline translation of articles through gettext PO catalogs.\n\n"
         "Typical job: `l10n run` (extract → translate → build → check).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Piped output is read by scripts and CI logs: do not truncate it to 80 columns. No emoji
# codes either: Rich would turn the ":100:" of "file.po:100:" into an emoji.
out = Console(highlight=False, markup=False, emoji=False, soft_wrap=True,
              width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)

ProjectOpt = Annotated[Path, typer.Option(
    "--project", "-p", help="Project folder (holds pyproject.toml or l10n.toml, corpus/, "
    "locales/).", show_default="current folder")]

T = TypeVar("T")


def fail(exc: L10nError) -> None:
    where = f"{exc.location}: " if exc.location else ""
    err.print(f"[bold red]error:[/] {escape(where + exc.message)}", markup=True)
    if exc.hint:
        err.print(f"  [dim]hint:[/] {escape(exc.hint)}", markup=True)


def warn(exc: L10nError) -> None:
    where = f"{exc.location}: " if exc.location else ""
    err.print(f"[yellow]warning:[/] {escape(where + exc.message)}", markup=True)
    if exc.hint:
        err.print(f"  [dim]hint:[/] {escape(exc.hint)}", markup=True)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code; an L10nError, or an OSError from the file system (full disk,
    permissions, read-only folder), becomes a message on stderr and its exit code."""
    try:
        return fn()
    except L10nError as exc:
        fail(exc)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        error = from_os_error(exc)
        fail(error)
        raise typer.Exit(error.exit_code) from None


def main() -> None:
    """The `l10n` program: the app, with file-system failures outside `guarded` reported
    the same way instead of as a traceback."""
    try:
        app(prog_name="l10n")
    except OSError as exc:
        fail(from_os_error(exc))
        sys.exit(2)


def project_at(path: Path) -> Project:
    return guarded(lambda: load_project(path))


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f}/s")


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr when it is a terminal; a no-op callback otherwise."""
    if not sys.stderr.isatty():
        yield lambda *a, **k: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   _Rate(), TimeRemainingColumn(), console=err, transient=True)
    with bar:
        task = bar.add_task(label, total=total)

        def advance(*_: object, step: int = 1) -> None:
            bar.advance(task, step)

        yield advance


OutputOpt = Annotated[str, typer.Option(
    "--format", "-f", help="Output: 'table', 'json' or 'github' (workflow annotations).")]


def require_choice(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        fail(L10nError(f"unknown --format {value!r}", hint=f"use one of: {', '.join(allowed)}"))
        raise typer.Exit(2)


# The commands register themselves on `app` when their modules are imported.
from l10n.cli import catalogs, gate, models  # noqa: E402, F401
