"""`l10n check`: the CI gate. Collects every problem, then decides once.

A problem of severity "error" fails the gate (exit 1); unreadable input is exit 2. Problems
come from three places: catalogs missing or out of date with the corpus, thresholds not
met, and QA checks on translated and draft entries.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from l10n.catalog.counts import Counts, tally
from l10n.catalog.model import EntryLike, provenance, status
from l10n.catalog.store import entries_of
from l10n.errors import ConfigError, L10nError
from l10n.fsutil import read_bytes
from l10n.options import FLAG, LIST_OF_TEXT, NUMBER, TABLE_OF_TEXT, resolve, setting
from l10n.project import Project
from l10n.report import Report as BaseReport
from l10n.state import State, digest, file_digest

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


def _disabled(names: list[str] | frozenset[str]) -> frozenset[str]:
    from l10n.checks import validate_selection

    validate_selection(names)
    return frozenset(names)


def _severities(table: dict[str, str]) -> dict[str, str]:
    from l10n.checks import validate_selection

    validate_selection((), table)
    return dict(table)


@dataclass(frozen=True)
class Options:
    """`l10n check`'s options, read from `[tool.l10n.check]`."""
    # Percent of entries reviewed by a human.
    min_reviewed: float = setting("min-reviewed", NUMBER, 100.0, percent=True, convert=float)
    allow_drafts: bool = setting("allow-drafts", FLAG, False)  # machine drafts count as done
    qa: bool = setting("qa", FLAG, True)
    disabled: frozenset[str] = setting("disable", LIST_OF_TEXT, frozenset(), convert=_disabled)
    severities: dict[str, str] = setting("severity", TABLE_OF_TEXT, factory=dict,
                                         convert=_severities)
    strict: bool = setting("strict", FLAG, False)  # warnings fail the gate too


@dataclass
class Report(BaseReport):
    """The gate's findings; `errors` are files that could not be read (exit 2)."""
    issues: list[Issue] = field(default_factory=list)
    catalogs: list[tuple[str, str, Path, Counts]] = field(default_factory=list)
    strict: bool = False  # warnings fail the gate too

    @property
    def failed(self) -> bool:
        return any(i.severity == "error" or self.strict for i in self.issues)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.failed else 0

    def counts_per_check(self) -> dict[str, dict[str, int]]:
        """code → {"error": n, "warning": m}, in order of first appearance."""
        counts: dict[str, dict[str, int]] = {}
        for issue in self.issues:
            counts.setdefault(issue.code, {"error": 0, "warning": 0})[issue.severity] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "exit_code": self.exit_code, "passed": self.exit_code == 0,
            "issues": [i.as_json() for i in self.issues],
            "bad_input": [{"path": str(e.path) if e.path else None, "line": e.line,
                           "message": e.message} for e in self.errors],
            "catalogs": [{"name": n, "lang": lang, "path": p.as_posix(), "total": c.total,
                          "entries": c.entries} for n, lang, p, c in self.catalogs],
            "counts": self.counts_per_check(),
        }


# Version of the `--format json` report: 2 added schema_version, the msgid of QA issues
# and the counts per check.
JSON_SCHEMA_VERSION = 2


def options_from(project: Project, **given: Any) -> Options:
    """Gate options: a given argument wins over `[tool.l10n.check]`, then the defaults."""
    return resolve(Options, project.check, **given)


def _glossary_path(project: Project) -> Path:
    return project.root / (project.glossary or f"{project.locales}/glossary.csv")


def glossary_of(project: Project) -> Glossary | None:
    path = _glossary_path(project)
    if not path.is_file():
        if project.glossary:
            raise ConfigError(f"glossary file {path} does not exist",
                              hint="fix `glossary` in [tool.l10n] or create the file")
        return None
    from l10n.glossary import load_glossary

    return load_glossary(path)


def run(project: Project, options: Options, *, remember: bool = True,
        jobs: int | None = None) -> Report:
    """The gate over the whole project. Results for an article whose article, template and
    catalog bytes, settings and glossary are exactly as at an earlier run are taken from
    `l10n.state` instead of being recomputed; `remember=False` recomputes everything.
    What has to be computed is spread over `jobs` processes (default: one per CPU core)."""
    result = Report(strict=options.strict)
    try:
        glossary = glossary_of(project) if options.qa else None
    except L10nError as exc:
        result.errors.append(exc)
        glossary = None
    settings = digest(_options_key(options), project.source_lang, repr(project.reading),
                      file_digest(_glossary_path(project)) if glossary is not None else None)
    gate = _Gate(project, settings, glossary, options)
    articles = project.articles()
    parts: list[Report] = []
    with State(project.root, enabled=remember) as state:
        pending: dict[int, Path] = {}
        for article in articles:
            parts.append(Report())
            memo = state.get("check", article.as_posix())
            if memo is None:  # to compute: the worker reads the files
                pending[len(parts) - 1] = article
                continue
            try:
                files = gate.files(article)
            except L10nError as exc:  # the article itself cannot be read
                parts[-1].errors.append(exc)
                continue
            if memo["key"] == gate.key(files):
                _recall(memo, parts[-1])
            else:
                pending[len(parts) - 1] = article
        for index, (key, part) in zip(pending, _computed(gate, list(pending.values()), jobs),
                                      strict=True):
            parts[index] = part
            if not part.errors:
                state.put("check", articles[index].as_posix(), _memo(key, part))
    for part in parts:
        result.issues.extend(part.issues)
        result.catalogs.extend(part.catalogs)
        result.errors.extend(part.errors)
    _check_orphans(project, {project.name_of(a) for a in articles}, result)
    return result


