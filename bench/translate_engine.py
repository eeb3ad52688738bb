"""Time the Argos engine against argostranslate and against raw CTranslate2.

On the tiny fixture package and ≥ 2,000 sentences (corpus sentences and pairs of them), in
one run:

  (a) ``argostranslate.translate`` once per sentence (what a naive integration does),
  (b) raw ``ctranslate2.Translator.translate_batch`` on pre-tokenized input, same options,
  (c) ``ArgosEngine.translate_batch`` end to end, from strings to strings,
  (d) ``l10n translate`` end to end: a fresh process over a project holding the same
      sentences in 20 PO catalogs (reading, translating, writing them; cache off).

Goals: (c) and (d) at least 5× faster than (a); (c) within 1.25× of (b), (d) within 1.15×
(archive scale, issue 13). (a) runs Argos as shipped
(``compute_type="auto"``, ``intra_threads=0``; ~0.15 s a sentence here, so 200 of them are
timed and the time scaled, unless ``--full-argos``); (a') again with the engine's compute type and
one thread, so that what remains is the gain from batching. (b) uses the engine's translator
(same workers) and the batch size the engine would pick.

``--sweep`` times (b) over compute types, intra/inter threads and batch sizes on the tiny
model, ``--sweep-base`` compute types and threads on a random model of real Argos size: the
numbers behind the defaults in ``l10n/engines/argos.py``.

    python bench/translate_engine.py [--sentences 2000] [--sweep] [--no-argos]
    python bench/translate_engine.py --sweep-base
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tests" / "fixtures" / "translate-de_en-tiny.argosmodel"
CORPUS = ROOT / "tools" / "test_model_corpus.tsv"

# argostranslate.settings reads these once, at import: set them before anything imports it.
_HOME = Path(tempfile.mkdtemp(prefix="l10n-bench-argos-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _key, _sub in (("ARGOS_PACKAGES_DIR", "packages"), ("XDG_DATA_HOME", "data"),
                   ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_key] = str(_HOME / _sub)
sys.path.insert(0, str(ROOT))


def sentences(n: int) -> list[str]:
    """Corpus sentences, then distinct pairs of them, n in all (seeded)."""
    base = [line.split("\t")[0] for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    rng = random.Random(7)
    out, seen = list(base), set(base)
    while len(out) < n:
        a, b = rng.sample(base, 2)
        text = f"{a} {b}"
        if text not in seen and len(text) < 300:
            seen.add(text)
            out.append(text)
    rng.shuffle(out)
    return out[:n]


def timed(fn, repeat: int = 1):
    """(best seconds, last result) over `repeat` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def sweep(model_dir: Path, tokens: list[list[str]]) -> None:
    import ctranslate2

    def run(translator, batch_tokens: int = 2048) -> None:
        translator.translate_batch(tokens, beam_size=4, length_penalty=0.2,
                                   replace_unknowns=True, return_scores=True,
                                   max_batch_size=batch_tokens, batch_type="tokens")

    def translator(compute_type: str = "int8", inter: int = 1, intra: int = 1):
        return ctranslate2.Translator(str(model_dir), compute_type=compute_type,
                                      inter_threads=inter, intra_threads=intra)

    print("\nsweep: raw CTranslate2 on the same input (best of 3)")
    for compute_type in ("int8", "int8_float32", "int16", "float32"):
        seconds = timed(partial(run, translator(compute_type)), 3)[0]
        print(f"  compute_type={compute_type:13s} inter=1 intra=1 {seconds:.3f} s")
    for inter, intra in ((1, 2), (1, 0), (2, 1)):
        seconds = timed(partial(run, translator(inter=inter, intra=intra)), 3)[0]
        print(f"  compute_type=int8          inter={inter} intra={intra} {seconds:.3f} s")
    for inter in (1, 2):
        tr = translator(inter=inter)
        for batch_tokens in (512, 1024, 2048, 4096, 8192):
            seconds = timed(partial(run, tr, batch_tokens), 3)[0]
            print(f"  inter={inter} max_batch_size={batch_tokens:<5d} tokens {seconds:.3f} s")


