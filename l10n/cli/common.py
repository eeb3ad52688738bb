"""The `l10n` app and what every command shares: the consoles, error reporting, progress
bars, the options every command takes."""

# Annotations are evaluated where they are written, not postponed: typer reads each
# command's parameters from them on every run (see l10n.cli).

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from l10n.errors import L10nError, from_os_error
from l10n.project import Project, load_project

# Help in click's plain layout: it wraps to the terminal (80 columns when piped) and never
# cuts an option name or a default short, as Rich's tables do at 80 columns. -h works
# everywhere: click passes these names down to every subcommand.
CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    name="l10n",
    help="Offline translation of articles through gettext PO catalogs.\n\n"
         "Typical job: `l10n run` (extract → translate → build → check); a new project: "
         "`l10n init`.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=CONTEXT,
)
# Piped output is read by scripts and CI logs: do not truncate it to 80 columns. No emoji
# codes either: Rich would turn the ":100:" of "file.po:100:" into an emoji.
class _Console:
    """A Rich console made on first use: Rich costs tens of milliseconds to import, and a
    gate run that prints one line should not pay them."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None
        self.quiet = False

    def rich(self) -> Any:
        """The Rich console itself (for a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        self._console.quiet = self.quiet
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich(), name)


out = _Console(highlight=False, markup=False, emoji=False, soft_wrap=True,
               width=None if sys.stdout.isatty() else 200)
err = _Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)

ProjectOpt = Annotated[Path, typer.Option(
    "--project", "-p", help="Project folder (holds pyproject.toml or l10n.toml, corpus/, "
    "locales/).", show_default="current folder")]

T = TypeVar("T")


class Verbosity:
    """Set by -q / -v on the `l10n` command: QUIET prints errors only, VERBOSE adds detail
    (what an error was caused by, files left unchanged)."""

    QUIET, NORMAL, VERBOSE = 0, 1, 2
    level = NORMAL


def fail(exc: L10nError) -> None:
    where = f"{exc.location}: " if exc.location else ""
    err.print(f"[bold red]error:[/] {escape(where + exc.message)}", markup=True)
    if exc.hint:
        err.print(f"  [dim]hint:[/] {escape(exc.hint)}", markup=True)
    cause = exc.__cause__
    if Verbosity.level >= Verbosity.VERBOSE and cause is not None:
        err.print(f"  [dim]cause:[/] {escape(f'{type(cause).__name__}: {cause}')}", markup=True)


def warn(exc: L10nError) -> None:
    if Verbosity.level <= Verbosity.QUIET:
        return
    where = f"{exc.location}: " if exc.location else ""
    err.print(f"[yellow]warning:[/] {escape(where + exc.message)}", markup=True)
    if exc.hint:
        err.print(f"  [dim]hint:[/] {escape(exc.hint)}", markup=True)


def _print_version(value: bool) -> None:
    if value:
        from l10n import __version__

        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print errors only (the exit code tells the rest).")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Print more: unchanged files, what caused an error.")] = False,
) -> None:
    """Offline translation of articles through gettext PO catalogs."""
    if quiet and verbose:
        fail(L10nError("--quiet and --verbose contradict each other"))
        raise typer.Exit(2)
    Verbosity.level = (Verbosity.QUIET if quiet else
                       Verbosity.VERBOSE if verbose else Verbosity.NORMAL)
    out.quiet = quiet


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


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr when it is a terminal; a no-op callback otherwise."""
    if not sys.stderr.isatty():
        yield lambda *a, **k: None
        return
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

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed or 0:,.0f}/s")

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   Rate(), TimeRemainingColumn(), console=err.rich(),
                   transient=True)
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
