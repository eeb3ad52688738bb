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

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from l10n.catalog import store
from l10n.catalog.model import Provenance, article_entries, fill, settle, status, translation
from l10n.commands import Progress, no_progress
from l10n.engines import ENGINES, Engine, Translation
from l10n.errors import ConfigError, L10nError, from_os_error
from l10n.markup import Marked, Syntax, parse, restore
from l10n.options import NUMBER, TEXT, resolve, setting
from l10n.project import Project
from l10n.readers import markup_of
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
    syntax: Syntax | None = None  # the markup of the article's msgids


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
             memory: list[tuple[str, str]], syntax: Syntax | None = None) -> None:
        self._db.executemany("INSERT OR IGNORE INTO memory VALUES (?, ?, ?, ?)",
                             [(lang, msgid, msgstr, str(shown)) for msgid, msgstr in memory])
        if needs:
            job = self._db.execute(
                "INSERT INTO jobs (lang, path, shown, owner, syntax) VALUES (?, ?, ?, ?, ?)",
                (lang, str(path), str(shown), owner, syntax)).lastrowid
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
                "SELECT id, lang, path, shown, owner, syntax FROM jobs WHERE id > ? "
                "ORDER BY id LIMIT 64", (last,)).fetchall()
            if not rows:
                return
            for last, lang, path, shown, owner, syntax in rows:
                needs = dict(self._db.execute(
                    "SELECT msgid, seen FROM needs WHERE job = ? ORDER BY rowid", (last,)))
                yield Job(lang=lang, path=Path(path), shown=Path(shown), owner=owner,
                          needs=needs, replaceable=self.replaceable, syntax=syntax)

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
CREATE TABLE jobs (id INTEGER PRIMARY KEY, lang TEXT, path TEXT, shown TEXT, owner TEXT,
                   syntax TEXT);
CREATE TABLE needs (job INTEGER, msgid TEXT, seen TEXT);
CREATE INDEX needs_by_job ON needs (job);
CREATE TABLE memory (lang TEXT, msgid TEXT, msgstr TEXT, shown TEXT,
                     PRIMARY KEY (lang, msgid)) WITHOUT ROWID;
