"""`l10n translate`: fill empty catalog entries from translation memory, then an engine.

Work is done in groups of catalogs: each group's sentences go to the engine in one batch
(deduplicated, across articles), the raw outputs are committed to the cache, then the
group's catalogs are updated on disk (`catalog.store.update`). A killed run therefore
leaves every file valid, and a re-run finds its work in the files or the cache. A
translator's save at any moment is kept: the drafts are applied to the file as it is on
disk when it is written, and an entry someone changed since planning is theirs.

Memory is flat in the corpus size: the plan (every entry to fill, the translation memory)
is rows in a temporary SQLite database, read back one group at a time (`Plan`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from l10n.catalog import store
from l10n.catalog.model import Provenance, article_entries, fill, settle, status, translation
from l10n.commands import Progress, no_progress
from l10n.engines import ENGINES, Engine
from l10n.errors import ConfigError, L10nError, from_os_error
from l10n.project import Project
from l10n.report import Report as BaseReport

if TYPE_CHECKING:
    from l10n.engines.cache import MTCache


EngineFactory = Callable[[str, str], Engine]  # (source_lang, target_lang) -> engine


@dataclass
class Job:
    """One catalog and the entries it needs filled: msgid → msgstr seen when planning."""

    lang: str
    path: Path
    shown: Path
    owner: str
    needs: dict[str, str]
    replaceable: tuple[str, ...]  # the statuses an entry may have to be filled


class Plan:
    """What a run has to do, kept in a private temporary SQLite database, not in memory.

    An archive of 20,000 catalogs has some 280,000 entries to fill and, once reviewed, as
    many in translation memory: held as Python objects they made translate's memory grow
    with the corpus. Here they are rows on disk (SQLite's own page cache is bounded), and
    a run reads back one group of catalogs at a time (`jobs`) and asks the translation
    memory only for the texts that group needs (`memory`). The database is deleted when
    the plan is closed or collected."""

    def __init__(self, replaceable: tuple[str, ...]) -> None:
        self.replaceable = replaceable
        self.errors: list[L10nError] = []
        # "": a private database in a temporary file that SQLite deletes on close.
        self._db = sqlite3.connect("")
        self._db.executescript(_PLAN_SCHEMA)

    def close(self) -> None:
        if getattr(self, "_db", None) is not None:
            self._db.close()

    def __del__(self) -> None:
        self.close()

    def _add(self, lang: str, path: Path, shown: Path, owner: str, needs: dict[str, str],
             memory: list[tuple[str, str]]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO memory VALUES (?, ?, ?, ?)",
                             [(lang, msgid, msgstr, str(shown)) for msgid, msgstr in memory])
        if needs:
            job = self._db.execute(
                "INSERT INTO jobs (lang, path, shown, owner) VALUES (?, ?, ?, ?)",
                (lang, str(path), str(shown), owner)).lastrowid
            self._db.executemany("INSERT INTO needs VALUES (?, ?, ?)",
                                 [(job, msgid, seen) for msgid, seen in needs.items()])

    def pending(self) -> int:
        """Entries to fill, catalog by catalog."""
        return int(self._db.execute("SELECT COUNT(*) FROM needs").fetchone()[0])

    def catalogs(self) -> int:
        """Catalogs with entries to fill."""
        return int(self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0])

    def unique(self) -> int:
        """Entries to fill counted once per language and source text: the progress total."""
        return int(self._db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT jobs.lang, needs.msgid FROM needs "
            "JOIN jobs ON jobs.id = needs.job)").fetchone()[0])

    def jobs(self) -> Iterator[Job]:
        """The catalogs to fill, in order, each read back when it is reached."""
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT id, lang, path, shown, owner FROM jobs WHERE id > ? ORDER BY id "
                "LIMIT 64", (last,)).fetchall()
            if not rows:
                return
            for last, lang, path, shown, owner in rows:
                needs = dict(self._db.execute(
                    "SELECT msgid, seen FROM needs WHERE job = ? ORDER BY rowid", (last,)))
                yield Job(lang=lang, path=Path(path), shown=Path(shown), owner=owner,
                          needs=needs, replaceable=self.replaceable)

    def memory(self, lang: str, msgids: Sequence[str]) -> dict[str, tuple[str, Path]]:
        """Reviewed translations of `msgids` (text, the catalog it is from), where known."""
        found: dict[str, tuple[str, Path]] = {}
        for i in range(0, len(msgids), 500):  # stay under SQLite's variable limit
            chunk = msgids[i:i + 500]
            rows = self._db.execute(
                "SELECT msgid, msgstr, shown FROM memory WHERE lang = ? AND msgid IN "
                f"({','.join('?' * len(chunk))})", [lang, *chunk])
            found.update({msgid: (msgstr, Path(shown)) for msgid, msgstr, shown in rows})
        return found


_PLAN_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE jobs (id INTEGER PRIMARY KEY, lang TEXT, path TEXT, shown TEXT, owner TEXT);
CREATE TABLE needs (job INTEGER, msgid TEXT, seen TEXT);
CREATE INDEX needs_by_job ON needs (job);
CREATE TABLE memory (lang TEXT, msgid TEXT, msgstr TEXT, shown TEXT,
                     PRIMARY KEY (lang, msgid)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Options:
    engine: str = "argos"  # "argos" (an installed package) or "pseudo" (no model)
    langs: tuple[str, ...] | None = None  # target languages to fill; None: all of them
    retranslate_fuzzy: bool = False  # also replace drafts and fuzzy entries
    cache: bool = True  # read and write the machine-translation cache

    def check(self, project: Project) -> None:
        """ConfigError for an unknown engine or a language the project does not target."""
        if self.engine not in ENGINES:
            raise ConfigError(f"unknown engine {self.engine!r}",
                              hint=f"use one of: {', '.join(ENGINES)}")
        unknown = [code for code in self.langs or () if code not in project.target_langs]
        if unknown:
            raise ConfigError(
                f"{', '.join(unknown)} is not a target language of this project",
                hint=f"targets: {', '.join(project.target_langs)}; add languages to "
                "target-langs in [tool.l10n] and run `l10n extract`")


@dataclass
class Report(BaseReport):
    from_memory: int = 0
    from_cache: int = 0
    from_model: int = 0
    model_calls: int = 0
    entries_filled: int = 0
    files_written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[L10nError] = field(default_factory=list)  # e.g. the cache was unusable

    def as_json(self) -> dict[str, Any]:
        return {"entries_filled": self.entries_filled, "from_memory": self.from_memory,
                "from_cache": self.from_cache, "from_model": self.from_model,
                "model_calls": self.model_calls, "seconds": round(self.seconds, 3),
                "files_written": [p.as_posix() for p in self.files_written]}


def plan(project: Project, options: Options = Options()) -> Plan:
    """Read every catalog once (the lean scan, one file at a time) into a `Plan`."""
    options.check(project)
    replaceable = (("untranslated", "draft", "fuzzy") if options.retranslate_fuzzy
                   else ("untranslated",))
    result = Plan(replaceable)
    for lang in options.langs or project.target_langs:
        for path in project.catalogs(lang):
            shown = project.shown(path)
            owner = project.owner(project.name_of_catalog(lang, path))
            try:
                entries = store.live_entries(path, owner, shown=shown)
            except L10nError as exc:
                result.errors.append(exc)
                continue
            needs: dict[str, str] = {}
            memory: list[tuple[str, str]] = []
            for entry in entries or ():
                state = status(entry)
                if state == "reviewed":
                    memory.append((entry.msgid, entry.msgstr))
                elif state in replaceable:
                    needs[entry.msgid] = translation(entry)
            result._add(lang, path, shown, owner, needs, memory)
    result._db.commit()
    return result


def run(project: Project, options: Options, *, work: Plan | None = None,
        progress: Progress = no_progress) -> Report:
    """Fill what `work` (default: a new plan) found to fill, with the engine and cache of
    `options`; a cache that cannot be used is a warning, not an error: it only saves work.
    Progress counts each source text once per language."""
    from functools import partial

    from l10n.engines import load_engine

    work = work if work is not None else plan(project, options)
    cache, warnings = _cache(options)
    with progress("translate", work.unique()) as tick:
        report = apply(project, work, partial(load_engine, options.engine), cache=cache,
                       on_progress=lambda n: tick(step=n))
    report.errors[:0] = work.errors
    report.warnings += warnings
    if cache is not None and cache.problem is not None:
        report.warnings.append(cache.problem)
    return report


def _cache(options: Options) -> tuple[MTCache | None, list[L10nError]]:
    if not options.cache:
        return None, []
    from l10n.engines.cache import MTCache

    try:
        return MTCache(), []
    except L10nError as exc:
        exc.message += "; translating without it"
        return None, [exc]


def apply(project: Project, work: Plan, engine_for: EngineFactory, *,
          cache: MTCache | None = None, group_size: int = 2048,
          on_progress: Callable[[int], None] | None = None) -> Report:
    """Carry out a plan with engines from `engine_for`; `cache` None means no caching.

    `group_size` sentences go to the engine at once: 2,048 is ~2 s of work on this
    machine's fixture model, big enough for full batches across articles (512 left the run
    at 1.24× raw CTranslate2, 2,048 at 1.17×) and small enough that a killed run loses
    little. With an engine that computes outside the interpreter (`native`, as
    CTranslate2), a group's catalogs are written by a writer thread while the engine
    translates the next group."""
    report = Report()
    started = time.perf_counter()
    engines: dict[str, Engine] = {}
    group: list[Job] = []
    size = 0
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="l10n-catalog-writer")
    writes: list[Future[None]] = []
    try:
        jobs = work.jobs()
        job = next(jobs, None)
        while job is not None:
            group.append(job)
            size += len(job.needs)
            following = next(jobs, None)
            if following is None or following.lang != job.lang or size >= group_size:
                drafts = _drafts(project, work, group, engine_for, engines, cache, report,
                                 on_progress)
                if getattr(engines.get(job.lang), "native", False):
                    writes.append(writer.submit(_apply_all, group, drafts, report))
                    _reap(writes)
                else:  # an engine in Python holds the interpreter: overlapping only costs
                    _apply_all(group, drafts, report)
                group, size = [], 0
            job = following
        for done in writes:
            done.result()
    except BaseException:
        # Ctrl-C or an engine failure: the group being written (one at most waits) is
        # finished, so no finished draft is thrown away; the rest is left for a re-run.
        writer.shutdown(wait=True)
        raise
    writer.shutdown(wait=True)
    report.seconds = time.perf_counter() - started
    return report


def _reap(writes: list[Future[None]]) -> None:
    """Raise a writer's unexpected error now, and keep at most one group waiting, so that
    finished drafts never pile up in memory."""
    while len(writes) > 1 or (writes and writes[0].done()):
        writes.pop(0).result()


def _apply_all(group: list[Job], drafts: dict[str, tuple[str, Provenance]],
               report: Report) -> None:
    for job in group:
        _apply(job, drafts, report)


def _drafts(project: Project, work: Plan, group: list[Job], engine_for: EngineFactory,
            engines: dict[str, Engine], cache: MTCache | None, report: Report,
            on_progress: Callable[[int], None] | None) -> dict[str, tuple[str, Provenance]]:
    """The group's drafts by msgid: from memory, the cache, then the engine."""
    lang = group[0].lang
    drafts: dict[str, tuple[str, Provenance]] = {}
    wanted = list(dict.fromkeys(msgid for job in group for msgid in job.needs))
    memory = work.memory(lang, wanted)
    for msgid in wanted:
        if msgid in memory:
            text, source = memory[msgid]
            drafts[msgid] = (text, Provenance(f"translation memory {source.as_posix()}"))
    report.from_memory += len(drafts)
    if on_progress and drafts:
        on_progress(len(drafts))
    missing = [m for m in wanted if m not in drafts]
    if missing:
        if lang not in engines:
            engines[lang] = engine_for(project.source_lang, lang)
        engine = engines[lang]
        origin = engine.label
        masked = {m: mask_targets(m) for m in missing}
        cached = cache.get_many(engine.cache_key, [masked[m][0] for m in missing]) \
            if cache is not None else {}
        to_model = [m for m in missing if masked[m][0] not in cached]
        report.from_cache += len(missing) - len(to_model)
        if on_progress and len(missing) > len(to_model):
            on_progress(len(missing) - len(to_model))
        if to_model:
            results = engine.translate_batch([masked[m][0] for m in to_model],
                                             on_progress=_increments(on_progress))
            report.model_calls += 1
            report.from_model += len(to_model)
            fresh = [(masked[m][0], r.text, r.score) for m, r in zip(to_model, results,
                                                                     strict=True)]
            if cache is not None:
                cache.put_many(engine.cache_key, fresh)
            cached.update({src: (text, score) for src, text, score in fresh})
        for m in missing:
            text, score = cached[masked[m][0]]
            drafts[m] = (unmask_targets(text, masked[m][1]), Provenance(origin, score))
    return drafts


