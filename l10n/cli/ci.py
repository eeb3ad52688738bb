"""CI commands: check (the gate) and stats."""

# Annotations are evaluated where they are written, not postponed: typer reads each
# command's parameters from them on every run (see l10n.cli).

from pathlib import Path
from typing import Annotated

import typer

from l10n.cli import output as draw
from l10n.cli.common import (
    OutputOpt,
    ProjectOpt,
    app,
    fail,
    guarded,
    out,
    project_at,
    require_choice,
)


@app.command()
def stats(project: ProjectOpt = Path("."), output: Annotated[str, typer.Option(
        "--format", "-f", help="Output: 'table' or 'json'.")] = "table") -> None:
    """Statistics per article and language: entries and source words by status."""
    import json

    from l10n.catalog.counts import STATES
    from l10n.commands import stats as command

    require_choice(output, ("table", "json"))
    proj = project_at(project)
    report = guarded(lambda: command.run(proj))
    for exc in report.errors:
        fail(exc)
    if output == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        lines = [["catalog", "lang", "total", *STATES]]
        for name, lang, counts in [(r.name, r.lang, r.counts) for r in report.rows] + [
                ("total", "", report.total)]:
            lines.append([name, lang, f"{counts.total} ({counts.total_words} w)",
                          *(f"{counts.entries[s]} ({counts.words[s]} w)" for s in STATES)])
        typer.echo(draw.columns(lines, right=range(2, 3 + len(STATES))))
    raise typer.Exit(report.exit_code)


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
    no_state: Annotated[bool, typer.Option(
        "--no-state", help="Check every file again, ignoring what .l10n/ remembers.")] = False,
    jobs: Annotated[int | None, typer.Option(
        min=1, help="Processes that check changed articles.",
        show_default="one per CPU core")] = None,
) -> None:
    """CI gate: missing or out-of-date catalogs, thresholds, QA checks.

    Exit 0: pass. Exit 1: the gate failed. Exit 2: bad input or usage. Every problem is
    reported once, with file:line."""
    from l10n.commands import gate

    if list_checks:
        from l10n.checks import CHECKS

        for c in CHECKS.values():
            out.print(f"{c.name:22} {c.severity:8} {c.summary}")
        return
    require_choice(output, ("table", "json", "github"))
    proj = project_at(project)
    options = guarded(lambda: gate.options_from(
        proj, min_reviewed=min_reviewed, allow_drafts=allow_drafts, qa=qa,
        disabled=frozenset(disable) if disable else None, strict=strict))
    result = guarded(lambda: gate.run(proj, options, remember=not no_state, jobs=jobs))
    draw.print_gate(proj, result, output)
    raise typer.Exit(result.exit_code)