"""


EXECUTORS = ("local", "ray")  # where the engine's batches are translated


def _executor(name: str) -> str:
    if name not in EXECUTORS:
        raise ConfigError(f"unknown executor {name!r}", hint=f"use one of: {', '.join(EXECUTORS)}")
    return name


def _workers(count: int | float) -> int:
    if count != int(count) or count < 1:
        raise ConfigError(f"ray-workers must be a whole number ≥ 1, not {count!r}")
    return int(count)


def _device(name: str) -> str:
    from l10n.engines import DEVICES

    if name not in DEVICES:
        raise ConfigError(f"unknown device {name!r}", hint=f"use one of: {', '.join(DEVICES)}")
    return name


def _address(address: str) -> str | None:
    return address.strip() or None  # "": start a local Ray instance


@dataclass(frozen=True)
class Options:
    engine: str = "argos"  # "argos" (an installed package) or "pseudo" (no model)
    langs: tuple[str, ...] | None = None  # target languages to fill; None: all of them
    retranslate_fuzzy: bool = False  # also replace drafts and fuzzy entries
    cache: bool = True  # read and write the machine-translation cache
    # "local": this process runs the model; "ray": a pool of Ray actors does
    # (l10n.engines.ray_pool), at `ray_address` (None: a local Ray instance started for the run).
    executor: str = setting("executor", TEXT, "local", convert=_executor)
    ray_address: str | None = setting("ray-address", TEXT, None, convert=_address)
    ray_workers: int | None = setting("ray-workers", NUMBER, None, convert=_workers)
    # Where CTranslate2 runs: "auto" (a GPU where it sees one), "cpu" or "cuda".
    device: str = setting("device", TEXT, "auto", convert=_device)

    def check(self, project: Project) -> None:
        """ConfigError for an unknown engine or executor, a language the project does not
        target, or the ray executor without Ray or with the pseudo engine."""
        if self.engine not in ENGINES:
            raise ConfigError(f"unknown engine {self.engine!r}",
                              hint=f"use one of: {', '.join(ENGINES)}")
        _executor(self.executor)
        if self.executor == "ray":
            if self.engine != "argos":
                raise ConfigError(
                    f"the ray executor runs Argos packages, not the {self.engine} engine",
                    hint="pseudo-localization needs no model and no cluster: use "
                    "--executor local")
            import importlib.util

            if importlib.util.find_spec("ray") is None:
                from l10n.engines.ray_pool import RAY_INSTALL_HINT

                raise ConfigError("the ray executor needs Ray, which is not installed",
                                  hint=RAY_INSTALL_HINT)
        unknown = [code for code in self.langs or () if code not in project.target_langs]
        if unknown:
            raise ConfigError(
                f"{', '.join(unknown)} is not a target language of this project",
                hint=f"targets: {', '.join(project.target_langs)}; add languages to "
                "target-langs in [tool.l10n] and run `l10n extract`")


def options_from(project: Project, **given: Any) -> Options:
    """Translate options: a given argument (None: not given) wins over
    `[tool.l10n.translate]`, then the defaults."""
    return resolve(Options, project.translate, **given)


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
            syntax: Syntax | None = None
            for entry in entries or ():
                state = status(entry)
                if state == "reviewed":
                    memory.append((entry.msgid, entry.msgstr))
                elif state in replaceable:
                    needs[entry.msgid] = translation(entry)
                    if syntax is None and entry.occurrences:
                        syntax = markup_of(entry.occurrences[0][0])
            result._add(lang, path, shown, owner, needs, memory, syntax)
    result._db.commit()
    return result


def run(project: Project, options: Options, *, work: Plan | None = None,
        progress: Progress = no_progress) -> Report:
    """Fill what `work` (default: a new plan) found to fill, with the engine and cache of
    `options`; a cache that cannot be used is a warning, not an error: it only saves work.
    Progress counts each source text once per language."""
    work = work if work is not None else plan(project, options)
    cache, warnings = _cache(options)
    with progress("translate", work.unique()) as tick, engines(options) as engine_for:
        report = apply(project, work, engine_for, cache=cache,
                       on_progress=lambda n: tick(step=n))
    report.errors[:0] = work.errors
    report.warnings += warnings
    if cache is not None and cache.problem is not None:
        report.warnings.append(cache.problem)
    return report


@contextmanager
def engines(options: Options) -> Iterator[EngineFactory]:
    """The engine factory of `options`' executor, for the length of a run: the local
    engines, or pools of Ray actors around them (the cluster work is stopped on leaving,
    Ctrl-C included)."""
    from l10n.engines import load_engine

    if options.executor != "ray":
        yield lambda source, target: load_engine(options.engine, source, target,
                                                 device=options.device)
        return
    from l10n.engines.argos import ArgosEngine
    from l10n.engines.ray_pool import RaySession

    with RaySession(options.ray_address, workers=options.ray_workers) as session:

        def pool(source: str, target: str) -> Engine:
            engine = load_engine(options.engine, source, target, device=options.device)
            assert isinstance(engine, ArgosEngine)  # Options.check: argos only
            return session.pool(engine)

        yield pool


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
    little. The group size also decides which sentences share a batch, and with that the
    last bits of a score: changing it can change a draft's provenance.

    With an engine that computes outside the interpreter (`native`, as CTranslate2), the
    run is a pipeline: the next group is submitted before the current one is collected,
    so that the model's workers go from one group to the next without a pause; while they
    work, a writer thread writes the previous group's catalogs (or, for the last group,
    reads its catalogs ahead: `store.read_ahead`) and this thread collects the drafts."""
    report = Report()
    started = time.perf_counter()
    engines: dict[str, Engine] = {}
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="l10n-catalog-writer")
    writes: list[Future[None]] = []
    ahead: _Request | None = None  # submitted to the engine, not yet collected

    def finish(request: _Request) -> None:
        drafts = request.collect(cache, report, on_progress)
        # With writes in flight this one queues behind them: two threads never write.
        if request.native or writes:
            writes.append(writer.submit(_apply_all, request.group, drafts, report,
                                        request.read))
            _reap(writes)
        else:  # an engine in Python holds the interpreter: overlapping only costs
            _apply_all(request.group, drafts, report)

    try:
        for group, last in _groups(work.jobs(), group_size):
            try:
                request = _request(project, work, group, engine_for, engines, cache, report,
                                   on_progress)
            except Exception:
                # E.g. no package for the next language: the group in the engine's hands
                # is still written.
                if ahead is not None:
                    finish(ahead)
                raise
            if ahead is not None:
                finish(ahead)
            ahead = None
            if request.native and request.calls:  # the model has work: overlap it
                if last:
                    # The last group's catalogs are written after the model's last batch,
                    # with nothing left to overlap: read them while the model still works.
                    # (Earlier groups are written while it works on the next one; reading
                    # those ahead would only compete with it for the cores.)
                    request.read = writer.submit(_read_ahead, request.group)
                ahead = request
            else:  # nothing to wait for, or an engine that translates when asked to
                finish(request)
        if ahead is not None:
            finish(ahead)
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


