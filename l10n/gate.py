"""`l10n check`: the CI gate. Collects every problem, then decides once.

A problem of severity "error" fails the gate (exit 1); unreadable input is exit 2. Problems
come from three places: catalogs missing or out of date with the corpus, thresholds not
met, and QA checks on translated and draft entries.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from l10n.catalog.model import article_entries, provenance, status
from l10n.catalog.po.read import loadb
from l10n.errors import ConfigError, L10nError
from l10n.fsutil import read_bytes
from l10n.project import Project
from l10n.state import State, digest, file_digest
from l10n.stats import Counts, catalogs, count

# Segmenting articles and the QA checks are imported where a result has to be computed: a
# gate over an unchanged project answers from `l10n.state` and never needs them.
if TYPE_CHECKING:
    import polib

    from l10n.checks import CheckContext, Problem
    from l10n.glossary import Glossary

T = TypeVar("T")


@dataclass(frozen=True)
class Issue:
    severity: str  # "error" fails the gate, "warning" is reported only
    code: str  # what kind of problem: missing-catalog, out-of-date, threshold, qa/<check>…
    message: str
    path: Path | None = None
    line: int | None = None  # of the PO entry (its msgid line) for QA findings
    msgid: str | None = None  # the entry a QA finding is about

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()

    def as_json(self) -> dict[str, object]:
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "path": self.path.as_posix() if self.path else None, "line": self.line,
                "msgid": self.msgid}


@dataclass(frozen=True)
class GateOptions:
    min_reviewed: float = 100.0  # percent of entries reviewed by a human
    allow_drafts: bool = False  # machine drafts count as done
    qa: bool = True
    disabled: frozenset[str] = frozenset()
    severities: dict[str, str] = field(default_factory=dict)
    strict: bool = False  # warnings fail the gate too


@dataclass
class GateResult:
    issues: list[Issue] = field(default_factory=list)
    bad_input: list[L10nError] = field(default_factory=list)
    catalogs: list[tuple[str, str, Path, Counts]] = field(default_factory=list)

    def failed(self, *, strict: bool = False) -> bool:
        return any(i.severity == "error" or strict for i in self.issues)

    def exit_code(self, *, strict: bool = False) -> int:
        if self.bad_input:
            return 2
        return 1 if self.failed(strict=strict) else 0


def options_from(project: Project, *, min_reviewed: float | None = None,
                 allow_drafts: bool | None = None, qa: bool | None = None,
                 disabled: Iterable[str] | None = None,
                 strict: bool | None = None) -> GateOptions:
    """Gate options: a given argument wins over `[tool.l10n.check]`, then the defaults."""
    cfg = project.check
    options = GateOptions(
        min_reviewed=float(_first(min_reviewed, cfg.get("min-reviewed"), 100.0)),
        allow_drafts=_first(allow_drafts, cfg.get("allow-drafts"), False),
        qa=_first(qa, cfg.get("qa"), True),
        disabled=frozenset(_first(disabled, cfg.get("disable"), ())),
        severities=dict(cfg.get("severity", {})),
        strict=_first(strict, cfg.get("strict"), False),
    )
    if options.disabled or options.severities:
        from l10n.checks import validate_selection

        validate_selection(options.disabled, options.severities)
    return options


def _first(*values: T | None) -> T:
    return next(v for v in values if v is not None)  # type: ignore[misc]


def _glossary_path(project: Project) -> Path:
    return project.root / (project.glossary or f"{project.locales}/glossary.csv")


def glossary_of(project: Project) -> Glossary | None:
    from l10n.glossary import load_glossary

    path = _glossary_path(project)
    if project.glossary and not path.is_file():
        raise ConfigError(f"glossary file {path} does not exist",
                          hint="fix `glossary` in [tool.l10n] or create the file")
    return load_glossary(path) if path.is_file() else None


def run_gate(project: Project, options: GateOptions, *, remember: bool = True) -> GateResult:
    """The gate over the whole project. Results for an article whose article, template and
    catalog bytes, settings and glossary are exactly as at an earlier run are taken from
    `l10n.state` instead of being recomputed; `remember=False` recomputes everything."""
    result = GateResult()
    try:
        glossary = glossary_of(project) if options.qa else None
    except L10nError as exc:
        result.bad_input.append(exc)
        glossary = None
    settings = digest(_options_key(options), project.source_lang,
                      file_digest(_glossary_path(project)) if glossary is not None else None)
    articles = project.articles()
    with State(project.root, enabled=remember) as state:
        for article in articles:
            try:
                _gate_article(project, article, settings, glossary, options, state, result)
            except L10nError as exc:  # the article itself cannot be read
                result.bad_input.append(exc)
    _check_orphans(project, {project.name_of(a) for a in articles}, result)
    return result


def _gate_article(project: Project, article: Path, settings: str, glossary: Glossary | None,
                  options: GateOptions, state: State, result: GateResult) -> None:
    """An article's template and catalogs, remembered as one result. Each file is read
    once: the bytes a result is remembered under are the bytes it was computed from, even
    when someone saves meanwhile."""
    name = project.name_of(article)
    source = read_bytes(project.root / article, what="article", shown=article)
    expected = _Expected(project, article, name, source)
    pot_path = project.shown(project.template_path(name))
    pot = read_bytes(project.root / pot_path, what="template", shown=pot_path)
    catalogs: dict[str, tuple[Path, bytes | None]] = {}
    for lang in project.target_langs:
        path = project.shown(project.catalog_path(lang, name))
        catalogs[lang] = path, read_bytes(project.root / path, what="catalog", shown=path)

    def compute(part: GateResult) -> None:
        from l10n.checks import CheckContext

        _check_template(project, name, pot, expected(), part)
        for lang, (_, raw) in catalogs.items():
            context = CheckContext(source_lang=project.source_lang, target_lang=lang,
                                   glossary=glossary)
            _check_catalog(project, name, lang, raw, expected(), context, options, part)

    key = digest(settings, source, pot_path.as_posix(), pot,
                 *(part for lang, (path, raw) in catalogs.items()
                   for part in (lang, path.as_posix(), raw)))
    _remembered(state, article.as_posix(), key, compute, result)


class _Expected:
    """An article's template, made only when a result has to be computed."""

    def __init__(self, project: Project, article: Path, name: str, data: bytes | None) -> None:
        self.project, self.article, self.name, self.data = project, article, name, data
        self.pot: polib.POFile | None = None

    def __call__(self) -> polib.POFile:
        if self.pot is None:
            from l10n.catalog.template import template
            from l10n.readers import read_document

            doc = read_document(self.project.root / self.article, shown_as=self.article,
                                data=self.data)
            self.pot = template(doc, project=self.name)
        return self.pot


