"""CI commands: check (the gate) and stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from l10n.cli import (
    OutputOpt,
    ProjectOpt,
    app,
    err,
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

    from l10n.stats import STATES, project_stats, total

    require_choice(output, ("table", "json"))
    proj = project_at(project)
    rows, errors = guarded(lambda: project_stats(proj))
    for exc in errors:
        fail(exc)
    overall = total(r.counts for r in rows)
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
    from l10n.stats import total

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
    result = guarded(lambda: gate.run_gate(proj, options))
    code = result.exit_code(strict=options.strict)
    overall = total(c for *_, c in result.catalogs)
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