def _groups(jobs: Iterator[Job], group_size: int) -> Iterator[tuple[list[Job], bool]]:
    """Consecutive catalogs of one language, about `group_size` entries to fill each, and
    whether the group is the last one."""
    group: list[Job] = []
    size = 0
    for job in jobs:
        if group and (job.lang != group[0].lang or size >= group_size):
            yield group, False
            group, size = [], 0
        group.append(job)
        size += len(job.needs)
    if group:
        yield group, True


def _reap(writes: list[Future[None]]) -> None:
    """Raise a writer's unexpected error now, and keep at most one group waiting, so that
    finished drafts never pile up in memory."""
    while len(writes) > 1 or (writes and writes[0].done()):
        writes.pop(0).result()


# A group's drafts, by the msgid and the markup of the article it is for: one sentence in a
# Markdown and an HTML article is taken apart two ways ("*" is emphasis in one only).
Drafts = dict[tuple[str, "Syntax | None"], "Draft"]


def _apply_all(group: list[Job], drafts: Drafts, report: Report,
               read: Future[dict[Path, store.Loaded]] | None = None) -> None:
    loaded = read.result() if read is not None else {}
    for job in group:
        _apply(job, drafts, report, loaded.pop(job.path, None))


# Catalogs are read ahead up to this many entries in all (a group's worth): their msgids
# must stay in the writer's cache (`po.wrap.wrapped`, 4,096 lines) until the write, and
# memory stays flat however big a group's catalogs are; the rest are read when written.
READ_AHEAD_ENTRIES = 2048


def _read_ahead(group: list[Job]) -> dict[Path, store.Loaded]:
    kept: dict[Path, store.Loaded] = {}
    entries = 0
    for job in group:
        if entries >= READ_AHEAD_ENTRIES:
            break
        loaded = store.read_ahead(job.path, shown=job.shown)
        if loaded is not None:
            kept[job.path] = loaded
            entries += len(loaded.po)
    return kept


@dataclass(frozen=True)
class Draft:
    text: str
    provenance: Provenance
    notes: tuple[str, ...] = ()  # what a reviewer should look at (markup placed unsure)


Key = tuple[str, "Syntax | None"]


@dataclass
class _Request:
    """A group's drafts on their way: those from memory, and the engine's work on the rest
    (`collect` waits for it and makes the drafts)."""

    group: list[Job]
    drafts: Drafts
    engine: Engine | None = None
    missing: list[Key] = field(default_factory=list)
    marked: dict[Key, Marked] = field(default_factory=dict)
    found: dict[str, Translation] = field(default_factory=dict)  # from the cache
    # Per kind of call (with alignment or not): the texts sent and their translations.
    calls: list[tuple[bool, list[str], Callable[..., list[Translation]]]] = field(
        default_factory=list)
    read: Future[dict[Path, store.Loaded]] | None = None  # its catalogs, read ahead

    @property
    def native(self) -> bool:
        return bool(getattr(self.engine, "native", False))

    def collect(self, cache: MTCache | None, report: Report,
                on_progress: Callable[[int], None] | None) -> Drafts:
        if self.engine is None:
            return self.drafts
        engine, marked, done = self.engine, self.marked, dict(self.found)
        for align, to_model, translations in self.calls:
            results = translations(_increments(on_progress))
            report.model_calls += 1
            report.from_model += len(to_model)
            fresh = list(zip(to_model, results, strict=True))
            if cache is not None:
                cache.put_many(engine.cache_key, fresh, align=align)
            done.update(fresh)
        placed = restore([(marked[m], done[marked[m].plain].text,
                           done[marked[m].plain].attention) for m in self.missing])
        for m, result in zip(self.missing, placed, strict=True):
            self.drafts[m] = Draft(result.text,
                                   Provenance(engine.label, done[marked[m].plain].score),
                                   result.notes)
        return self.drafts


