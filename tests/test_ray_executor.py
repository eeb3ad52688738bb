"""`l10n translate --executor ray`: options, and runs on a real two-node Ray cluster.

The cluster (a head and a second node, one CPU each, on 127.0.0.1) is started with the
`ray` CLI once for the module and always stopped; every cluster test compares its catalogs
byte for byte with a local run of the fixture package on the seed project.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.commands import extract, translate
from l10n.errors import ConfigError
from l10n.project import load_project

SEED = Path(__file__).resolve().parent.parent / "corpus" / "kasachstan-ukrainekrieg.txt"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translate-de_en-tiny.argosmodel"
NAME = "kasachstan-ukrainekrieg"
HAVE_MT = all(importlib.util.find_spec(m) is not None for m in ("argostranslate", "ctranslate2"))
HAVE_RAY = importlib.util.find_spec("ray") is not None
RAY = Path(sys.executable).parent / "ray"
needs_cluster = pytest.mark.skipif(
    not (HAVE_MT and HAVE_RAY and RAY.is_file()),
    reason="needs the mt and ray extras: pip install 'l10n[mt,ray]' (and argostranslate)")
MSGFMT = shutil.which("msgfmt")
MARKER = "L10N_TEST_RAY_CLUSTER"  # in the environment of the test cluster's processes
runner = CliRunner()


# --- options, no cluster ---------------------------------------------------------------------

def settings(project: Path, table: str) -> None:
    with (project / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n[tool.l10n.translate]\n{table}\n")


def test_settings_and_arguments(project: Path) -> None:
    assert translate.options_from(load_project(project)).executor == "local"
    settings(project, 'executor = "ray"\nray-address = "10.0.0.5:6379"\nray-workers = 3')
    options = translate.options_from(load_project(project))
    assert (options.executor, options.ray_address, options.ray_workers) == \
        ("ray", "10.0.0.5:6379", 3)
    # An argument wins over the setting.
    options = translate.options_from(load_project(project), executor="local",
                                     ray_address="127.0.0.1:1")
    assert (options.executor, options.ray_address) == ("local", "127.0.0.1:1")


@pytest.mark.parametrize(("table", "message"), [
    ('executor = "dask"', "unknown executor 'dask'"),
    ("executor = 1", "executor must be a str"),
    ("ray-workers = 0", "ray-workers must be a whole number"),
    ("ray-workers = 1.5", "ray-workers must be a whole number"),
    ('ray-adress = "x"', "unknown setting 'ray-adress'"),
])
def test_bad_settings(project: Path, table: str, message: str) -> None:
    settings(project, table)
    with pytest.raises(ConfigError, match=message):
        load_project(project)


def test_cli_refuses_bad_executors(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["translate", "--executor", "dask", "--project", str(project)])
    assert result.exit_code == 2 and "unknown executor 'dask'" in result.output
    result = runner.invoke(app, ["run", "--engine", "pseudo", "--executor", "dask",
                                 "--project", str(project)])
    assert result.exit_code == 2 and "unknown executor 'dask'" in result.output
    monkeypatch.setitem(sys.modules, "ray", None)  # whether or not it is installed
    result = runner.invoke(app, ["translate", "--engine", "pseudo", "--executor", "ray",
                                 "--project", str(project)])
    assert result.exit_code == 2 and "runs Argos packages, not the pseudo engine" in \
        result.output


def test_ray_missing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match="needs Ray") as caught:
        translate.Options(executor="ray").check(load_project(project))
    assert caught.value.hint is not None and "pip install 'l10n[ray]'" in caught.value.hint
    from l10n.engines.ray_pool import import_ray

    with pytest.raises(ConfigError, match="needs Ray"):
        import_ray()
    result = runner.invoke(app, ["translate", "--executor", "ray", "--project", str(project)])
    assert result.exit_code == 2 and "l10n[ray]" in result.output
    # The local executor never imports ray.
    assert translate.options_from(load_project(project)).executor == "local"


def test_an_unreachable_cluster_is_refused_at_once() -> None:
    from l10n.engines.ray_pool import reachable

    address = f"127.0.0.1:{free_port()}"  # nobody listens there
    started = time.monotonic()
    with pytest.raises(ConfigError, match=f"cannot reach the Ray cluster at {address}"):
        reachable(address)
    assert time.monotonic() - started < 5
    reachable("ray://head:10001")  # Ray Client addresses are Ray's to check


@pytest.mark.parametrize("answer", [b"", b"HTTP/1.1 400 Bad Request\r\n\r\n"],
                         ids=["silent", "http1"])
def test_a_port_that_is_not_a_ray_head_is_refused_at_once(answer: bytes) -> None:
    # ray.init waited minutes (then a SIGTERM ended it) on a port where something other
    # than Ray's GCS listens: the dashboard's 8265, say.
    import threading

    from l10n.engines.ray_pool import reachable

    server = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{server.getsockname()[1]}"

    def serve() -> None:
        with contextlib.suppress(OSError):
            connection, _ = server.accept()
            with connection:
                connection.recv(100)
                if answer:
                    connection.sendall(answer)
                time.sleep(2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started = time.monotonic()
    with server, pytest.raises(ConfigError, match=f"{address} takes connections but is "
                               "not a Ray head") as caught:
        reachable(address, timeout=1.0)
    assert time.monotonic() - started < 3 and caught.value.exit_code == 2
    thread.join()


class FakeRay:
    """Just what RaySession.size and RayPool.stop ask of the ray module."""

    class exceptions:
        RayError = Exception

    def __init__(self, resources: dict[str, float]) -> None:
        self.resources = resources
        self.killed: list[Any] = []

    def cluster_resources(self) -> dict[str, float]:
        return self.resources

    def is_initialized(self) -> bool:
        return True

    def kill(self, actor: Any, no_restart: bool = True) -> None:
        self.killed.append(actor)

    def shutdown(self) -> None:
        self.killed.append("shutdown")


def fake_session(resources: dict[str, float], address: str | None = None,
                 workers: int | None = None) -> Any:
    from l10n.engines.ray_pool import RaySession

    session = RaySession(address, workers=workers)
    session.ray, session.started = FakeRay(resources), address is None
    return session


def test_workers_fit_the_cluster() -> None:
    # On CUDA each actor takes a GPU: as many as there are GPUs, not one per CPU (the
    # others would wait for a GPU until START_TIMEOUT, then fail the run).
    assert fake_session({"CPU": 16, "GPU": 1}).size(1, 1) == 1
    assert fake_session({"CPU": 16, "GPU": 1}).size(1) == 16
    assert fake_session({"CPU": 2, "GPU": 4}).size(1, 1) == 2
    with pytest.raises(ConfigError, match="has no GPU"):
        fake_session({"CPU": 16}).size(1, 1)
    with pytest.raises(ConfigError, match="has no GPU"):
        fake_session({"CPU": 16}, "head:6379").size(1, 1)
    # A local instance never grows: more workers than it holds is refused at once.
    with pytest.raises(ConfigError, match="ray-workers is 3, but the local Ray instance has "
                       "room for 2") as caught:
        fake_session({"CPU": 2}, workers=3).size(1)
    assert caught.value.exit_code == 2
    with pytest.raises(ConfigError, match=r"room for 1 \(2 CPUs, 1 GPUs\)"):
        fake_session({"CPU": 2, "GPU": 1}, workers=2).size(1, 1)
    # A remote cluster may be autoscaled: what ray-workers asks for is started.
    assert fake_session({"CPU": 2}, "head:6379", workers=3).size(1) == 3
    assert fake_session({"CPU": 2}, "head:6379", workers=3).size(1, 1) == 3


def test_a_replacement_that_never_comes_up_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from l10n.engines.ray_pool import RayPool
    from l10n.errors import ModelError

    session = fake_session({"CPU": 1})
    pool = RayPool(SimpleNamespace(version="1", label="argos", device="cpu"),  # type: ignore[arg-type]
                   session=session)
    pool.actors, pool.generation, pool.pids = ["dead"], [0], [1]

    def never(actor: Any, loading: Any) -> int:
        raise ModelError("no Ray worker started within 300 s")

    monkeypatch.setattr(pool, "_make", lambda: ("replacement", "loading"))
    monkeypatch.setattr(pool, "_loaded", never)
    with pytest.raises(ModelError):
        pool._replace(0)
    pool.stop()  # what translate_batch does on the way out
    assert session.ray.killed == ["dead", "replacement"]


def test_a_local_instance_is_shut_down_even_if_stopping_fails() -> None:
    session = fake_session({"CPU": 1})
    fake = session.ray

    class Broken:
        def stop(self) -> None:
            raise RuntimeError("the raylet went away")

    session.active = Broken()
    with pytest.raises(RuntimeError):
        session.close()
    assert fake.killed == ["shutdown"] and session.ray is None and session.active is None


def test_nothing_imports_ray_unless_chosen() -> None:
    code = ("import sys, l10n.cli, l10n.commands.translate, l10n.engines.argos, "
            "l10n.pipeline; print('ray' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


# --- a real cluster --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def processes() -> dict[int, tuple[int, str, bytes]]:
    """pid → (parent pid, start time, command line and environment) of every process."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            about = (proc / "cmdline").read_bytes() + b"\0" + (proc / "environ").read_bytes()
        except OSError:
            continue
        found[int(proc.name)] = (int(stat[1]), stat[19], about)
    return found


