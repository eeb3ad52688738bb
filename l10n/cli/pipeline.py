"""Pipeline commands: extract, translate, build, and run (all of them plus check)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from l10n.cli import output as draw
from l10n.cli.app import (
    ProjectOpt,
    app,
    err,
    fail,
    guarded,
    out,
    progress,
    project_at,
    require_choice,
    warn,
)
from l10n.errors import L10nError
from l10n.project import Project

if TYPE_CHECKING:
    from l10n.engines.cache import MTCache


@app.command()
def extract(
    project: ProjectOpt = Path("."),
    force: Annotated[bool, typer.Option(
        "--force",
        help="Extract articles even when they do not look like the source language.")] = False,
    no_state: Annotated[bool, typer.Option(
        "--no-state", help="Read every article again, ignoring what .l10n/ remembers.")] = False,
) -> None:
    """Corpus → locales/templates/*.pot → merged into locales/<lang>/*.po (msgmerge style).

    Translations of unchanged sentences are kept, changed sentences become fuzzy with the
    old translation and `#| msgid`, removed ones become obsolete (`#~`). Files are only
    rewritten when their content changes."""
    from l10n.commands import extract as command

    proj = project_at(project)
    options = command.Options(force=force, remember=not no_state)
    with progress("extract", len(guarded(proj.articles))) as tick:
        report = guarded(lambda: command.run(proj, options, on_article=tick))
    draw.print_extract(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@app.command()
def build(
    project: ProjectOpt = Path("."),
    edition: Annotated[list[str] | None, typer.Option(
        "--edition", "-e", help="Edition format: 'source' (same as the article: .txt, .md), "
        "'html', or 'all'. Repeatable.", show_default="[tool.l10n.build] format, else "
        "source")] = None,
    min_translated: Annotated[float | None, typer.Option(
        min=0, max=100, help="Skip an article whose catalog is translated below this percent.",
        show_default="[tool.l10n.build] min-translated, else 0")] = None,
    include_fuzzy: Annotated[bool | None, typer.Option(
        "--include-fuzzy/--reviewed-only",
        help="Also use machine drafts and fuzzy entries (the edition then carries the notice).",
        show_default="reviewed only")] = None,
    notice: Annotated[str | None, typer.Option(
        help="Notice shown on editions that contain unreviewed machine drafts; '' for none. "
        "An edition with untranslated sentences always says how many.",
        show_default="[tool.l10n.build] notice")] = None,
) -> None:
    """Catalogs + source structure → editions/<lang>/<name>.<ext>.

    Untranslated sentences fall back to the source text. With every msgstr equal to its
    msgid the edition is byte-identical to the article."""
    from l10n.commands import build as command

    proj = project_at(project)
    options = guarded(lambda: command.options_from(
        proj, formats=edition, min_translated=min_translated, include_fuzzy=include_fuzzy,
        notice=notice))
    with progress("build", len(guarded(proj.articles))) as tick:
        report = guarded(lambda: command.run(proj, options, on_article=tick))
    draw.print_build(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


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
        "--retranslate-fuzzy",
        help="Also replace fuzzy entries (machine drafts and entries whose source changed). "
        "A replaced human translation is kept in an `l10n-replaced:` comment.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would be translated; change nothing.")] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Do not read or write the machine-translation cache.")] = False,
    output: Annotated[str, typer.Option(
        "--format", "-f", help="Summary format: text or json.")] = "text",
) -> None:
    """Fill empty entries: translation memory first, then machine translation.

    Every filled entry is marked fuzzy and carries its provenance (`# l10n-mt: …`) so a
    reviewer knows it is a draft. Entries a human translated are never touched. Results are
    cached (SQLite in the user cache folder), so a re-run calls the model zero times."""
    import json
    from functools import partial

    from l10n.commands import translate as tr
    from l10n.engines import load_engine

    _check_engine(engine)
    require_choice(output, ("text", "json"))
    proj = project_at(project)
    unknown = [code for code in lang or () if code not in proj.target_langs]
    if unknown:
        fail(L10nError(f"{', '.join(unknown)} is not a target language of this project",
                       hint=f"targets: {', '.join(proj.target_langs)}; add languages to "
                       "target-langs in [tool.l10n] and run `l10n extract`"))
        raise typer.Exit(2)
    work = guarded(lambda: tr.plan(proj, langs=lang, retranslate_fuzzy=retranslate_fuzzy))
    for exc in work.errors:
        fail(exc)
    if dry_run:
        listing = [{"catalog": job.shown.as_posix(), "lang": job.lang,
                    "entries": list(job.needs)} for job in work.jobs()]
        if output == "json":
            typer.echo(json.dumps({"pending": work.pending(), "catalogs": listing},
                                 ensure_ascii=False, indent=2))
        else:
            for item in listing:
                out.print(f"{item['catalog']}: {len(item['entries'])} to translate")
                for msgid in item["entries"]:
                    out.print(f"  {msgid}")
            out.print(f"dry run: {work.pending()} entries in {work.catalogs()} catalog(s)")
        raise typer.Exit(2 if work.errors else 0)

    cache = None if no_cache else _open_cache()
    total = work.unique()
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
    if cache is not None and cache.problem is not None:
        warn(cache.problem)
    for exc in report.errors:
        fail(exc)
    if work.errors or report.errors:
        raise typer.Exit(2)


def _open_cache() -> MTCache | None:
    """The cache, or None (and a warning) when it cannot be used: it only saves work."""
    from l10n.engines.cache import MTCache

    try:
        return MTCache()
    except L10nError as exc:
        exc.message += "; translating without it"
        warn(exc)
        return None


@app.command("run")
def run_all(
    project: ProjectOpt = Path("."),
    engine: Annotated[str, typer.Option(help="'argos' or 'pseudo'.")] = "argos",
    edition: Annotated[list[str] | None, typer.Option(
        "--edition", "-e", help="Edition format(s): source, html, all.",
        show_default="[tool.l10n.build] format, else source")] = None,
    include_fuzzy: Annotated[bool, typer.Option(
        "--include-fuzzy/--reviewed-only",
        help="Build editions with the machine drafts (marked with the notice).")] = True,
    force: Annotated[bool, typer.Option(
        "--force", help="Extract articles that do not look like the source language.")] = False,
) -> None:
    """The whole job: extract → translate → build → check.

    Editions include machine drafts by default (each carries the notice), so a fresh corpus
    gives readable editions at once; the check then reports what still needs review."""
    _check_engine(engine)
    proj = project_at(project)
    if engine == "argos":
        _require_model(proj)
    steps: list[Callable[[], None]] = [
        lambda: extract(project=project, force=force),
        lambda: translate(project=project, engine=engine),
        lambda: build(project=project, edition=edition, include_fuzzy=include_fuzzy),
    ]
    for step in steps:
        try:
            step()
        except typer.Exit as exc:
            if exc.exit_code:
                raise
    from l10n.cli.ci import check

    check(project=project, allow_drafts=True if include_fuzzy else None)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        fail(L10nError(f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINES)}"))
        raise typer.Exit(2)


def _require_model(proj: Project) -> None:
    from l10n.argos import packages

    try:
        missing = [lang for lang in proj.target_langs
                   if not packages.installed(proj.source_lang, lang)]
    except L10nError as exc:
        fail(exc)
        raise typer.Exit(exc.exit_code) from None
    if missing and sys.stdin.isatty() and sys.stderr.isatty():
        missing = _offer_download(proj.source_lang, missing)
    if missing:
        pairs = ", ".join(f"{proj.source_lang}→{lang}" for lang in missing)
        fail(L10nError(
            f"no Argos model installed for {pairs}",
            hint=f"install one: `l10n models install {proj.source_lang} {missing[0]}` (needs "
            "network) or `l10n models install FILE.argosmodel`; or try the pipeline without "
            "a model: `l10n run --engine pseudo`"))
        raise typer.Exit(2)


def _offer_download(source: str, targets: list[str]) -> list[str]:
    """Ask (at a terminal only) to fetch each missing pair from the index; what is still
    missing afterwards."""
    from l10n.argos import index
    from l10n.cli.models import download_bar

    still = []
    for target in targets:
        if not typer.confirm(f"No {source}→{target} model installed. Download it from the "
                             "Argos package index now?", default=False, err=True):
            still.append(target)
            continue
        try:
            with download_bar() as on_progress:
                info = index.install_from_index(source, target, on_progress=on_progress)
        except L10nError as exc:
            fail(exc)
            still.append(target)
            continue
        err.print(f"installed {info.from_code} → {info.to_code} {info.package_version}")
    return still