def _request(project: Project, work: Plan, group: list[Job], engine_for: EngineFactory,
             engines: dict[str, Engine], cache: MTCache | None, report: Report,
             on_progress: Callable[[int], None] | None) -> _Request:
    """The group's drafts from memory and the cache; what these leave goes to the engine."""
    lang = group[0].lang
    drafts: Drafts = {}
    wanted = list(dict.fromkeys((msgid, job.syntax) for job in group for msgid in job.needs))
    memory = work.memory(lang, list(dict.fromkeys(msgid for msgid, _ in wanted)))
    for key in wanted:
        if key[0] in memory:
            text, source = memory[key[0]]
            drafts[key] = Draft(text, Provenance(f"translation memory {source.as_posix()}"))
    # Counted, as progress is, once per source text.
    from_memory = len({msgid for msgid, _ in drafts})
    report.from_memory += from_memory
    if on_progress and from_memory:
        on_progress(from_memory)
    missing = [m for m in wanted if m not in drafts]
    if not missing:
        return _Request(group, drafts)
    if lang not in engines:
        engines[lang] = engine_for(project.source_lang, lang)
    engine = engines[lang]
    # The engine translates plain sentences; their markup is put back after (l10n.markup).
    marked = {m: _marked(m[0], m[1], engine) for m in missing}
    request = _Request(group, drafts, engine, missing, marked)
    for align in (False, True):
        plains = list(dict.fromkeys(marked[m].plain for m in missing
                                    if bool(marked[m].marks) == align))
        if not plains:
            continue
        found = cache.get_many(engine.cache_key, plains, align=align) \
            if cache is not None else {}
        to_model = [p for p in plains if p not in found]
        report.from_cache += len({m[0] for m in missing if bool(marked[m].marks) == align
                                  and marked[m].plain in found})
        if on_progress and len(plains) > len(to_model):
            on_progress(len(plains) - len(to_model))
        request.found.update(found)
        if to_model:
            request.calls.append((align, to_model, _submit(engine, to_model, align)))
    return request


def _submit(engine: Engine, texts: list[str],
            align: bool) -> Callable[..., list[Translation]]:
    """Hand `texts` to the engine; returns what waits for their translations (given a
    progress callback). An engine that can work in the background (`submit`) starts now;
    any other translates when asked for the result, in this thread."""
    # `align` only when wanted: an engine without alignment need not know the word.
    options: dict[str, Any] = {"align": True} if align else {}
    submit = getattr(engine, "submit", None)
    if submit is not None:
        return submit(texts, **options).result
    return lambda on_progress: engine.translate_batch(texts, on_progress=on_progress,
                                                      **options)


def _marked(msgid: str, syntax: Syntax | None, engine: Engine) -> Marked:
    """The msgid taken apart into plain text and markup, unless there is no markup to take
    out (a text article) or the engine copies markup itself (pseudo-localization)."""
    if syntax is None or getattr(engine, "keeps_markup", False):
        return Marked(msgid, "markdown", msgid, ())
    return parse(msgid, syntax)


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


def _apply(job: Job, drafts: Drafts, report: Report,
           known: store.Loaded | None = None) -> None:
    filled = 0

    def with_drafts(po: polib.POFile | None) -> polib.POFile | None:
        nonlocal filled
        filled = 0
        if po is None:
            return None  # deleted meanwhile: nothing of ours to put back
        for entry in article_entries(po, job.owner):
            wanted = job.needs.get(entry.msgid)
            draft = drafts.get((entry.msgid, job.syntax))
            if wanted is None or draft is None:
                continue
            if translation(entry) != wanted or status(entry) not in job.replaceable:
                continue  # changed or approved since we planned: theirs wins
            fill(entry, draft.text, draft.provenance, notes=draft.notes)
            filled += 1
        if not filled:
            return None
        settle(po)
        return po

    try:
        written = store.update(job.path, with_drafts, shown=job.shown, known=known).written
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