def cluster_processes(marker: str) -> set[tuple[int, str]]:
    """(pid, start time) of the processes whose command line or environment names `marker`
    (the test cluster's temp folder), and of all their descendants: the cluster's own
    processes (Ray renames some, overwriting their environment, but they are children of
    the raylet), none of anyone else's Ray."""
    table = processes()
    mine = {pid for pid, (_, _, about) in table.items()
            if marker.encode() in about and pid != os.getpid()}
    grown = True
    while grown:
        more = {pid for pid, (parent, _, _) in table.items() if parent in mine} - mine
        grown = bool(more)
        mine |= more
    return {(pid, table[pid][1]) for pid in mine}


def end(found: set[tuple[int, str]]) -> None:
    """SIGTERM, then SIGKILL, each process of `found` still running as itself."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        table = processes()
        left = [pid for pid, started in found if pid in table and table[pid][1] == started]
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        if not left:
            return
        time.sleep(1.0)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture package, unpacked: the folder holding metadata.json."""
    where = tmp_path_factory.mktemp("package")
    with zipfile.ZipFile(FIXTURE) as zf:
        zf.extractall(where)
    return next(where.glob("*/metadata.json")).parent


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Ray head and a second node on 127.0.0.1, one CPU each; its address."""
    # Short: Ray's socket paths live under the temp folder and must stay under 108 bytes.
    temp = tempfile.mkdtemp(prefix="r", dir="/tmp")
    home = tmp_path_factory.mktemp("ray-home")
    # TMPDIR: where workers unpack a shipped package, gone with the cluster.
    env = {**os.environ, MARKER: temp, "HOME": str(home), "TMPDIR": temp,
           "RAY_USAGE_STATS_ENABLED": "0",
           "ARGOS_PACKAGES_DIR": str(home / "packages")}
    port = free_port()
    address = f"127.0.0.1:{port}"
    common = ["--num-cpus=1", "--disable-usage-stats", "--node-ip-address=127.0.0.1"]
    started: set[tuple[int, str]] = set()
    try:
        subprocess.run([str(RAY), "start", "--head", f"--port={port}", "--include-dashboard=false",
                        f"--temp-dir={temp}", f"--dashboard-agent-listen-port={free_port()}",
                        *common], env=env, check=True, capture_output=True, timeout=120)
        subprocess.run([str(RAY), "start", f"--address={address}", f"--temp-dir={temp}",
                        f"--dashboard-agent-listen-port={free_port()}", *common],
                       env=env, check=True, capture_output=True, timeout=120)
        started |= cluster_processes(temp)  # before Ray renames its agents
        yield address
    finally:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        end(started | cluster_processes(temp))
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project, extracted, not translated (copied by each test)."""
    root = tmp_path_factory.mktemp("seed")
    (root / "corpus").mkdir()
    shutil.copy(SEED, root / "corpus" / SEED.name)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    extract.run(load_project(root), extract.Options(remember=False))
    return root


