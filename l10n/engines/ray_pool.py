"""The Ray executor: an Argos engine's batches translated by a pool of Ray actors.

`RayPool` implements the :class:`l10n.engines.Engine` protocol around the driver's own
:class:`~l10n.engines.argos.ArgosEngine` (whose CTranslate2 model the driver never loads):
its ``label``, ``version`` and ``cache_key`` are that engine's, so provenance and cache are
those of a local run, and the translate step (which alone reads and writes catalogs and the
cache) cannot tell the difference. ``translate_batch`` cuts the texts into chunks of a few
hundred sentences, longest first as ArgosEngine sorts them, sends them to the actors (each
holds one ArgosEngine, loaded once) and puts the results back in input order.

- **The package.** Every actor is told the package folder and the driver's fingerprint
  (the engine's ``cache_key``: a digest of the model files and the decoding options). Where
  the folder is readable (this machine, a shared file system) the actor opens it; where it
  is not, the driver ships the folder once through Ray's object store and the actor unpacks
  it into a temporary folder. Either way the actor's fingerprint must equal the driver's;
  a difference is an error naming both.
- **Failures.** Results are keyed by chunk index and a chunk's result is applied once. A
  chunk whose actor died (killed, out of memory, its node lost) is sent again to a fresh
  actor that replaces the dead one; a chunk that kills `MAX_TRIES` actors is an error.
- **Ctrl-C.** Outstanding chunks are cancelled and the actors this run made are killed;
  a Ray instance the run started itself is shut down (`RaySession.close`).
- **Markup.** Sentences with inline markup are translated with ``align=True`` (the
  attention places the markup). CTranslate2's attention depends on which sentences share a
  batch (measured on the fixture package: the same sentence alone and among others gets
  different weights, while texts and scores do not change), so an aligned batch goes
  whole to one actor, which batches it as the local engine does.

Ray is imported only here, and only when the executor is chosen (`import_ray`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from l10n.engines import ProgressCallback, Translation
from l10n.engines.ray_worker import Worker, pack
from l10n.errors import ConfigError, L10nError, ModelError

if TYPE_CHECKING:
    from l10n.engines.argos import ArgosEngine

__all__ = ["RAY_INSTALL_HINT", "RayPool", "RaySession", "import_ray"]

RAY_INSTALL_HINT = "install the Ray executor: pip install 'l10n[ray]'"

#: Sentences per chunk: enough for CTranslate2 to fill its batches (a chunk is ~1 s of the
#: fixture model's work on one core), few enough that a lost worker costs little.
CHUNK_SIZE = 256
#: Chunks queued on one actor at once: the next one is there when one finishes.
DEPTH = 2
#: Actors one chunk may lose before the run gives up on it.
MAX_TRIES = 3
#: Seconds to wait for a result before looking again (keeps Ctrl-C prompt).
POLL = 0.25
#: Seconds an actor may take to be scheduled and open the package.
START_TIMEOUT = 300.0


def import_ray() -> Any:
    """The ray module, or a ConfigError that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("the ray executor needs Ray, which is not installed",
                          hint=RAY_INSTALL_HINT) from exc
    return ray


