"""Segments per second: locally and on Ray with 1 and 2 workers, on this machine.

In one run:

  (a) The tiny fixture package, end to end from strings to strings: `ArgosEngine` in this
      process (one CTranslate2 worker per core) against `RayPool` (`l10n translate
      --executor ray`) on a local Ray instance with 1 and with 2 actors. Ray's start-up
      (the instance, the actors loading the package) is timed apart.
  (b) A randomly initialised model of Argos' real size (Transformer base: 6+6 layers,
      d_model 512, 32k vocabulary, int8), on token lists of a news sentence's length with the
      output length fixed (random weights never end a sentence): one CTranslate2
      translator in this process against the same work cut into chunks of 64 sentences
      (CHUNK // 4) and sent to 1 and 2 Ray actors each holding a translator. This is
      where the model's own time dominates, as with a real package.
  (c) The driver's ceiling: `l10n translate --engine pseudo` (no model) over generated
      catalogs, in a fresh process: how many segments a second one driver can read, plan,
      cache and write. A cluster faster than this waits for its driver.

    python bench/scale.py [--sentences 2000] [--base-sentences 128] [--catalogs 400]
                          [--device cuda]   # (b) on a GPU, where there is one

`docs/scaling.md` turns the figures into a plan for a million articles.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from l10n.engines.argos import ArgosEngine  # noqa: E402

PACKAGE = ROOT / "tests" / "fixtures" / "translate-de_en-tiny.argosmodel"
CHUNK = 256  # RayPool's chunk size (l10n/engines/ray_pool.py)


def fixture_package() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="l10n-bench-scale-"))
    with zipfile.ZipFile(PACKAGE) as archive:
        archive.extractall(folder)
    return next(p for p in folder.iterdir() if p.is_dir())


def sentences(n: int) -> list[str]:
    from translate_engine import sentences as corpus_sentences  # the engine bench's corpus

    return corpus_sentences(n)


def best(job: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def line(name: str, count: int, seconds: float, base: float | None = None,
         extra: str = "") -> None:
    ratio = f"  {base / seconds:5.2f}× local" if base else ""
    print(f"    {name:28} {count / seconds:9.1f} segments/s{ratio}{extra}")


# --- (a) the fixture package ------------------------------------------------------------------

def fixture(n: int, repeat: int) -> None:
    import ray

    from l10n.engines.ray_pool import RaySession

    package = fixture_package()
    texts = sentences(n)
    local = ArgosEngine.from_path(package)
    local.translate_batch(texts[:8])  # load the model
    local_s = best(lambda: local.translate_batch(texts), repeat)
    print(f"(a) fixture package, {n} sentences, best of {repeat}")
    line("local (2 CTranslate2 workers)", n, local_s)
    for workers in (1, 2):
        start = time.perf_counter()
        with RaySession(None, workers=workers) as session:
            pool = session.pool(ArgosEngine.from_path(package))
            pool.translate_batch(texts[:8])  # start Ray and the actors
            started = time.perf_counter() - start
            seconds = best(lambda pool=pool: pool.translate_batch(texts), repeat)
            line(f"Ray, {workers} worker{'s' if workers > 1 else ''}", n, seconds, local_s,
                 f"   (start-up {started:.1f} s)")
        assert not ray.is_initialized()


# --- (b) a model of Argos' size --------------------------------------------------------------

def base_sized(n: int, length: int, repeat: int, device: str = "cpu") -> None:
    import ctranslate2
    import ray
    from translate_engine import base_sized_model

    from l10n.engines.argos import default_compute_type, resolve_device

    device = resolve_device(device)

    model = Path(tempfile.mkdtemp(prefix="l10n-bench-base-"))
    vocab = base_sized_model(model)
    rng = random.Random(1)
    batch = [[rng.choice(vocab[3:]) for _ in range(length)] for _ in range(n)]
    options = dict(beam_size=4, length_penalty=0.2, max_batch_size=2048, batch_type="tokens",
                   min_decoding_length=length + 2, max_decoding_length=length + 2)
    cores = len(os.sched_getaffinity(0))
    workers = cores if device == "cpu" else 1
    local = ctranslate2.Translator(str(model), device=device,
                                   compute_type=default_compute_type(device),
                                   inter_threads=workers, intra_threads=1)
    local.translate_batch(batch[:4], **options)
    local_s = best(lambda: local.translate_batch(batch, **options), repeat)
    print(f"(b) random model of Argos' size (6+6 layers, d_model 512, 32k vocabulary), "
          f"{n} sentences × {length} tokens, best of {repeat}")
    line(f"local ({workers} CTranslate2 worker{'s' if workers > 1 else ''}, {device} "
         f"{default_compute_type(device)})", n, local_s)
    if device != "cpu":
        return  # the Ray comparison below is the CPU's

    @ray.remote(num_cpus=1)
    class Translator:
        def __init__(self, path: str) -> None:
            self.translator = ctranslate2.Translator(path, compute_type="int8",
                                                     inter_threads=1, intra_threads=1)

        def run(self, chunk: list[list[str]]) -> int:
            return len(self.translator.translate_batch(chunk, **options))

    chunks = [batch[i:i + CHUNK // 4] for i in range(0, n, CHUNK // 4)]
    for workers in (1, 2):
        start = time.perf_counter()
        ray.init(include_dashboard=False, log_to_driver=False, num_cpus=cores)
        actors = [Translator.remote(str(model)) for _ in range(workers)]  # type: ignore[attr-defined]
        ray.get([a.run.remote(batch[:2]) for a in actors])
        started = time.perf_counter() - start

        def spread(actors: list[Any] = actors) -> None:
            ray.get([actors[i % len(actors)].run.remote(c) for i, c in enumerate(chunks)])

        seconds = best(spread, repeat)
        ray.shutdown()
        line(f"Ray, {workers} worker{'s' if workers > 1 else ''}", n, seconds, local_s,
             f"   (start-up {started:.1f} s)")


# --- (c) the driver ---------------------------------------------------------------------------

def driver(catalogs: int) -> None:
    from translate_engine import po_project

    texts = sentences(catalogs * 30)
    with tempfile.TemporaryDirectory() as tmp:
        project = po_project(texts, Path(tmp), per_catalog=30)
        env = {**os.environ, "L10N_CACHE_DIR": str(Path(tmp) / "cache")}
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "l10n", "translate", "--engine", "pseudo",
                               "--no-cache", "--project", str(project)],
                              capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(done.stdout + done.stderr)
    print(f"(c) the driver: l10n translate --engine pseudo, {catalogs} catalogs × 30 "
          f"sentences, a fresh process")
    line("one driver, no model", len(texts), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    # 128 × 30 tokens: two 64-sentence chunks for two actors, and token batches of about
    # 68 and 60 sentences locally; 96 split 64 + 32 and left one core idle a third of it.
    parser.add_argument("--base-sentences", type=int, default=128)
    parser.add_argument("--length", type=int, default=30, help="tokens per sentence in (b)")
    parser.add_argument("--catalogs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="for (b): cpu, cuda or auto")
    args = parser.parse_args()
    fixture(args.sentences, args.repeat)
    base_sized(args.base_sentences, args.length, args.repeat, args.device)
    driver(args.catalogs)


if __name__ == "__main__":
    main()