@dataclass(frozen=True)
class _Files:
    """An article's bytes and those of its template and catalogs (None: missing), read once:
    a result is remembered under the bytes it was computed from, even when someone saves
    meanwhile."""
    article: Path
    name: str
    source: bytes | None
    pot_path: Path
    pot: bytes | None
    catalogs: dict[str, tuple[Path, bytes | None]]


@dataclass(frozen=True)
class _Gate:
    """Everything an article's result depends on besides its files; sent to the worker
    processes once."""
    project: Project
    settings: str
    glossary: Glossary | None
    options: Options

    @cached_property
    def _folders(self) -> dict[str | None, str]:
        """Where templates (None) and each language's catalogs are, as shown: an article's
        paths are made from them, as path arithmetic was most of a gate that answers from
        `l10n.state`."""
        project = self.project
        folders: dict[str | None, str] = {
            None: project.shown(project.template_path("_").parent).as_posix()}
        for lang in project.target_langs:
            folders[lang] = project.shown(project.catalog_path(lang, "_").parent).as_posix()
        return folders

    def files(self, article: Path) -> _Files:
        project, folders = self.project, self._folders
        name = project.name_of(article)
        source = read_bytes(project.root / article, what="article", shown=article)
        pot_path = Path(f"{folders[None]}/{name}.pot")
        pot = read_bytes(project.root / pot_path, what="template", shown=pot_path)
        catalogs: dict[str, tuple[Path, bytes | None]] = {}
        for lang in project.target_langs:
            path = Path(f"{folders[lang]}/{name}.po")
            catalogs[lang] = path, read_bytes(project.root / path, what="catalog", shown=path)
        return _Files(article, name, source, pot_path, pot, catalogs)

    def key(self, files: _Files) -> str:
        return digest(self.settings, files.source, files.pot_path.as_posix(), files.pot,
                      *(part for lang, (path, raw) in files.catalogs.items()
                        for part in (lang, path.as_posix(), raw)))

    def compute(self, files: _Files) -> Report:
        from l10n.checks import CheckContext
        from l10n.readers import markup_of

        part = Report()
        expected = _Expected(self.project, files)
        _check_template(self.project, files, expected, part)
        if expected.trusted is None:
            # Read now: an article that cannot be read is the one finding (exit 2), as
            # `extract` would stop at it too, whatever its template and catalogs say.
            expected.made()
        for lang, (shown, raw) in files.catalogs.items():
            context = CheckContext(source_lang=self.project.source_lang, target_lang=lang,
                                   glossary=self.glossary,
                                   markup=markup_of(files.article.as_posix()))
            _check_catalog(self.project, files.name, lang, shown, raw, expected, context,
                           self.options, part)
        return part

    def fresh(self, article: Path) -> tuple[str, Report]:
        """The key and result of an article, from its files as they are now."""
        try:
            files = self.files(article)
            return self.key(files), self.compute(files)
        except L10nError as exc:  # e.g. an article that is not valid UTF-8
            return "", Report(errors=[exc])


# Below this many articles to compute, starting worker processes costs more than it saves.
_PARALLEL_FROM = 40
_worker_gate: _Gate | None = None


def _start_worker(gate: _Gate) -> None:
    global _worker_gate
    _worker_gate = gate
    # Ctrl-C is the parent's to handle: it stops the pool, and a worker has nothing to say.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(article: Path) -> tuple[str, Report]:
    assert _worker_gate is not None
    return _worker_gate.fresh(article)