#: What an HTTP/2 client sends first; an HTTP/2 server (gRPC: Ray's GCS) answers with a
#: SETTINGS frame (frame type 4, the fourth byte of its 9-byte header).
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def reachable(address: str, timeout: float = 5.0) -> None:
    """ConfigError unless `address`, given as host:port, takes TCP connections and answers
    as a gRPC server does (Ray itself retries an unreachable head for minutes, and waits
    as long on a port where something else listens: the dashboard's, a typo). Other forms
    (ray://…, auto) pass, and so does any address where Ray's gRPC uses TLS."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "/" in address:
        return
    hint = ("ray-address is the host:port of the head that `ray start --head` printed "
            "(6379 unless --port said otherwise); leave it out to start a local Ray instance")
    try:
        connection = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    except OSError as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address}: {exc}",
                          hint=hint) from exc
    if os.environ.get("RAY_USE_TLS", "0").lower() in ("1", "true"):
        connection.close()
        return
    with connection:
        try:
            connection.sendall(HTTP2_PREFACE)
            answer = b""
            while len(answer) < 4 and (more := connection.recv(9)):
                answer += more
        except OSError:  # a timeout included: a gRPC server answers at once
            answer = b""
    if len(answer) < 4 or answer[3] != 4:
        raise ConfigError(f"{address} takes connections but is not a Ray head "
                          "(no gRPC answer)", hint=hint)


class RaySession:
    """One connection to Ray for a run: started on first use, closed once.

    With `address` None a local Ray instance is started (and shut down by `close`);
    otherwise the run connects to that cluster (and `close` disconnects, leaving the cluster
    running). A process already connected to Ray stays connected. Only one pool holds
    actors at a time: a run translates one language after another, and each pool's actors
    take the cluster's CPUs."""

    def __init__(self, address: str | None = None, *, workers: int | None = None) -> None:
        self.address = address
        self.workers = workers
        self.ray: Any = None
        self.started = False  # this session called ray.init: close calls ray.shutdown
        self.active: RayPool | None = None
        self._worker_class: Any = None

    def connect(self) -> Any:
        if self.ray is not None:
            return self.ray
        ray = import_ray()
        if not ray.is_initialized():
            if self.address:
                reachable(self.address)
            try:
                if self.address:
                    ray.init(address=self.address, log_to_driver=False,
                             logging_level=logging.WARNING)
                else:
                    ray.init(include_dashboard=False, log_to_driver=False,
                             logging_level=logging.WARNING)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = f"the Ray cluster at {self.address}" if self.address else "local Ray"
                raise ConfigError(f"cannot start or reach {where}: {exc}",
                                  hint="check ray-address (host:port of `ray start --head`), "
                                  "or leave it out to start a local Ray instance") from exc
            self.started = True
        self.ray = ray
        return ray

    def worker_class(self) -> Any:
        if self._worker_class is None:
            self._worker_class = self.connect().remote(Worker)
        return self._worker_class

    def size(self, cpus_per_worker: float, gpus_per_worker: float = 0) -> int:
        """Actors to start: `workers`, else as many as the cluster's CPUs (and, for actors
        that take a GPU, its GPUs) hold. ConfigError where the cluster cannot hold them:
        a GPU run on a cluster without GPUs, or more workers than a local instance (which
        never grows) has room for; Ray would leave the extra actors pending until the
        START_TIMEOUT, minutes later. A remote cluster may be autoscaled: it is trusted."""
        have = self.connect().cluster_resources()
        local = self.started and not self.address  # started here: it will not grow
        room = int(have.get("CPU", 1) // cpus_per_worker)
        if gpus_per_worker:
            room = min(room, int(have.get("GPU", 0) // gpus_per_worker))
            if have.get("GPU", 0) < gpus_per_worker and (not self.workers or local):
                raise ConfigError(
                    "the ray executor runs on CUDA (each worker takes a GPU), but the Ray "
                    f"{'instance' if local else 'cluster'} has no GPU",
                    hint="use --device cpu, or a Ray cluster with GPU nodes (the driver "
                    "resolves --device auto by the GPUs it sees itself; on an autoscaled "
                    "cluster set ray-workers)")
        if not self.workers:
            return max(1, room)
        if local and self.workers > room:
            held = f"{have.get('CPU', 0):g} CPUs"
            if gpus_per_worker:
                held += f", {have.get('GPU', 0):g} GPUs"
            raise ConfigError(
                f"ray-workers is {self.workers}, but the local Ray instance has room for "
                f"{room} ({held})",
                hint="lower ray-workers, or leave it out for one worker per CPU (GPU on CUDA)")
        return self.workers

    def pool(self, engine: ArgosEngine, **options: Any) -> RayPool:
        return RayPool(engine, session=self, **options)

    def activate(self, pool: RayPool) -> None:
        if self.active is not None and self.active is not pool:
            self.active.stop()
        self.active = pool

    def close(self) -> None:
        """Kill the actors of this run; shut Ray down if this run started it."""
        try:
            if self.active is not None:
                active, self.active = self.active, None
                active.stop()
        finally:  # a local instance must not outlive the run, whatever stop() raised
            if self.ray is not None and self.started:
                self.ray.shutdown()
            self.ray = None
            self.started = False
            self._worker_class = None

    def __enter__(self) -> RaySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RayPool:
    """An :class:`~l10n.engines.Engine` whose batches Ray actors translate (see module)."""

    name = "argos"
    native = True  # the driver waits on Ray: catalogs can be written meanwhile
    keeps_markup = False

    def __init__(self, engine: ArgosEngine, *, session: RaySession,
                 chunk_size: int = CHUNK_SIZE, cpus_per_worker: int = 1,
                 shared_path: bool = True) -> None:
        if chunk_size < 1 or cpus_per_worker < 1:
            raise ValueError("chunk_size and cpus_per_worker must be ≥ 1")
        self.engine = engine
        self.version = engine.version
        self.label = engine.label
        self.session = session
        self.chunk_size = chunk_size
        self.cpus_per_worker = cpus_per_worker
        self.shared_path = shared_path
        self.actors: list[Any] = []
        self.generation: list[int] = []  # per slot: bumped when its actor is replaced
        self.pids: list[int] = []  # per slot: the actor's process id
        self.replaced = 0  # actors replaced after dying, over this pool's life
        self.shipped = False  # whether the package went through the object store
        self._blob: Any = None

    @property
    def cache_key(self) -> str:
        return self.engine.cache_key

    def __repr__(self) -> str:
        return f"RayPool({self.engine!r}, {len(self.actors)} actors)"

    # --- actors ----------------------------------------------------------------------------

    def start(self) -> None:
        """Make the actors (if not made yet) and wait until each has opened the package."""
        self.session.activate(self)
        if self.actors:
            return
        count = self.session.size(self.cpus_per_worker, self._gpus_per_worker)
        made = [self._make() for _ in range(count)]
        self.actors = [actor for actor, _ in made]
        self.generation = [0] * count
        self.pids = [self._loaded(actor, loading) for actor, loading in made]

    @property
    def _gpus_per_worker(self) -> int:
        return 1 if self.engine.device == "cuda" else 0

    def _make(self) -> tuple[Any, Any]:
        e = self.engine
        # The driver's settings, its device included (the fingerprint names any other than
        # the CPU); on CUDA one replica on the actor's GPU, else one worker per CPU it holds.
        options = {**e.settings,
                   "inter_threads": 1 if e.device == "cuda" else self.cpus_per_worker}
        actor_class = self.session.worker_class().options(
            num_cpus=self.cpus_per_worker, num_gpus=self._gpus_per_worker,
            max_restarts=0)
        actor = actor_class.remote(str(e.path), e.cache_key, options,
                                   shared=self.shared_path)
        shipped = [self._blob] if self._blob is not None else None
        return actor, actor.load.remote(shipped)

    def _loaded(self, actor: Any, loading: Any) -> int:
        """Wait for an actor to open the package (shipping it if need be); its pid."""
        ray = self.session.ray
        try:
            pid, state, detail = ray.get(loading, timeout=START_TIMEOUT)
            if state == "missing":  # not on that node's disk: ship it once, then unpack
                if self._blob is None:
                    self._blob = ray.put(pack(self.engine.path))
                    self.shipped = True
                pid, state, detail = ray.get(actor.load.remote([self._blob]),
                                             timeout=START_TIMEOUT)
        except ray.exceptions.GetTimeoutError as exc:
            wanted = "a GPU" if self._gpus_per_worker else "a CPU"
            raise ModelError(f"no Ray worker started within {START_TIMEOUT:.0f} s",
                             hint=f"is {wanted} free in the Ray cluster? (`ray status`; "
                             "ray-workers sets how many actors to start)") from exc
        except ray.exceptions.RayError as exc:
            raise ModelError(f"a Ray worker could not start: {exc}",
                             hint="is l10n (with the mt extra) installed on every Ray node, "
                             "in the same Python environment as Ray?") from exc
        if state != "ok":
            raise ModelError(f"a Ray worker cannot use the Argos package: {detail}",
                             path=self.engine.path)
        return int(pid)

    def _replace(self, slot: int) -> None:
        ray = self.session.ray
        with contextlib.suppress(ray.exceptions.RayError):
            ray.kill(self.actors[slot], no_restart=True)
        actor, loading = self._make()
        # In its slot before waiting on it, so that stop() kills it if it never comes up.
        self.actors[slot] = actor
        self.generation[slot] += 1
        self.replaced += 1
        self.pids[slot] = self._loaded(actor, loading)

    def worker_pids(self) -> list[int]:
        """The process id of each actor, as it said when it opened the package (the
        processes are on this machine only for a local cluster)."""
        return list(self.pids)

    def stop(self) -> None:
        """Kill the actors; a later batch makes new ones."""
        ray = self.session.ray
        if ray is not None and ray.is_initialized():
            for actor in self.actors:
                with contextlib.suppress(ray.exceptions.RayError):
                    ray.kill(actor, no_restart=True)
        self.actors, self.generation, self.pids = [], [], []
        self._blob = None

    # --- translating -----------------------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: ProgressCallback | None = None,
                        align: bool = False) -> list[Translation]:
        """Translate `texts` on the actors; one result per text, in input order."""
        if not texts:
            return []
        self.start()
        ray = self.session.ray
        if align:  # the attention depends on the batch: as the local engine batches it
            chunks = [list(range(len(texts)))]
        else:
            order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
            chunks = [order[s:s + self.chunk_size]
                      for s in range(0, len(order), self.chunk_size)]
        results: list[Translation | None] = [None] * len(texts)
        done: set[int] = set()
        tries = [0] * len(chunks)
        queue = deque(range(len(chunks)))
        inflight: dict[Any, tuple[int, int, int]] = {}  # ref → (chunk, slot, generation)
        finished = 0
        try:
            while len(done) < len(chunks):
                self._dispatch(texts, chunks, queue, inflight, tries, align)
                ready, _ = ray.wait(list(inflight), num_returns=1, timeout=POLL)
                for ref in ready:
                    chunk, slot, generation = inflight.pop(ref)
                    try:
                        out = ray.get(ref)
                    except ray.exceptions.RayActorError:
                        # The actor died: replace it (once per death), send the chunk again.
                        if generation == self.generation[slot]:
                            self._replace(slot)
                        if chunk not in done:
                            if tries[chunk] >= MAX_TRIES:
                                raise ModelError(
                                    f"{len(chunks[chunk])} sentences lost {MAX_TRIES} Ray "
                                    "workers in a row; giving up") from None
                            queue.appendleft(chunk)
                        continue
                    except ray.exceptions.RayTaskError as exc:
                        cause = getattr(exc, "cause", None)
                        if isinstance(cause, L10nError):
                            raise cause from None
                        raise ModelError(f"a Ray worker failed: {cause or exc}") from None
                    if chunk in done:  # a late duplicate: the first result stands
                        continue
                    if len(out) != len(chunks[chunk]):
                        raise ModelError("a Ray worker returned the wrong number of results")
                    for i, translation in zip(chunks[chunk], out, strict=True):
                        results[i] = translation
                    done.add(chunk)
                    finished += len(chunks[chunk])
                    if on_progress is not None:
                        on_progress(finished)
        except BaseException:
            for ref in inflight:
                with contextlib.suppress(Exception):  # the actors are killed next anyway
                    ray.cancel(ref)
            self.stop()
            raise
        assert all(r is not None for r in results)
        return [r for r in results if r is not None]

    def _dispatch(self, texts: Sequence[str], chunks: list[list[int]], queue: deque[int],
                  inflight: dict[Any, tuple[int, int, int]], tries: list[int],
                  align: bool) -> None:
        """Give every actor up to DEPTH chunks of the queue."""
        load = [0] * len(self.actors)
        for _chunk, slot, generation in inflight.values():
            if generation == self.generation[slot]:
                load[slot] += 1
        for slot, actor in enumerate(self.actors):
            while queue and load[slot] < DEPTH:
                chunk = queue.popleft()
                ref = actor.translate.remote([texts[i] for i in chunks[chunk]], align)
                inflight[ref] = (chunk, slot, self.generation[slot])
                tries[chunk] += 1
                load[slot] += 1