def _increments(on_progress: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """Engines report how many texts are done so far; our callers count increments."""
    if on_progress is None:
        return None
    done = 0

    def report(total: int) -> None:
        nonlocal done
        if total > done:
            on_progress(total - done)
            done = total

    return report


def _apply(job: Job, drafts: dict[str, tuple[str, Provenance]], report: Report) -> None:
    filled = 0

    def with_drafts(po: polib.POFile | None) -> polib.POFile | None:
        nonlocal filled
        filled = 0
        if po is None:
            return None  # deleted meanwhile: nothing of ours to put back
        for entry in article_entries(po, job.owner):
            wanted = job.needs.get(entry.msgid)
            if wanted is None or entry.msgid not in drafts:
                continue
            if translation(entry) != wanted or status(entry) not in job.replaceable:
                continue  # changed or approved since we planned: theirs wins
            fill(entry, *drafts[entry.msgid])
            filled += 1
        if not filled:
            return None
        settle(po)
        return po

    try:
        written = store.update(job.path, with_drafts, shown=job.shown).written
    except L10nError as exc:  # broken meanwhile: do the other files
        report.errors.append(exc)
        return
    except OSError as exc:
        error = from_os_error(exc)
        error.path = job.shown  # the catalog, as the user knows it, not a temporary file
        report.errors.append(error)
        return
    if written:  # a re-translation giving the same text fills nothing
        report.files_written.append(job.shown)
        report.entries_filled += filled


# Link targets are not prose: the engine sees a short stand-in and they are put back after.
_LINK_TARGET = re.compile(r"(?<=\]\()[^)\s]+(?=(?:\s+\"[^\"]*\")?\))|(?<=<)[a-z]+:[^>\s]+(?=>)")


def mask_targets(text: str) -> tuple[str, tuple[str, ...]]:
    targets: list[str] = []

    def stand_in(match: re.Match[str]) -> str:
        targets.append(match.group())
        return f"{len(targets)}"

    return _LINK_TARGET.sub(stand_in, text), tuple(targets)


def unmask_targets(text: str, targets: tuple[str, ...]) -> str:
    for number, target in enumerate(targets, start=1):
        stand_in = re.compile(rf"(?<=\]\(){number}(?=[)\s])|(?<=<){number}(?=>)")
        text = stand_in.sub(target.replace("\\", "\\\\"), text, count=1)
    return text