def _computed(gate: _Gate, articles: list[Path], jobs: int | None
              ) -> Iterator[tuple[str, Report]]:
    """(key, result) of each article, in order; segmenting and QA are CPU-bound pure Python,
    so a cold gate over an archive runs them in one process per core."""
    workers = min(jobs or _cpu_count(), len(articles) // (_PARALLEL_FROM // 2) or 1)
    if workers < 2 or len(articles) < _PARALLEL_FROM:
        yield from map(gate.fresh, articles)
        return
    import multiprocessing

    # fork starts a worker in milliseconds with everything imported; spawn (macOS, Windows)
    # imports l10n again in each. The first article is computed here, before the fork:
    # the checks' imports, compiled patterns and language profiles (a tenth of a second)
    # are then made once, not once per worker.
    yield gate.fresh(articles[0])
    rest = articles[1:]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if sys.platform == "linux"
                                          and "fork" in methods else None)
    with context.Pool(workers, initializer=_start_worker, initargs=(gate,)) as pool:
        yield from pool.imap(_work, rest, chunksize=max(1, len(rest) // (workers * 16)))


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Expected:
    """What `extract` makes of an article now: read from its template where the template's
    stamp proves it holds exactly that (`catalog.template.stamped`), else made by reading
    the article again, only when asked."""

    def __init__(self, project: Project, files: _Files) -> None:
        self.project, self.files = project, files
        self.trusted: list[str] | None = None  # the msgids of a template whose stamp holds
        self.pot: polib.POFile | None = None

    def made(self) -> polib.POFile:
        if self.pot is None:
            from l10n.catalog.template import template
            from l10n.readers import read_document

            files = self.files
            doc = read_document(self.project.root / files.article, shown_as=files.article,
                                data=files.source, settings=self.project.reading)
            self.pot = template(doc, project=files.name)
        return self.pot

    def msgids(self) -> list[str]:
        if self.trusted is not None:
            return self.trusted
        return [e.msgid for e in self.made()]


def _options_key(options: Options) -> str:
    return json.dumps([options.min_reviewed, options.allow_drafts, options.qa,
                       sorted(options.disabled), sorted(options.severities.items()),
                       options.strict])


def _recall(memo: dict[str, Any], result: Report) -> None:
    result.issues.extend(_issue_from(item) for item in memo["issues"])
    result.catalogs.extend((n, lang, _path(path), Counts(entries, words))
                           for n, lang, path, entries, words in memo["catalogs"])


# A catalog's findings name its path again and again: one Path each.
_path = lru_cache(maxsize=4096)(Path)


def _memo(key: str, part: Report) -> dict[str, Any]:
    return {"key": key, "issues": [_issue_to(issue) for issue in part.issues],
            "catalogs": [(n, lang, path.as_posix(), c.entries, c.words)
                         for n, lang, path, c in part.catalogs]}


def _issue_to(issue: Issue) -> dict[str, Any]:
    fields = dataclasses.asdict(issue)
    fields["path"] = issue.path.as_posix() if issue.path is not None else None
    return fields


def _issue_from(fields: dict[str, Any]) -> Issue:
    path = fields.get("path")
    return Issue(**{**fields, "path": _path(path) if path is not None else None})


def _check_orphans(project: Project, names: set[str], result: Report) -> None:
    """Catalogs left behind by a renamed or deleted article: still counted by stats and
    used as translation memory, so say so rather than let them linger unseen."""
    for name, _lang, path in project.catalog_files():
        if name not in names:
            result.issues.append(Issue(
                "warning", "orphan-catalog",
                f"no article '{name}' in {project.corpus}/; its translations still feed "
                "translation memory. Delete the catalog once they are no longer needed",
                project.shown(path)))


def _check_template(project: Project, files: _Files, expected: _Expected,
                    result: Report) -> None:
    shown = files.pot_path
    if files.pot is None:
        result.issues.append(Issue("error", "missing-template",
                                   "template missing; run `l10n extract` (with --force "
                                   "if it skips the article as not in the source language)",
                                   shown))
        return
    from l10n.catalog.template import stamped

    try:
        header, entries = entries_of(files.pot, None, shown=shown)
    except L10nError as exc:
        result.errors.append(exc)
        return
    live = [e for e in entries if not e.obsolete]
    if stamped(header, files.article.as_posix(), files.source, project.reading, live):
        expected.trusted = [e.msgid for e in live]
    elif _shape(live) != _shape(expected.made()):
        result.issues.append(Issue("error", "out-of-date",
                                   "template is out of date with its article; run "
                                   "`l10n extract`", shown))


def _shape(entries: Iterable[EntryLike]) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the gate compares of live template entries."""
    return [(e.msgid, list(e.occurrences)) for e in entries]


def _check_catalog(project: Project, name: str, lang: str, shown: Path, raw: bytes | None,
                   expected: _Expected, context: CheckContext, options: Options,
                   result: Report) -> None:
    if raw is None:
        result.issues.append(Issue("error", "missing-catalog",
                                   f"no '{lang}' catalog; run `l10n extract`", shown))
        return
    owner = project.owner(name)
    try:
        _, entries = entries_of(raw, owner, shown=shown)
    except L10nError as exc:
        result.errors.append(exc)
        return
    counts = tally(entries)
    result.catalogs.append((name, lang, shown, counts))
    live = [e for e in entries if not e.obsolete]
    if [e.msgid for e in live] != expected.msgids():
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
        result.issues.extend(_qa(live, shown, context, options))


def _qa(entries: Iterable[EntryLike], shown: Path, context: CheckContext,
        options: Options) -> list[Issue]:
    issues = []
    for entry in entries:
        for problem in qa_problems(entry, context, options):
            issues.append(Issue(problem.severity, f"qa/{problem.check}", problem.message,
                                shown, entry.linenum, entry.msgid))
    return issues


def qa_problems(entry: EntryLike, context: CheckContext,
                options: Options) -> list[Problem]:
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
