"""`l10n run`: the whole job, extract → translate → build → check, as one call.

Each step is a command of `l10n.commands` run with its own options; the pipeline stops
after a step that fails (its report says why) and otherwise ends with the gate, whose exit
code is the pipeline's. Editions include machine drafts by default (each carries the
notice), so a fresh corpus gives readable editions at once, and the gate then counts the
drafts as done: what it reports is what still needs review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from l10n.commands import Progress, build, extract, gate, no_progress, translate
from l10n.project import Project
from l10n.report import Report as BaseReport

STEPS = ("extract", "translate", "build", "check")

@dataclass(frozen=True)
class Options:
    engine: str = "argos"
    editions: tuple[str, ...] | None = None  # build formats; None: the project's settings
    include_fuzzy: bool = True  # editions with machine drafts (marked by the notice)
    force: bool = False  # extract articles that do not look like the source language
    executor: str | None = None  # translate's executor; None: the project's settings
    ray_address: str | None = None
    device: str | None = None  # where translate's model runs; None: the project's settings


@dataclass
class Report(BaseReport):
    steps: list[tuple[str, BaseReport]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """The first failing step's code, else the gate's."""
        codes = [report.exit_code for _, report in self.steps]
        return next((code for code in codes if code), 0)

    def as_json(self) -> dict[str, Any]:
        return {"exit_code": self.exit_code,
                "steps": {name: report.as_json() for name, report in self.steps}}


def run(project: Project, options: Options, *, progress: Progress = no_progress,
        on_step: Callable[[str, BaseReport], None] | None = None) -> Report:
    """Run the steps in order; `on_step` sees each step's report as soon as it is done."""
    result = Report()
    build_options = build.options_from(project, formats=options.editions,
                                       include_fuzzy=options.include_fuzzy)
    translate_options = translate.options_from(project, engine=options.engine,
                                               executor=options.executor,
                                               ray_address=options.ray_address,
                                               device=options.device)
    gate_options = gate.options_from(project, allow_drafts=True if options.include_fuzzy
                                     else None)

    def extracted() -> BaseReport:
        return extract.run(project, extract.Options(force=options.force), progress=progress)

    def translated() -> BaseReport:
        return translate.run(project, translate_options, progress=progress)

    def built() -> BaseReport:
        return build.run(project, build_options, progress=progress)

    def checked() -> BaseReport:
        return gate.run(project, gate_options)

    for name, step in zip(STEPS, (extracted, translated, built, checked), strict=True):
        report = step()
        result.steps.append((name, report))
        if on_step:
            on_step(name, report)
        if report.exit_code:
            break
    return result