def _options_key(options: GateOptions) -> str:
    return json.dumps([options.min_reviewed, options.allow_drafts, options.qa,
                       sorted(options.disabled), sorted(options.severities.items()),
                       options.strict])


def _remembered(state: State, what: str, key: str, compute: Callable[[GateResult], None],
                result: GateResult) -> None:
    """Add `compute`'s issues and counts to `result`, from the state when `key` matches."""
    memo = state.get("check", what)
    if memo is not None and memo["key"] == key:
        result.issues.extend(_issue_from(item) for item in memo["issues"])
        result.catalogs.extend((n, lang, Path(path), Counts(entries, words))
                               for n, lang, path, entries, words in memo["catalogs"])
        return
    part = GateResult()
    compute(part)
    result.issues.extend(part.issues)
    result.catalogs.extend(part.catalogs)
    result.bad_input.extend(part.bad_input)
    if not part.bad_input:
        state.put("check", what, {
            "key": key, "issues": [_issue_to(issue) for issue in part.issues],
            "catalogs": [(n, lang, path.as_posix(), c.entries, c.words)
                         for n, lang, path, c in part.catalogs]})


def _issue_to(issue: Issue) -> dict[str, Any]:
    fields = dataclasses.asdict(issue)
    fields["path"] = issue.path.as_posix() if issue.path is not None else None
    return fields


