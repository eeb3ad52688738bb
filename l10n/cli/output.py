"""How reports are drawn: plain-text tables, JSON, GitHub Actions annotations and job
summaries. Plain text throughout: a table of 20,000 catalogs prints in milliseconds, and CI
logs and `grep` read it."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from l10n.cli.common import Verbosity, err, escape, fail, out, warn

if TYPE_CHECKING:
    from l10n.commands import build, extract, translate
    from l10n.commands.gate import Report as GateReport
    from l10n.project import Project


def columns(rows: list[list[str]], *, right: Iterable[int] = ()) -> str:
    """Rows as aligned plain-text columns; the first row is the heading."""
    flush_right = set(right)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.rjust(w) if i in flush_right else cell.ljust(w)
                  for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows)


_VERDICTS = {0: "passed", 1: "FAILED", 2: "bad input"}


def verdict(result: GateReport, code: int) -> str:
    from l10n.catalog.counts import total

    overall = total(c for *_, c in result.catalogs)
    errors = sum(i.severity == "error" for i in result.issues)
    warnings = len(result.issues) - errors
    return (f"check {_VERDICTS[code]}: {len(result.catalogs)} catalog(s), {overall.total} "
            f"entries: {overall.entries['reviewed']} reviewed, {overall.entries['draft']} "
            f"drafts, {overall.entries['fuzzy']} fuzzy, {overall.entries['untranslated']} "
            f"untranslated; {errors} error(s), {warnings} warning(s)")


def print_gate_table(result: GateReport) -> None:
    """One line per issue, then the counts per check. Plain text (colour only on a
    terminal, through click), never parsed as markup or emoji codes, so "file.po:100:"
    stays what it is, and a gate with thousands of findings prints in milliseconds."""
    lines = []
    for issue in result.issues:
        color = "red" if issue.severity == "error" else "yellow"
        where = f"{issue.location}: " if issue.location else ""
        lines.append(f"{where}{typer.style(issue.severity, fg=color)} [{issue.code}] "
                     f"{issue.message}")
    if lines:
        typer.echo("\n".join(lines))  # one write: thousands of findings print at once
    counts = result.counts_per_check()
    if not counts:
        return
    rows = [["check", "errors", "warnings"]]
    rows += [[name, str(count["error"]), str(count["warning"])]
             for name, count in sorted(counts.items())]
    typer.echo(columns(rows, right=(1, 2)))


def _ci_path(project: Project, path: Path | None) -> str | None:
    """A path as GitHub wants it: relative to the working directory (the checkout), so that a
    project in a subfolder of the repository still annotates the right file."""
    if path is None:
        return None
    absolute = path if path.is_absolute() else project.root / path
    return Path(os.path.relpath(absolute, Path.cwd())).as_posix()


def print_annotations(project: Project, result: GateReport) -> None:
    for exc in result.errors:
        typer.echo(_annotation("error", _ci_path(project, exc.path), exc.line, "bad-input",
                               exc.message))
    for issue in result.issues:
        typer.echo(_annotation(issue.severity, _ci_path(project, issue.path), issue.line,
                               issue.code, issue.message))


def _md(text: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("|", "\\|").replace("\n", " ")


# GitHub shows ten annotations of each kind per step; the summary lists this many findings.
_SUMMARY_FINDINGS = 50


def step_summary(project: Project, result: GateReport, code: int) -> str:
    """The Markdown job summary: the verdict, counts per catalog and per check, then the
    first findings with their file:line."""
    lines = [f"## l10n check {_VERDICTS[code]}", "", verdict(result, code), ""]
    per_catalog: dict[str | None, Counter[str]] = {}
    for issue in result.issues:
        per_catalog.setdefault(_ci_path(project, issue.path), Counter())[issue.severity] += 1
    lines += ["| catalog | entries | reviewed | errors | warnings |", "|---|---:|---:|---:|---:|"]
    for _name, _lang, path, counts in result.catalogs:
        shown = _ci_path(project, path)
        found = per_catalog.pop(shown, Counter())
        lines.append(f"| `{_md(shown)}` | {counts.total} | {counts.entries['reviewed']} | "
                     f"{found['error']} | {found['warning']} |")
    for shown, found in per_catalog.items():  # templates, orphans, project-wide issues
        lines.append(f"| `{_md(shown or '(project)')}` | | | {found['error']} | "
                     f"{found['warning']} |")
    counts_per_check = result.counts_per_check()
    if counts_per_check:
        lines += ["", "| check | errors | warnings |", "|---|---:|---:|"]
        lines += [f"| {_md(name)} | {c['error']} | {c['warning']} |"
                  for name, c in sorted(counts_per_check.items())]
    rows = [("error", _ci_path(project, e.path), e.line, "bad-input", e.message)
            for e in result.errors]
    rows += [(i.severity, _ci_path(project, i.path), i.line, i.code, i.message)
             for i in sorted(result.issues, key=lambda i: i.severity != "error")]
    if rows:
        lines += ["", "| | where | check | message |", "|---|---|---|---|"]
        for severity, at, line, code_, message in rows[:_SUMMARY_FINDINGS]:
            where = f"{at or ''}:{line}" if line else at or ""
            lines.append(f"| {severity} | `{_md(where)}` | {_md(code_)} | {_md(message)} |")
        if len(rows) > _SUMMARY_FINDINGS:
            lines += ["", f"… and {len(rows) - _SUMMARY_FINDINGS} more; run `l10n check` "
                      "locally for all of them."]
    return "\n".join(lines) + "\n\n"


def append_step_summary(path: Path, project: Project, result: GateReport, code: int) -> None:
    # Appended: other steps of the job write their own parts of the summary.
    with path.open("a", encoding="utf-8") as summary:
        summary.write(step_summary(project, result, code))


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


def print_extract(report: extract.Report) -> None:
    for article, reason in report.skipped:
        err.print(f"[yellow]warning:[/] {escape(f'{article}: skipped: {reason}')}", markup=True)
    for exc in report.errors:
        fail(exc)
    out.print(f"extract: {report.articles} article(s), {len(report.written)} file(s) written, "
              f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
              f"{len(report.errors)} error(s)")
    for path in report.written:
        out.print(f"  wrote {path}")
    if Verbosity.level >= Verbosity.VERBOSE:
        for path in report.unchanged:
            out.print(f"  unchanged {path}")


def print_build(report: build.Report) -> None:
    for exc in report.errors:
        fail(exc)
    for ed in report.editions:
        if ed.skipped:
            err.print(f"[yellow]skipped[/] {escape(f'{ed.article} [{ed.lang}]: {ed.skipped}')}",
                      markup=True)
        else:
            out.print(f"{ed.article} [{ed.lang}] {ed.translated_percent:.0f}% → "
                      f"{', '.join(str(p) for p in ed.paths)}")
            if ed.fallback_warning:
                where = f"{ed.article} [{ed.lang}]: {ed.fallback_warning}"
                err.print(f"[yellow]warning:[/] {escape(where)}", markup=True)


def print_translate(report: translate.Report, output: str) -> None:
    if output == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        rate = report.from_model / report.seconds if report.seconds else 0.0
        out.print(f"translate: {report.entries_filled} entries filled in "
                  f"{len(report.files_written)} file(s): {report.from_memory} from memory, "
                  f"{report.from_cache} from cache, {report.from_model} from the model "
                  f"({report.seconds:.1f} s, {rate:.0f} segments/s)")
    for problem in report.warnings:
        warn(problem)
    for exc in report.errors:
        fail(exc)


def print_dry_run(work: translate.Plan, output: str) -> None:
    listing = [{"catalog": job.shown.as_posix(), "lang": job.lang,
                "entries": list(job.needs)} for job in work.jobs()]
    if output == "json":
        typer.echo(json.dumps({"pending": work.pending(), "catalogs": listing},
                             ensure_ascii=False, indent=2))
        return
    for item in listing:
        out.print(f"{item['catalog']}: {len(item['entries'])} to translate")
        for msgid in item["entries"]:
            out.print(f"  {msgid}")
    out.print(f"dry run: {work.pending()} entries in {work.catalogs()} catalog(s)")


def print_gate(project: Project, report: GateReport, output: str) -> None:
    """The gate's findings as a table, JSON or GitHub annotations (plus the job summary),
    then, except for JSON, the verdict on stderr."""
    if output == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    if output == "github":
        print_annotations(project, report)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            append_step_summary(Path(summary), project, report, report.exit_code)
    else:
        for exc in report.errors:
            fail(exc)
        print_gate_table(report)
    typer.echo(verdict(report, report.exit_code), err=True)