def catalogs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "locales").rglob("*.po"))}


def run_translate(extracted: Path, to: Path, engine_for: translate.EngineFactory,
                  on_progress: Callable[[int], None] | None = None) -> translate.Report:
    shutil.copytree(extracted, to)
    project = load_project(to)
    work = translate.plan(project, translate.Options())
    return translate.apply(project, work, engine_for, cache=None, on_progress=on_progress)


@pytest.fixture(scope="module")
def local(extracted: Path, package: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, bytes]:
    """The catalogs of a local run: what every cluster run must write."""
    from l10n.engines.argos import ArgosEngine

    root = tmp_path_factory.mktemp("local") / "project"
    report = run_translate(extracted, root, lambda s, t: ArgosEngine.from_path(package))
    assert report.from_model == 28 and not report.errors
    return catalogs(root)


def pool_factory(session: Any, package: Path, pools: list[Any], **options: Any
                 ) -> translate.EngineFactory:
    from l10n.engines.argos import ArgosEngine

    def make(source: str, target: str) -> Any:
        pool = session.pool(ArgosEngine.from_path(package), **options)
        pools.append(pool)
        return pool

    return make


@needs_cluster
@pytest.mark.parametrize("shared_path", [True, False], ids=["shared-path", "shipped"])
def test_cluster_run_equals_local_run(cluster: str, package: Path, extracted: Path,
                                      local: dict[str, bytes], tmp_path: Path,
                                      shared_path: bool) -> None:
    from l10n.engines.ray_pool import RaySession

    pools: list[Any] = []
    seen: list[int] = []
    with RaySession(cluster) as session:
        report = run_translate(extracted, tmp_path / "p", pool_factory(
            session, package, pools, chunk_size=5, shared_path=shared_path), seen.append)
        assert len(pools[0].actors) == 2  # one per CPU of the two nodes
        assert pools[0].shipped is not shared_path
    assert report.from_model == 28 and report.model_calls == 1 and not report.errors
    assert sum(seen) == 28  # progress told chunk by chunk, every sentence once
    assert len(seen) > 1
    assert catalogs(tmp_path / "p") == local