def _issue_from(fields: dict[str, Any]) -> Issue:
    path = fields.get("path")
    return Issue(**{**fields, "path": Path(path) if path is not None else None})


def _check_orphans(project: Project, names: set[str], result: GateResult) -> None:
    """Catalogs left behind by a renamed or deleted article: still counted by stats and
    used as translation memory, so say so rather than let them linger unseen."""
    for name, _lang, path in catalogs(project):
        if name not in names:
            result.issues.append(Issue(
                "warning", "orphan-catalog",
                f"no article '{name}' in {project.corpus}/; its translations still feed "
                "translation memory. Delete the catalog once they are no longer needed",
                project.shown(path)))


def _check_template(project: Project, name: str, raw: bytes | None, expected: polib.POFile,
                    result: GateResult) -> None:
    path = project.template_path(name)
    shown = project.shown(path)
    if raw is None:
        result.issues.append(Issue("error", "missing-template",
                                   "template missing; run `l10n extract` (with --force "
                                   "if it skips the article as not in the source language)",
                                   shown))
        return
    try:
        pot = loadb(raw, path=shown)
    except L10nError as exc:
        result.bad_input.append(exc)
        return
    if _shape(pot) != _shape(expected):
        result.issues.append(Issue("error", "out-of-date",
                                   "template is out of date with its article; run "
                                   "`l10n extract`", shown))


def _shape(po: polib.POFile) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(e.msgid, list(e.occurrences)) for e in po if not e.obsolete]


def _check_catalog(project: Project, name: str, lang: str, raw: bytes | None,
                   expected: polib.POFile, context: CheckContext, options: GateOptions,
                   result: GateResult) -> None:
    path = project.catalog_path(lang, name)
    shown = project.shown(path)
    if raw is None:
        result.issues.append(Issue("error", "missing-catalog",
                                   f"no '{lang}' catalog; run `l10n extract`", shown))
        return
    try:
        po = loadb(raw, path=shown)
    except L10nError as exc:
        result.bad_input.append(exc)
        return
    owner = project.owner(name)
    counts = count(po, owner)
    result.catalogs.append((name, lang, shown, counts))
    if [e.msgid for e in article_entries(po, owner)] != [e.msgid for e in expected]:
        result.issues.append(Issue("error", "out-of-date",
                                   "catalog is out of date with its article; run "
                                   "`l10n extract`", shown))
    done = ("reviewed", "draft") if options.allow_drafts else ("reviewed",)
    percent = counts.percent(*done)
    if percent < options.min_reviewed:
        parts = [f"{counts.entries[s]} {s}" for s in ("draft", "fuzzy", "untranslated")
                 if counts.entries[s]]
        what = "reviewed or drafted" if options.allow_drafts else "reviewed"
        result.issues.append(Issue(
            "error", "threshold",
            f"{percent:.1f}% {what}, below the required {options.min_reviewed:g}% "
            f"({', '.join(parts)}); translate and review them in a PO editor, or relax "
            "the gate with --allow-drafts / --min-reviewed", shown))
    if options.qa:
        result.issues.extend(_qa(po, owner, shown, context, options))


def _qa(po: polib.POFile, owner: str, shown: Path, context: CheckContext,
        options: GateOptions) -> list[Issue]:
    issues = []
    for entry in article_entries(po, owner):
        for problem in qa_problems(entry, context, options):
            issues.append(Issue(problem.severity, f"qa/{problem.check}", problem.message,
                                shown, entry.linenum, entry.msgid))
    return issues


def qa_problems(entry: polib.POEntry, context: CheckContext,
                options: GateOptions) -> list[Problem]:
    """The QA findings the gate reports for one entry (the review sheet shows the same)."""
    state = status(entry)
    if state not in ("reviewed", "draft"):
        return []
    prov = provenance(entry) if state == "draft" else None
    if prov and prov.pseudo:
        return []  # pseudo text is meant to break numbers, quotes and brackets
    from l10n.checks import disabled_by_comment, run_checks

    disabled = options.disabled | disabled_by_comment(entry.tcomment or "")
    return run_checks(entry.msgid, entry.msgstr, context=context,
                      disabled=disabled, severities=options.severities)
