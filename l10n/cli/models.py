"""`l10n models`: list, install and remove Argos packages."""

# Annotations are evaluated where they are written, not postponed: typer reads each
# command's parameters from them on every run (see l10n.cli).

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from l10n.argos.limits import (
    DEFAULT_MAX_ENTRIES,
    DEFAULT_MAX_MB,
    MAX_ENTRIES_ENV,
    MAX_SIZE_ENV,
    Limits,
)
from l10n.cli.common import (
    app,
    err,
    fail,
    guarded,
    out,
    require_choice,
)
from l10n.errors import L10nError

models_app = typer.Typer(help="Argos Translate packages: list, install, remove.",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(output: Annotated[str, typer.Option(
        "--format", "-f", help="Output: 'table' or 'json'.")] = "table") -> None:
    """Installed packages (in $ARGOS_PACKAGES_DIR or argostranslate's default folder)."""
    import json

    from l10n.argos import packages

    require_choice(output, ("table", "json"))
    found = guarded(packages.installed)
    if output == "json":
        typer.echo(json.dumps([p.as_json() for p in found], indent=2))
        return
    if not found:
        err.print(f"no packages installed in {guarded(packages.packages_dir)}; install one with "
                  "`l10n models install FILE.argosmodel` or `l10n models install de en`")
        return
    for p in found:
        out.print(f"{p.from_code} → {p.to_code}  {p.package_version:8} "
                  f"{p.size_bytes / 1e6:7.1f} MB  {p.path}")


@models_app.command("install")
def models_install(
    source: Annotated[list[str], typer.Argument(
        help="A .argosmodel file, or FROM TO language codes to fetch from the index.",
        metavar="FILE | FROM TO")],
    index_url: Annotated[str | None, typer.Option(
        help="Argos package index URL (also $L10N_ARGOS_INDEX); file:// works.")] = None,
    max_size: Annotated[int | None, typer.Option(
        min=1, metavar="MB", help="Refuse a package that unpacks to more than this.",
        show_default=f"${MAX_SIZE_ENV}, else {DEFAULT_MAX_MB}")] = None,
    max_entries: Annotated[int | None, typer.Option(
        min=1, help="Refuse a package with more files and folders than this.",
        show_default=f"${MAX_ENTRIES_ENV}, else {DEFAULT_MAX_ENTRIES}")] = None,
) -> None:
    """Install a package from a .argosmodel file or from the Argos package index.

    The package is validated first (one top folder, metadata.json with ISO 639 language
    codes, a CTranslate2 model, a tokenizer, no path escaping the folder, within the size
    limits), then unpacked and loaded in a staging folder; anything that fails is refused
    and nothing installed is replaced. A package of another language pair is never
    replaced."""
    from l10n.argos import index, packages

    limits = guarded(lambda: Limits.from_env(max_mb=max_size, max_entries=max_entries))
    if len(source) == 1:
        info = guarded(lambda: packages.install_file(Path(source[0]), limits=limits))
    elif len(source) == 2:
        with download_bar() as on_progress:
            info = guarded(lambda: index.install_from_index(
                source[0], source[1], index_url=index_url, on_progress=on_progress,
                limits=limits))
    else:
        fail(L10nError("expected a .argosmodel file or two language codes",
                       hint="l10n models install translate-de_en.argosmodel | "
                       "l10n models install de en"))
        raise typer.Exit(2)
    out.print(f"installed {info.from_code} → {info.to_code} {info.package_version} "
              f"in {info.path}")


@contextmanager
def download_bar() -> Iterator[Callable[[int, int | None], None]]:
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(TextColumn("download"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn(), console=err.rich(), transient=True)
    with bar:
        task = bar.add_task("download", total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@models_app.command("remove")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed package(s) for a language pair."""
    from l10n.argos import packages

    for info in guarded(lambda: packages.remove(from_code, to_code)):
        out.print(f"removed {info.from_code} → {info.to_code} {info.package_version} "
                  f"({info.path})")