def base_sized_model(out_dir: Path, vocab: int = 32000) -> list[str]:
    """A random-weight model of Argos' usual size (Transformer base: 6+6 layers, d_model 512,
    8 heads, FFN 2048, 32k shared vocabulary), to time compute types and threads where matrix
    sizes, unlike the tiny fixture's, are realistic. Returns its vocabulary."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(0)
    d, ffn = 512, 2048

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * shape[-1] ** -0.5)

    def norm(spec) -> None:
        spec.gamma, spec.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def lin(spec, rows: int, cols: int) -> None:
        spec.weight, spec.bias = w(rows, cols), np.zeros(rows, np.float32)

    spec = transformer_spec.TransformerSpec.from_config(6, 8)
    emb = w(vocab, d)
    spec.encoder.embeddings[0].weight = spec.decoder.embeddings.weight = emb
    spec.decoder.projection.weight = emb
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in [*spec.encoder.layer, *spec.decoder.layer]:
        norm(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * d, d)
        lin(layer.self_attention.linear[1], d, d)
        if hasattr(layer, "attention"):
            norm(layer.attention.layer_norm)
            lin(layer.attention.linear[0], d, d)
            lin(layer.attention.linear[1], 2 * d, d)
            lin(layer.attention.linear[2], d, d)
        norm(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, ffn, d)
        lin(layer.ffn.linear_1, d, ffn)
    tokens = ["<unk>", "<s>", "</s>", *(f"▁w{i}" for i in range(vocab - 3))]
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization="int8")  # as Argos ships its models
    spec.save(str(out_dir))
    return tokens


def sweep_base_sized(n: int = 128, length: int = 30) -> None:
    import ctranslate2

    with tempfile.TemporaryDirectory() as tmp:
        vocab = base_sized_model(Path(tmp))
        rng = random.Random(1)
        tokens = [[rng.choice(vocab[3:]) for _ in range(length)] for _ in range(n)]

        def run(tr) -> None:
            # Random weights never emit </s>: fix the output length so every setting does
            # the same work (length+2 steps per sentence).
            tr.translate_batch(tokens, beam_size=4, length_penalty=0.2, max_batch_size=2048,
                               batch_type="tokens", min_decoding_length=length + 2,
                               max_decoding_length=length + 2)

        print(f"\nsweep: random Transformer-base model, {n} sentences × {length} tokens")
        settings = [(ct, 1, 1) for ct in ("int8", "int16", "float32")]  # 2 batches of 2048
        settings += [("int8", 1, 2), ("int8", 1, 0), ("int8", 2, 1)]
        for compute_type, inter, intra in settings:
            tr = ctranslate2.Translator(tmp, compute_type=compute_type, inter_threads=inter,
                                        intra_threads=intra)
            run(tr)  # warm-up
            print(f"  compute_type={compute_type:8s} inter={inter} intra={intra}  "
                  f"{timed(partial(run, tr), 2)[0]:.3f} s")
            del tr


def po_project(texts: list[str], root: Path, per_catalog: int = 100) -> Path:
    """A project whose catalogs hold `texts` as empty entries, written by l10n itself."""
    import polib

    from l10n.catalog.po.write import dumps

    (root / "corpus").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.l10n]\ntarget-langs = ["en"]\n')
    for start in range(0, len(texts), per_catalog):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
        name = f"part{start // per_catalog:03}"
        # References name the catalog's article: entries without are a translator's own.
        for i, text in enumerate(texts[start:start + per_catalog], start=start):
            po.append(polib.POEntry(msgid=text, msgstr="",
                                    occurrences=[(f"corpus/{name}.txt", str(i))]))
        path = root / "locales" / "en" / f"{name}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(po), encoding="utf-8")
    return root


def l10n_translate(project: Path) -> float:
    import subprocess

    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "l10n", "translate", "--no-cache",
                           "--format", "json", "--project", str(project)],
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    assert '"from_model"' in done.stdout, done.stdout + done.stderr
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--full-argos", action="store_true",
                        help="time (a) on every sentence, not on 200 (~5 minutes)")
    parser.add_argument("--no-argos", action="store_true",
                        help="skip (a) and (a'): argostranslate's translate needs stanza and "
                             "torch, which the lean install leaves out")
    parser.add_argument("--sweep-base", action="store_true",
                        help="only the compute-type/thread sweep on a Transformer-base-sized "
                             "random model (~1 GB of memory, a few minutes)")
    args = parser.parse_args(argv)
    if args.sweep_base:
        sweep_base_sized()
        return 0

    started = time.perf_counter()
    if args.no_argos:
        from l10n.argos.packages import install_file

        install_file(PACKAGE)
    else:
        from argostranslate import package as argos_package

        argos_package.install_from_path(PACKAGE)  # also imports argostranslate.translate
    print(f"installed the fixture into {os.environ['ARGOS_PACKAGES_DIR']} "
          f"({time.perf_counter() - started:.1f} s, imports included)")

    from l10n.engines.argos import LENGTH_PENALTY, ArgosEngine

    texts = sentences(args.sentences)
    engine = ArgosEngine.load("de", "en")
    tokens = [engine._encode(t) for t in texts]
    print(f"{len(texts)} sentences, {sum(map(len, tokens))} tokens; engine: "
          f"compute_type={engine.compute_type} inter_threads={engine.inter_threads} "
          f"max_batch_size={engine.max_batch_tokens} tokens")

    if args.sweep:
        sweep(engine.path / "model", tokens)

    def argos(**overrides: object):
        """A fresh argostranslate translation, its model loaded, with these settings."""
        from argostranslate import settings
        from argostranslate import translate as argos_translate

        for key, value in overrides.items():
            setattr(settings, key, value)
        argos_translate.installed_translates.clear()
        argos_translate.get_installed_languages.cache_clear()
        translation = argos_translate.get_translation_from_codes("de", "en")
        translation.translate(texts[0])  # load the model and MiniSBD outside the timing
        return translation

    if not args.no_argos:
        from argostranslate import settings

        shipped = argos()
        # As shipped, Argos needs ~0.15 s a sentence here: time a sample unless --full-argos.
        sample = texts if args.full_argos else texts[:200]
        time_a, out_a = timed(lambda: [shipped.translate(t) for t in sample])
        time_a *= len(texts) / len(sample)
        shipped_settings = (f"compute_type={settings.compute_type}, "
                            f"intra_threads={settings.intra_threads}")
        tuned = argos(compute_type=engine.compute_type, intra_threads=1)
        time_a2, out_a2 = timed(lambda: [tuned.translate(t) for t in texts])

    batch_tokens = max(1, min(engine.max_batch_tokens,
                              -(-sum(map(len, tokens)) // engine.inter_threads)))

    def raw() -> list:
        return engine._translator.translate_batch(
            tokens, beam_size=engine.beam_size, num_hypotheses=1, length_penalty=LENGTH_PENALTY,
            replace_unknowns=True, return_scores=True, max_batch_size=batch_tokens,
            batch_type="tokens")

    engine.translate_batch(texts[:50])  # warm up
    time_b, _ = timed(raw, 3)
    time_c, out_c = timed(lambda: engine.translate_batch(texts), 3)

    runs = []
    for i in range(3):
        runs.append(l10n_translate(po_project(texts, _HOME / f"project{i}")))
    time_d = min(runs)
    from l10n.catalog.po.read import load

    filled = {e.msgid: e.msgstr for p in sorted((_HOME / "project0" / "locales" / "en")
                                                 .glob("*.po")) for e in load(p)}
    same_d = sum(filled[t] == c.text for t, c in zip(texts, out_c, strict=True))

    if not args.no_argos:
        scaled = "" if len(sample) == len(texts) else f", {len(sample)} timed and scaled"
        print(f"(a)  argostranslate.translate per sentence, as shipped  {time_a:8.3f} s"
              f"   ({shipped_settings}{scaled})")
        print(f"(a') the same with the engine's compute type, 1 thread  {time_a2:8.3f} s")
    print(f"(b)  raw CTranslate2 translate_batch, pre-tokenized     {time_b:8.3f} s")
    print(f"(c)  ArgosEngine.translate_batch, strings to strings     {time_c:8.3f} s")
    print(f"(d)  l10n translate over 20 PO files, fresh process      {time_d:8.3f} s"
          "   (start-up, model load, PO read/write included)")
    print(f"c/b = {time_c / time_b:.2f} (goal ≤ 1.25)   d/b = {time_d / time_b:.2f} "
          f"(goal ≤ 1.15)   (d) vs (c) identical: {same_d}/{len(texts)}")
    if not args.no_argos:
        print(f"a/c = {time_a / time_c:.1f}× (goal ≥ 5)   a'/c = {time_a2 / time_c:.1f}×   "
              f"a/d = {time_a / time_d:.1f}× (goal ≥ 5)   a'/d = {time_a2 / time_d:.1f}×")
        same = sum(a == c.text for a, c in zip(out_a, out_c, strict=False))
        same2 = sum(a == c.text for a, c in zip(out_a2, out_c, strict=True))
        print(f"identical strings: (a) vs (c) {same}/{len(out_a)}, (a') vs (c) "
              f"{same2}/{len(texts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