@needs_cluster
def test_a_killed_worker_is_replaced(cluster: str, package: Path, extracted: Path,
                                     local: dict[str, bytes], tmp_path: Path) -> None:
    from l10n.catalog.po.read import load
    from l10n.engines.ray_pool import RaySession

    pools: list[Any] = []
    killed: list[int] = []

    def kill_one(step: int) -> None:
        if not killed:  # batches are in flight on both workers: kill one of them
            killed.append(pools[0].worker_pids()[0])
            os.kill(killed[0], signal.SIGKILL)

    with RaySession(cluster) as session:
        report = run_translate(extracted, tmp_path / "p",
                               pool_factory(session, package, pools, chunk_size=1), kill_one)
        assert pools[0].replaced >= 1 and killed[0] not in pools[0].worker_pids()
    assert report.from_model == 28 and not report.errors
    assert catalogs(tmp_path / "p") == local
    po = load(tmp_path / "p" / "locales" / "en" / f"{NAME}.po")
    msgids = [e.msgid for e in po if e.msgid]
    assert len(msgids) == len(set(msgids)) == 28 and all(e.msgstr for e in po)


@needs_cluster
def test_ctrl_c_stops_the_cluster_work(cluster: str, package: Path, extracted: Path,
                                       tmp_path: Path) -> None:
    from l10n.engines.ray_pool import RaySession

    pools: list[Any] = []

    pids: list[int] = []

    def interrupt(step: int) -> None:
        pids.extend(pools[0].worker_pids())
        raise KeyboardInterrupt

    with RaySession(cluster) as session, pytest.raises(KeyboardInterrupt):
        run_translate(extracted, tmp_path / "p",
                      pool_factory(session, package, pools, chunk_size=2), interrupt)
    assert pids and pools[0].actors == []  # killed on the way out
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in pids)
    # The catalogs are as extract left them: valid, nothing half-written.
    assert catalogs(tmp_path / "p") == catalogs(extracted)
    assert not list((tmp_path / "p" / "locales").rglob("*.tmp*"))
    if MSGFMT:
        for path in (tmp_path / "p" / "locales").rglob("*.po"):
            subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(path)], check=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent (a Ray process) has yet to reap it.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.skipif(not HAVE_MT or not Path("/proc/self/mem").exists(),
                    reason="needs argostranslate and ctranslate2, and Linux")
