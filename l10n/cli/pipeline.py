"""Pipeline commands: extract, translate, build, and run (all of them plus check)."""

# Annotations are evaluated where they are written, not postponed: typer reads each
# command's parameters from them on every run (see l10n.cli).

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from l10n.cli import output as draw
from l10n.cli.common import (
    ProjectOpt,
    app,
    err,
    fail,
    guarded,
    progress,
    project_at,
    require_choice,
)
from l10n.errors import L10nError
from l10n.project import Project

ExecutorOpt = Annotated[str | None, typer.Option(
    "--executor", help="Where the model runs: 'local' (this process) or 'ray' (a pool of Ray "
    "actors; needs l10n[ray]).", show_default="[tool.l10n.translate] executor, else local")]
RayAddressOpt = Annotated[str | None, typer.Option(
    "--ray-address", help="The Ray cluster to use with --executor ray (host:port of its head).",
    show_default="[tool.l10n.translate] ray-address, else a local Ray instance started for "
    "the run")]
DeviceOpt = Annotated[str | None, typer.Option(
    "--device", help="Where the Argos model runs: 'auto' (a GPU where CTranslate2 sees one), "
    "'cpu' or 'cuda'. A GPU run is named in the drafts' provenance and cached apart.",
    show_default="[tool.l10n.translate] device, else auto")]


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
    report = guarded(lambda: command.run(proj, options, progress=progress))
    draw.print_extract(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@app.command()
def build(
    project: ProjectOpt = Path("."),
    edition: Annotated[list[str] | None, typer.Option(
        "--edition", "-e", help="Edition format: 'source' (same as the article: .txt, .md, .html), "
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
    report = guarded(lambda: command.run(proj, options, progress=progress))
    draw.print_build(report)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


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
    executor: ExecutorOpt = None,
    ray_address: RayAddressOpt = None,
    device: DeviceOpt = None,
    output: Annotated[str, typer.Option(
        "--format", "-f", help="Summary format: text or json.")] = "text",
) -> None:
    """Fill empty entries: translation memory first, then machine translation.

    Every filled entry is marked fuzzy and carries its provenance (`# l10n-mt: …`) so a
    reviewer knows it is a draft. Entries a human translated are never touched. Results are
    cached (SQLite in the user cache folder), so a re-run calls the model zero times."""
    from l10n.commands import translate as command

    require_choice(output, ("text", "json"))
    proj = project_at(project)
    options = guarded(lambda: command.options_from(
        proj, engine=engine, langs=tuple(lang) if lang else None,
        retranslate_fuzzy=retranslate_fuzzy, cache=not no_cache, executor=executor,
        ray_address=ray_address, device=device))
    work = guarded(lambda: command.plan(proj, options))
    if dry_run:
        for exc in work.errors:
            fail(exc)
        draw.print_dry_run(work, output)
        raise typer.Exit(2 if work.errors else 0)
    try:
        report = guarded(lambda: command.run(proj, options, work=work, progress=progress))
    except KeyboardInterrupt:
        # Every catalog on disk is complete (atomic writes, group by group) and finished
        # engine output is in the cache: running again picks up where this stopped.
        err.print("interrupted: catalogs written so far are complete; run `l10n translate` "
                  "again to continue")
        raise typer.Exit(130) from None
    draw.print_translate(report, output)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


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
    executor: ExecutorOpt = None,
    ray_address: RayAddressOpt = None,
    device: DeviceOpt = None,
) -> None:
    """The whole job: extract → translate → build → check.

    Editions include machine drafts by default (each carries the notice), so a fresh corpus
    gives readable editions at once; the check then reports what still needs review."""
    from l10n import pipeline
    from l10n.commands import translate as command

    proj = project_at(project)
    options = pipeline.Options(engine=engine, editions=tuple(edition) if edition else None,
                               include_fuzzy=include_fuzzy, force=force, executor=executor,
                               ray_address=ray_address, device=device)
    guarded(lambda: command.options_from(proj, engine=engine, executor=executor,
                                         ray_address=ray_address, device=device).check(proj))
    if engine == "argos":
        _require_model(proj)
    report = guarded(lambda: pipeline.run(proj, options, progress=progress,
                                          on_step=lambda name, step: _show(proj, name, step)))
    raise typer.Exit(report.exit_code)


def _show(project: Project, name: str, report: Any) -> None:
    """A step's report as its own command prints it."""
    if name == "extract":
        draw.print_extract(report)
    elif name == "translate":
        draw.print_translate(report, "text")
    elif name == "build":
        draw.print_build(report)
    else:
        draw.print_gate(project, report, "table")


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
