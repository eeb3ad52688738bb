"""The `l10n` command line: a thin layer that parses options, calls the library, prints
and picks the exit code. Exit codes: 0 ok, 1 gate failed (check), 2 bad input or usage."""

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

from l10n.errors import L10nError
from l10n.project import Project, load_project

app = typer.Typer(
    name="l10n",
    help="Offline translation of articles through gettext PO catalogs.\n\n"
         "Typical job: `l10n run` (extract → translate → build → check).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Piped output is read by scripts and CI logs: do not truncate it to 80 columns.
out = Console(highlight=False, markup=False, soft_wrap=True,
              width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

ProjectOpt = Annotated[Path, typer.Option(
    "--project", "-p", help="Project folder (holds pyproject.toml or l10n.toml, corpus/, "
    "locales/).", show_default="current folder")]

T = TypeVar("T")


def fail(exc: L10nError) -> None:
    where = f"{exc.location}: " if exc.location else ""
    err.print(f"[bold red]error:[/] {escape(where + exc.message)}", markup=True)
    if exc.hint:
        err.print(f"  [dim]hint:[/] {escape(exc.hint)}", markup=True)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code; an L10nError becomes a message on stderr and its exit code."""
    try:
        return fn()
    except L10nError as exc:
        fail(exc)
        raise typer.Exit(exc.exit_code) from None


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


@app.command()
def extract(
    project: ProjectOpt = Path("."),
    force: Annotated[bool, typer.Option(
        help="Extract articles even when they do not look like the source language.")] = False,
) -> None:
    """Corpus → locales/templates/*.pot → merged into locales/<lang>/*.po (msgmerge style).

    Translations of unchanged sentences are kept, changed sentences become fuzzy with the
    old translation and `#| msgid`, removed ones become obsolete (`#~`). Files are only
    rewritten when their content changes."""
    from l10n.extract import extract as run_extract

    proj = project_at(project)
    with progress("extract", len(guarded(proj.articles))) as tick:
        report = guarded(lambda: run_extract(proj, force=force, on_article=tick))
    for article, reason in report.skipped:
        err.print(f"[yellow]warning:[/] {escape(f'{article}: skipped: {reason}')}", markup=True)
    for exc in report.errors:
        fail(exc)
    out.print(f"extract: {report.articles} article(s), {len(report.written)} file(s) written, "
              f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
              f"{len(report.errors)} error(s)")
    for path in report.written:
        out.print(f"  wrote {path}")
    if report.errors:
        raise typer.Exit(2)


@app.command()
def build(
    project: ProjectOpt = Path("."),
    format: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="Edition format: 'source' (same as the article: .txt, .md), "
        "'html', or 'all'. Repeatable.")] = None,
    min_translated: Annotated[float | None, typer.Option(
        min=0, max=100, help="Skip an article whose catalog is translated below this percent.",
        show_default="[tool.l10n.build] min-translated, else 0")] = None,
    include_fuzzy: Annotated[bool | None, typer.Option(
        "--include-fuzzy/--reviewed-only",
        help="Also use machine drafts and fuzzy entries (the edition then carries the notice).",
        show_default="reviewed only")] = None,
    notice: Annotated[str | None, typer.Option(
        help="Notice shown on editions that contain unreviewed machine drafts; '' for none.",
        show_default="[tool.l10n.build] notice")] = None,
) -> None:
    """Catalogs + source structure → editions/<lang>/<name>.<ext>.

    Untranslated sentences fall back to the source text. With every msgstr equal to its
    msgid the edition is byte-identical to the article."""
    from l10n.build import build as run_build

    proj = project_at(project)
    options = guarded(lambda: build_options(proj, format, min_translated, include_fuzzy, notice))
    with progress("build", len(guarded(proj.articles))) as tick:
        editions, errors = guarded(lambda: run_build(proj, options, on_article=tick))
    for exc in errors:
        fail(exc)
    for ed in editions:
        if ed.skipped:
            err.print(f"[yellow]skipped[/] {escape(f'{ed.article} [{ed.lang}]: {ed.skipped}')}",
                      markup=True)
        else:
            out.print(f"{ed.article} [{ed.lang}] {ed.translated_percent:.0f}% → "
                      f"{', '.join(str(p) for p in ed.paths)}")
    if errors:
        raise typer.Exit(2)


def build_options(proj: Project, formats: list[str] | None, min_translated: float | None,
                  include_fuzzy: bool | None, notice: str | None):  # type: ignore[no-untyped-def]
    from l10n.build import DEFAULT_NOTICE, BuildOptions
    from l10n.errors import ConfigError

    settings = proj.build
    chosen = formats or [str(settings.get("format", "source"))]
    expanded: list[str] = []
    for fmt in chosen:
        if fmt not in ("source", "html", "all"):
            raise ConfigError(f"unknown edition format {fmt!r}",
                              hint="use --format source, html or all")
        expanded += ["source", "html"] if fmt == "all" else [fmt]
    text = notice if notice is not None else settings.get("notice", DEFAULT_NOTICE)
    return BuildOptions(
        formats=tuple(dict.fromkeys(expanded)),
        min_translated=float(min_translated if min_translated is not None
                             else settings.get("min-translated", 0)),
        include_fuzzy=bool(include_fuzzy if include_fuzzy is not None
                           else settings.get("include-fuzzy", False)),
        notice=text or None,
    )


ENGINES = ("argos", "pseudo")


@app.command()
def translate(
    project: ProjectOpt = Path("."),
    engine: Annotated[str, typer.Option(
        help="'argos' (an installed Argos package) or 'pseudo' (pseudo-localization, no "
        "model needed).")] = "argos",
    lang: Annotated[list[str] | None, typer.Option(
        help="Target language(s) to fill. Repeatable.",
        show_default="target-langs from the settings")] = None,
    retranslate_fuzzy: Annotated[bool, typer.Option(
        help="Also replace fuzzy entries (machine drafts and entries whose source changed). "
        "A replaced human translation is kept in an `l10n-replaced:` comment.")] = False,
    dry_run: Annotated[bool, typer.Option(
        help="List what would be translated; change nothing.")] = False,
    no_cache: Annotated[bool, typer.Option(
        help="Do not read or write the machine-translation cache.")] = False,
    output: Annotated[str, typer.Option(
        "--format", help="Summary format: text or json.")] = "text",
) -> None:
    """Fill empty entries: translation memory first, then machine translation.

    Every filled entry is marked fuzzy and carries its provenance (`# l10n-mt: …`) so a
    reviewer knows it is a draft. Entries a human translated are never touched. Results are
    cached (SQLite in the user cache folder), so a re-run calls the model zero times."""
    import json
    from functools import partial

    from l10n import translate as tr
    from l10n.engines import load_engine

    if engine not in ENGINES:
        fail(L10nError(f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINES)}"))
        raise typer.Exit(2)
    proj = project_at(project)
    work = guarded(lambda: tr.plan(proj, langs=lang, retranslate_fuzzy=retranslate_fuzzy))
    for exc in work.errors:
        fail(exc)
    if dry_run:
        listing = [{"catalog": job.shown.as_posix(), "lang": job.lang,
                    "entries": list(job.needs)} for job in work.jobs]
        if output == "json":
            typer.echo(json.dumps({"pending": work.pending(), "catalogs": listing},
                                 ensure_ascii=False, indent=2))
        else:
            for item in listing:
                out.print(f"{item['catalog']}: {len(item['entries'])} to translate")
                for msgid in item["entries"]:
                    out.print(f"  {msgid}")
            out.print(f"dry run: {work.pending()} entries in {len(work.jobs)} catalog(s)")
        raise typer.Exit(2 if work.errors else 0)

    from l10n.mtcache import MTCache

    cache = None if no_cache else guarded(MTCache)
    total = len({(job.lang, m) for job in work.jobs for m in job.needs})
    try:
        with progress("translate", total) as tick:
            report = guarded(lambda: tr.run(proj, work, partial(load_engine, engine),
                                            cache=cache, on_progress=lambda n: tick(step=n)))
    except KeyboardInterrupt:
        # Every catalog on disk is complete (atomic writes, group by group) and finished
        # engine output is in the cache: running again picks up where this stopped.
        err.print("interrupted: catalogs written so far are complete; run `l10n translate` "
                  "again to continue")
        raise typer.Exit(130) from None
    summary = {"entries_filled": report.entries_filled, "from_memory": report.from_memory,
               "from_cache": report.from_cache, "from_model": report.from_model,
               "model_calls": report.model_calls, "seconds": round(report.seconds, 3),
               "files_written": [p.as_posix() for p in report.files_written]}
    if output == "json":
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        rate = report.from_model / report.seconds if report.seconds else 0.0
        out.print(f"translate: {report.entries_filled} entries filled in "
                  f"{len(report.files_written)} file(s): {report.from_memory} from memory, "
                  f"{report.from_cache} from cache, {report.from_model} from the model "
                  f"({report.seconds:.1f} s, {rate:.0f} segments/s)")
    if work.errors:
        raise typer.Exit(2)


OutputOpt = Annotated[str, typer.Option(
    "--format", "-f", help="Output: 'table', 'json' or 'github' (workflow annotations).")]


def _check_output(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        fail(L10nError(f"unknown --format {value!r}", hint=f"use one of: {', '.join(allowed)}"))
        raise typer.Exit(2)


@app.command()
def stats(project: ProjectOpt = Path("."), output: OutputOpt = "table") -> None:
    """Statistics per article and language: entries and source words by status."""
    import json

    from l10n.stats import STATES, project_stats, total

    _check_output(output, ("table", "json"))
    proj = project_at(project)
    rows, errors = guarded(lambda: project_stats(proj))
    for exc in errors:
        fail(exc)
    overall = total(rows)
    if output == "json":
        typer.echo(json.dumps({"catalogs": [r.as_json() for r in rows],
                              "total": {"total": overall.total, "entries": overall.entries,
                                        "words": overall.words, "total_words":
                                        overall.total_words}},
                             ensure_ascii=False, indent=2))
    else:
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        table.add_column("catalog")
        table.add_column("lang")
        for col in ("total", *STATES):
            table.add_column(col, justify="right")
        for name, lang, counts in [(r.name, r.lang, r.counts) for r in rows] + [
                ("total", "", overall)]:
            table.add_row(name, lang, f"{counts.total} ({counts.total_words} w)",
                          *(f"{counts.entries[s]} ({counts.words[s]} w)" for s in STATES))
        out.print(table)
    if errors:
        raise typer.Exit(2)


@app.command()
def check(
    project: ProjectOpt = Path("."),
    output: OutputOpt = "table",
    min_reviewed: Annotated[float | None, typer.Option(
        min=0, max=100, help="Required percent of reviewed entries per catalog.",
        show_default="[tool.l10n.check] min-reviewed, else 100")] = None,
    allow_drafts: Annotated[bool | None, typer.Option(
        "--allow-drafts/--no-allow-drafts",
        help="Count unreviewed machine drafts as done.", show_default="no")] = None,
    qa: Annotated[bool | None, typer.Option(
        "--qa/--no-qa", help="Run the QA checks on translated and draft entries.",
        show_default="yes")] = None,
    disable: Annotated[list[str] | None, typer.Option(
        help="QA check to switch off (repeatable); see `l10n check --list-checks`.")] = None,
    strict: Annotated[bool | None, typer.Option(
        "--strict/--no-strict", help="Warnings fail the gate too.", show_default="no")] = None,
    list_checks: Annotated[bool, typer.Option(
        help="List the QA checks and their severities, then exit.")] = False,
) -> None:
    """CI gate: missing or out-of-date catalogs, thresholds, QA checks.

    Exit 0: pass. Exit 1: the gate failed. Exit 2: bad input or usage. Every problem is
    reported once, with file:line."""
    import json

    from l10n import gate

    if list_checks:
        from l10n.checks import CHECKS

        for c in CHECKS.values():
            out.print(f"{c.name:22} {c.severity:8} {c.summary}")
        return
    _check_output(output, ("table", "json", "github"))
    proj = project_at(project)
    options = guarded(lambda: gate.options_from(
        proj, min_reviewed=min_reviewed, allow_drafts=allow_drafts, qa=qa,
        disabled=frozenset(disable) if disable else None, strict=strict))
    result = guarded(lambda: gate.run_gate(proj, options))
    code = result.exit_code(strict=options.strict)
    overall = gate.summary(result)
    if output == "json":
        typer.echo(json.dumps({
            "exit_code": code, "passed": code == 0,
            "issues": [i.as_json() for i in result.issues],
            "bad_input": [{"path": str(e.path) if e.path else None, "line": e.line,
                           "message": e.message} for e in result.bad_input],
            "catalogs": [{"name": n, "lang": lang, "path": p.as_posix(), "total": c.total,
                          "entries": c.entries} for n, lang, p, c in result.catalogs],
        }, ensure_ascii=False, indent=2))
    elif output == "github":
        for exc in result.bad_input:
            typer.echo(_annotation("error", exc.path.as_posix() if exc.path else None, exc.line,
                                  "bad-input", exc.message))
        for issue in result.issues:
            typer.echo(_annotation(issue.severity, issue.path.as_posix() if issue.path else None,
                                  issue.line, issue.code, issue.message))
    else:
        for exc in result.bad_input:
            fail(exc)
        for issue in result.issues:
            color = "red" if issue.severity == "error" else "yellow"
            where = f"{issue.location}: " if issue.location else ""
            out.print(f"{escape(where)}[{color}]{issue.severity}[/] "
                      f"{escape('[' + issue.code + ']')} {escape(issue.message)}", markup=True)
    if output != "json":
        errors = sum(i.severity == "error" for i in result.issues)
        warnings = len(result.issues) - errors
        verdict = {0: "passed", 1: "FAILED", 2: "bad input"}[code]
        err.print(f"check {verdict}: {len(result.catalogs)} catalog(s), {overall.total} "
                  f"entries: {overall.entries['reviewed']} reviewed, "
                  f"{overall.entries['draft']} drafts, {overall.entries['fuzzy']} fuzzy, "
                  f"{overall.entries['untranslated']} untranslated; {errors} error(s), "
                  f"{warnings} warning(s)")
    raise typer.Exit(code)


def _annotation(severity: str, path: str | None, line: int | None, code: str,
                message: str) -> str:
    """A GitHub Actions workflow command; its data must escape %, CR and LF."""
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return esc(text).replace(":", "%3A").replace(",", "%2C")

    props = [f"file={prop(path)}"] if path else []
    if line:
        props.append(f"line={line}")
    props.append(f"title={prop(code)}")
    level = "error" if severity == "error" else "warning"
    return f"::{level} {','.join(props)}::{esc(message)}"


models_app = typer.Typer(help="Argos Translate packages: list, install, remove.",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(output: Annotated[str, typer.Option(
        "--format", "-f", help="Output: 'table' or 'json'.")] = "table") -> None:
    """Installed packages (in $ARGOS_PACKAGES_DIR or argostranslate's default folder)."""
    import json

    from l10n import models

    _check_output(output, ("table", "json"))
    found = guarded(models.installed)
    if output == "json":
        typer.echo(json.dumps([{"from": p.from_code, "to": p.to_code,
                               "version": p.package_version, "name": p.name,
                               "path": str(p.path), "size_bytes": p.size_bytes}
                              for p in found], indent=2))
        return
    if not found:
        err.print(f"no packages installed in {guarded(models.packages_dir)}; install one with "
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
) -> None:
    """Install a package from a .argosmodel file or from the Argos package index.

    The package is validated first (one top folder, metadata.json with language codes, a
    CTranslate2 model, a tokenizer, no path escaping the folder); anything else is refused
    and nothing is installed."""
    from l10n import models

    if len(source) == 1:
        info = guarded(lambda: models.install_file(Path(source[0])))
    elif len(source) == 2:
        with _download_bar() as on_progress:
            info = guarded(lambda: models.install_from_index(
                source[0], source[1], index_url=index_url, on_progress=on_progress))
    else:
        fail(L10nError("expected a .argosmodel file or two language codes",
                       hint="l10n models install translate-de_en.argosmodel | "
                       "l10n models install de en"))
        raise typer.Exit(2)
    out.print(f"installed {info.from_code} → {info.to_code} {info.package_version} "
              f"in {info.path}")


@contextmanager
def _download_bar() -> Iterator[Callable[[int, int | None], None]]:
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import DownloadColumn, TransferSpeedColumn

    bar = Progress(TextColumn("download"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                   TimeRemainingColumn(), console=err, transient=True)
    with bar:
        task = bar.add_task("download", total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@models_app.command("remove")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed package(s) for a language pair."""
    from l10n import models

    for info in guarded(lambda: models.remove(from_code, to_code)):
        out.print(f"removed {info.from_code} → {info.to_code} {info.package_version} "
                  f"({info.path})")


@app.command("run")
def run_all(
    project: ProjectOpt = Path("."),
    engine: Annotated[str, typer.Option(help="'argos' or 'pseudo'.")] = "argos",
    format: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="Edition format(s): source, html, all.")] = None,
    include_fuzzy: Annotated[bool, typer.Option(
        "--include-fuzzy/--reviewed-only",
        help="Build editions with the machine drafts (marked with the notice).")] = True,
    force: Annotated[bool, typer.Option(
        help="Extract articles that do not look like the source language.")] = False,
) -> None:
    """The whole job: extract → translate → build → check.

    Editions include machine drafts by default (each carries the notice), so a fresh corpus
    gives readable editions at once; the check then reports what still needs review."""
    proj = project_at(project)
    if engine == "argos":
        _require_model(proj)
    steps: list[Callable[[], None]] = [
        lambda: extract(project=project, force=force),
        lambda: translate(project=project, engine=engine),
        lambda: build(project=project, format=format, include_fuzzy=include_fuzzy),
    ]
    for step in steps:
        try:
            step()
        except typer.Exit as exc:
            if exc.exit_code:
                raise
    check(project=project, allow_drafts=True if include_fuzzy else None)


def _require_model(proj: Project) -> None:
    from l10n import models

    try:
        missing = [lang for lang in proj.target_langs
                   if not models.installed(proj.source_lang, lang)]
    except L10nError as exc:
        fail(exc)
        raise typer.Exit(exc.exit_code) from None
    if missing:
        pairs = ", ".join(f"{proj.source_lang}→{lang}" for lang in missing)
        fail(L10nError(
            f"no Argos model installed for {pairs}",
            hint=f"install one: `l10n models install {proj.source_lang} {missing[0]}` (needs "
            "network) or `l10n models install FILE.argosmodel`; or try the pipeline without "
            "a model: `l10n run --engine pseudo`"))
        raise typer.Exit(2)