def test_an_unreadable_package_on_a_worker_is_shipped(package: Path, tmp_path: Path) -> None:
    from l10n.engines.argos import ArgosEngine
    from l10n.engines.ray_worker import Worker

    engine = ArgosEngine.from_path(package)
    options = {**engine.settings, "inter_threads": 1}
    # The driver's path on a node that cannot read all of it (a file reads as EIO, as an
    # unreadable one would for a user who is not root): the driver is asked to ship it,
    # rather than the actor failing with an OSError raised out of load().
    there = tmp_path / package.name
    shutil.copytree(package, there)
    (there / "model" / "unreadable").symlink_to("/proc/self/mem")
    _pid, state, detail = Worker(str(there), engine.cache_key, options).load()
    assert (state, detail) == ("missing", str(there))


@needs_cluster
def test_a_different_package_on_a_worker_is_an_error(cluster: str, package: Path) -> None:
    from l10n.engines.argos import ArgosEngine
    from l10n.engines.ray_pool import RaySession
    from l10n.errors import ModelError

    engine = ArgosEngine.from_path(package)
    real = engine.cache_key
    engine.__dict__["cache_key"] = "argos/de-en/1.0/0000000000000000/driver"
    with RaySession(cluster) as session, pytest.raises(ModelError) as caught:
        session.pool(engine).translate_batch(["Guten Tag."])
    assert f"worker {real}, driver argos/de-en/1.0/0000000000000000/driver" in \
        caught.value.message


@needs_cluster
def test_cli_translates_on_the_cluster(cluster: str, extracted: Path, local: dict[str, bytes],
                                       tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(home / "packages"), "HOME": str(home),
           "L10N_CACHE_DIR": str(home / "cache")}
    root = tmp_path / "p"
    shutil.copytree(extracted, root)

    def l10n(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "l10n", *args], env=env, text=True,
                              capture_output=True, timeout=120)

    done = l10n("models", "install", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    settings(root, f'executor = "ray"\nray-address = "{cluster}"')
    done = l10n("translate", "--project", str(root), "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"from_model": 28' in done.stdout
    assert catalogs(root) == local


@needs_cluster
def test_markdown_drafts_equal_local(cluster: str, package: Path, tmp_path: Path) -> None:
    """Sentences with inline markup go to the model with align=True: the attention that
    places the markup comes back from the actors as the local engine computes it."""
    from l10n.engines.argos import ArgosEngine
    from l10n.engines.ray_pool import RaySession

    root = tmp_path / "md"
    (root / "corpus").mkdir(parents=True)
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    lines = ["# " + paragraphs[0].splitlines()[0]]
    for k, paragraph in enumerate(paragraphs[1:]):
        words = paragraph.split()
        if len(words) > 6:
            words[2] = f"**{words[2]}**"
            words[5] = f"[{words[5]}](https://example.org/{k})"
        lines.append(" ".join(words))
    (root / "corpus" / "artikel.md").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    extract.run(load_project(root), extract.Options(force=True, remember=False))

    local = run_translate(root, tmp_path / "local", lambda s, t: ArgosEngine.from_path(package))
    assert local.model_calls == 2  # sentences without markup, then those with it
    pools: list[Any] = []
    with RaySession(cluster) as session:
        report = run_translate(root, tmp_path / "ray",
                               pool_factory(session, package, pools, chunk_size=5))
    assert report.from_model == local.from_model and not report.errors
    assert catalogs(tmp_path / "ray") == catalogs(tmp_path / "local")
    from l10n.catalog.po.read import load

    po = load(tmp_path / "ray" / "locales" / "en" / "artikel.po")
    assert sum("**" in e.msgstr for e in po) >= 5  # the markup was placed in the drafts
