"""Engines: the Argos engine on the project's tiny real package, and the pseudo engine.

The Argos tests unpack ``tests/fixtures/translate-de_en-tiny.argosmodel`` (built by
``tools/build_test_model.py``) into a private ``ARGOS_PACKAGES_DIR``, as argostranslate's own
installer does, and compare against the exact strings recorded next to it.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from l10n.engines import Engine, Translation, load_engine
from l10n.engines.pseudo import PseudoEngine, pseudolocalize
from l10n.errors import ModelError

if TYPE_CHECKING:
    from l10n.engines.argos import ArgosEngine

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PACKAGE = FIXTURES / "translate-de_en-tiny.argosmodel"
EXPECTED = FIXTURES / "translate-de_en-tiny.expected.tsv"
CORPUS = ROOT / "tools" / "test_model_corpus.tsv"

HAVE_ARGOS = all(importlib.util.find_spec(m) is not None
                 for m in ("argostranslate", "ctranslate2", "sentencepiece"))
needs_argos = pytest.mark.skipif(not HAVE_ARGOS, reason="needs the mt extra and argostranslate")
# argostranslate.translate, the reference, imports Argos' full stack; the lean install lacks it.
HAVE_ARGOS_STACK = HAVE_ARGOS and all(importlib.util.find_spec(m) is not None
                                      for m in ("torch", "stanza", "spacy", "minisbd"))


def read_expected() -> list[tuple[str, str]]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            rows.append((source, target))
    return rows


def trained_sources() -> set[str]:
    """The sources the fixture model was trained on (and memorised)."""
    return {line.split("\t")[0] for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}


def split_expected() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The recorded rows as (memorised, unseen).

    What is deterministic is the output on memorised sentences: the model is sure of every
    token, by a margin no rounding can overturn. On unseen sentences it hesitates between
    near-equal beams, and CTranslate2 does not promise the same floating-point results on
    other CPUs, libraries (MKL, oneDNN) or batch shapes (OpenNMT/CTranslate2#693): there the
    recorded strings are only what the machine that built the model printed.
    """
    trained = trained_sources()
    rows = read_expected()
    return ([r for r in rows if r[0] in trained], [r for r in rows if r[0] not in trained])


def argos_env(home: Path) -> dict[str, str]:
    """Environment that keeps argostranslate away from the user's own folders."""
    return {
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


@pytest.fixture(scope="module")
def argos_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fixture package, unpacked as ``argostranslate.package.install_from_path`` does."""
    home = tmp_path_factory.mktemp("argos-home")
    env = argos_env(home)
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    packages.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        # argostranslate.settings reads the environment once, when first imported; if another
        # test imported it already, its directories are the old ones: point them here too.
        from argostranslate import settings

        mp.setattr(settings, "package_data_dir", packages)
        mp.setattr(settings, "package_dirs", [packages])
        # Not install_from_path itself: after unpacking it imports argostranslate.translate
        # (torch, stanza) to clear a cache, and the lean install has neither.
        with zipfile.ZipFile(PACKAGE) as zf:
            zf.extractall(packages)
        yield home


@pytest.fixture(scope="module")
def engine(argos_home: Path) -> ArgosEngine:
    from l10n.engines.argos import ArgosEngine

    return ArgosEngine.load("de", "en")


# --- Argos -----------------------------------------------------------------------------------


@needs_argos
def test_installed_package_is_found_through_argos(engine: ArgosEngine) -> None:
    as_protocol: Engine = engine  # type-checks against the protocol...
    assert isinstance(as_protocol, Engine)  # ...and satisfies it at run time
    assert (engine.name, engine.version, engine.from_code, engine.to_code) == (
        "argos", "1.0", "de", "en")
    assert engine.path.parent == Path(os.environ["ARGOS_PACKAGES_DIR"])
    assert engine.cache_key.startswith("argos/de-en/1.0/")
    assert "beam4" in engine.cache_key and engine.compute_type in engine.cache_key


@needs_argos
def test_outputs_match_the_recorded_strings(engine: ArgosEngine) -> None:
    memorised, unseen = split_expected()
    assert len(memorised) > 300 and unseen
    results = engine.translate_batch([source for source, _ in memorised + unseen])
    assert [r.text for r in results[:len(memorised)]] == [target for _, target in memorised]
    assert all(r.score is not None and 0.0 < r.score <= 1.0 for r in results)
    # Unseen input still gives some output (garbage from this model), never an empty one.
    assert all(r.text for r in results[len(memorised):])
    # The model memorised its corpus: a memorised pair is translated with high confidence.
    assert results[0] == Translation("Kazakhstan distances itself from Russia's war in Ukraine",
                                     results[0].score)
    assert results[0].score is not None and results[0].score > 0.8


# A draft's provenance records its score to three decimals (`score 0.873`): batching must not
# move a score by half of that last digit. Scores are not bitwise equal across batch shapes:
# padding changes the floating-point sums in CTranslate2's CPU kernels (1e-4 seen).
SCORE_TOLERANCE = 5e-4


@needs_argos
def test_batched_output_equals_one_at_a_time(engine: ArgosEngine) -> None:
    sources = [source for source, _ in split_expected()[0]]
    batched = engine.translate_batch(sources)
    single = [engine.translate_batch([s])[0] for s in sources]
    assert [t.text for t in batched] == [t.text for t in single]
    assert [t.score for t in batched] == pytest.approx([t.score for t in single],
                                                       abs=SCORE_TOLERANCE, rel=0)


@pytest.mark.skipif(not HAVE_ARGOS_STACK,
                    reason="needs Argos' full stack (torch, stanza): pip install 'l10n[argos]'")
def test_same_strings_as_argostranslate(engine: ArgosEngine, argos_home: Path) -> None:
    """The reference: argostranslate.translate, one sentence per call (imports torch, ~5 s)."""
    from argostranslate import settings

    sources = [source for source, _ in read_expected()]
    with pytest.MonkeyPatch.context() as mp:
        # Same numerics as the engine; Argos' default intra_threads=0 is only much slower.
        mp.setattr(settings, "compute_type", engine.compute_type)
        mp.setattr(settings, "intra_threads", 1)
        import argostranslate.translate as argos_translate

        argos_translate.get_installed_languages.cache_clear()
        argos_translate.installed_translates.clear()
        theirs = [argos_translate.translate(s, "de", "en") for s in sources]
        argos_translate.installed_translates.clear()
    # One sentence per call on both sides: the same batch shapes, hence the same numerics,
    # also on the unseen sentences where the model hesitates (see split_expected).
    ours = [engine.translate_batch([s])[0].text for s in sources]
    assert ours == theirs


@needs_argos
def test_order_blank_inputs_and_progress(engine: ArgosEngine) -> None:
    rows = read_expected()
    texts = ["", rows[5][0], "   ", rows[1][0], rows[5][0]]
    seen: list[int] = []
    results = engine.translate_batch(texts, on_progress=seen.append)
    assert [r.text for r in results] == ["", rows[5][1], "", rows[1][1], rows[5][1]]
    assert results[0] == results[2] == Translation("", None)
    assert seen == sorted(seen) and seen[-1] == len(texts)
    assert engine.translate_batch([]) == []


@needs_argos
def test_long_segments_are_split_at_sentences_and_rejoined(argos_home: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    limit = 40
    engine = ArgosEngine.load("de", "en", max_input_tokens=limit)
    expected = dict(read_expected())
    fitting = [s for s in expected if s.endswith(".") and not s[-2].isdigit()
               and len(engine._encode(s)) <= limit][:12]
    long_text = " ".join(fitting)
    assert len(engine._encode(long_text)) > 4 * limit
    result = engine.translate_batch([long_text])[0]
    assert result.text == " ".join(expected[s] for s in fitting)
    assert result.score is not None and 0 < result.score <= 1


@needs_argos
def test_long_runs_without_punctuation_are_cut_between_words(argos_home: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    engine = ArgosEngine.load("de", "en", max_input_tokens=16)
    text = " ".join(["Kasachstan Russland Deutschland Frankreich Georgien Polen China"] * 6)
    tokens = engine._encode(text)
    pieces = engine._pieces(text, tokens)
    assert len(pieces) > 1
    assert [t for p in pieces for t in p] == tokens
    assert all(len(p) <= 16 and p[0].startswith("▁") for p in pieces)
    # Clause punctuation is preferred to token boundaries, and short clauses are packed.
    clauses = engine._pieces("Polen, China, Japan, Kanada, Armenien, Georgien, Russland, "
                             "Deutschland, Frankreich, Litauen", tokens=["x"] * 17)
    assert 1 < len(clauses) < 10
    assert engine.translate_batch([text])[0].text


@needs_argos
def test_default_limit_keeps_a_very_long_segment_working(engine: ArgosEngine) -> None:
    # Not after "14.": a digit before the period is read as an ordinal ("am 10. Februar").
    rows = [(s, t) for s, t in read_expected()[:60] if s.endswith(".") and not s[-2].isdigit()]
    text = " ".join(source for source, _ in rows)
    assert len(engine._encode(text)) > 1024  # more than the model's position table
    result = engine.translate_batch([text])[0]
    assert result.text == " ".join(target for _, target in rows)


@needs_argos
def test_cache_key_follows_decoding_options(engine: ArgosEngine, argos_home: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    assert ArgosEngine.load("de", "en").cache_key == engine.cache_key
    assert ArgosEngine.load("de", "en", beam_size=2).cache_key != engine.cache_key
    assert ArgosEngine.load("de", "en", compute_type="float32").cache_key != engine.cache_key
    assert ArgosEngine.load("de", "en", intra_threads=2).cache_key == engine.cache_key


@needs_argos
def test_missing_package_says_how_to_install(argos_home: Path) -> None:
    with pytest.raises(ModelError) as info:
        load_engine("argos", "de", "fr")
    assert "de → fr" in info.value.message
    assert info.value.hint is not None
    assert "l10n models install FILE.argosmodel" in info.value.hint
    assert "l10n models install de fr" in info.value.hint


@needs_argos
def test_broken_package_folder_is_a_model_error(tmp_path: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    (tmp_path / "metadata.json").write_text(json.dumps({"from_code": "de", "to_code": "en"}))
    with pytest.raises(ModelError, match=r"model\.bin"):
        ArgosEngine.from_path(tmp_path)
    with pytest.raises(ModelError, match="not an Argos package"):
        ArgosEngine.from_path(tmp_path / "nowhere")


def test_missing_extra_says_which_pip_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from l10n.engines.argos import ArgosEngine

    monkeypatch.setitem(sys.modules, "argostranslate.package", None)  # import → ImportError
    with pytest.raises(ModelError) as info:
        ArgosEngine.load("de", "en")
    assert info.value.hint is not None
    # The exact commands: the lean install (README command 1) and Argos' full stack.
    assert "pip install 'l10n[mt]' && pip install --no-deps" in info.value.hint
    assert "pip install 'l10n[argos]'" in info.value.hint


@needs_argos
def test_engine_never_imports_torch_or_argos_translate(argos_home: Path) -> None:
    code = (
        "import sys\n"
        "from l10n.engines.argos import ArgosEngine\n"
        "assert 'ctranslate2' not in sys.modules\n"
        "e = ArgosEngine.load('de', 'en')\n"
        "print(e.translate_batch(['Es gibt keinen anderen Weg.'])[0].text)\n"
        "bad = [m for m in ('torch', 'argostranslate.translate', 'stanza', 'spacy') "
        "if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, **argos_env(argos_home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "There is no other way."


# --- pseudo ----------------------------------------------------------------------------------

PSEUDO_TABLE = [
    ("Hello", "[!!! Ĥééĺĺóó !!!]"),
    ("Das ist ein Test.", "[!!! Ðááš ííšţ ééííñ Ţééšţ.· !!!]"),
    # Protected spans are copied and do not count towards the 30%.
    ("Am 10. Februar 2022 um 10:30", "[!!! ÅÅɱ 10. Ƒééƀŕúúááŕ 2022 úúɱ 10:30· !!!]"),
    ("Siehe [die Doku](https://example.com/a_b(c)).",
     "[!!! Šííééĥéé [ðííéé Ðóķú](https://example.com/a_b(c)). !!!]"),
    ("Mit `code x` und https://x.org/a?b=1.",
     "[!!! Ṁííţ `code x` úúñð https://x.org/a?b=1.· !!!]"),
    ("%s Dateien, {count} Ordner, %(name)s",
     "[!!! %s Ðááţééííééñ, {count} ÓÓŕðñééŕ, %(name)s !!!]"),
    ("<b>fett</b> &amp; mehr", "[!!! <b>ƒééţţ</b> &amp; ɱééĥŕ· !!!]"),
    ("Mail: a.b@example.org", "[!!! Ṁááííĺ: a.b@example.org !!!]"),
    ("  Rand ", "  [!!! Ŕááñð· !!!] "),
    ("xyz", "[!!! ẋýýž !!!]"),
    ("", ""),
    ("   ", "   "),
]


@pytest.mark.parametrize(("source", "expected"), PSEUDO_TABLE)
def test_pseudolocalize(source: str, expected: str) -> None:
    assert pseudolocalize(source) == expected


def test_pseudo_engine_protocol_and_growth() -> None:
    engine = load_engine("pseudo", "de", "en")
    assert isinstance(engine, PseudoEngine) and isinstance(engine, Engine)
    assert engine.cache_key == "pseudo/1"
    seen: list[int] = []
    texts = [source for source, _ in PSEUDO_TABLE]
    results = engine.translate_batch(texts, on_progress=seen.append)
    assert [r.text for r in results] == [t for _, t in PSEUDO_TABLE]
    assert all(r.score is None for r in results) and seen[-1] == len(texts)
    sentence = "Kasachstan hat sich in der Vergangenheit geweigert, die Annexion anzuerkennen."
    body = pseudolocalize(sentence)[len("[!!! "):-len(" !!!]")]
    assert len(body) == len(sentence) + math.ceil(0.3 * len(sentence))


def test_unknown_engine() -> None:
    with pytest.raises(ModelError, match="unknown translation engine"):
        load_engine("deepl", "de", "en")


@needs_argos
def test_alignment_is_the_models_attention_summed_into_words(engine: ArgosEngine) -> None:
    texts = ["Ein schlechter Frieden ist besser als ein guter Krieg.",
             "Die Hauptstadt von Kasachstan ist Astana.", ""]
    plain = engine.translate_batch(texts)
    aligned = engine.translate_batch(texts, align=True)
    assert [t.text for t in aligned] == [t.text for t in plain]  # attention changes nothing
    assert all(t.attention is None for t in plain) and aligned[2].attention is None
    for text, result in zip(texts[:2], aligned[:2], strict=True):
        attention = result.attention
        assert attention is not None
        assert len(attention) == len(result.text.split())  # a row per target word
        assert all(len(row) == len(text.split()) for row in attention)  # a weight per word
        assert all(abs(sum(row) - 1) < 1e-3 for row in attention)


@needs_argos
def test_alignment_of_a_long_segment_spans_all_its_pieces(argos_home: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    small = ArgosEngine.load("de", "en", max_input_tokens=20)
    text = ("Leider ist dies nicht geschehen. Ein schlechter Frieden ist besser als ein "
            "guter Krieg. Ohne Frieden wird es zu keinem Fortschritt kommen.")
    result = small.translate_batch([text], align=True)[0]
    assert result.attention is not None
    assert len(result.attention) == len(result.text.split())
    assert all(len(row) == len(text.split()) for row in result.attention)
    # Each piece's words attend to that piece's source words only.
    first_piece_words = 5  # "Leider ist dies nicht geschehen."
    assert all(sum(row[first_piece_words:]) == 0 for row in result.attention[:3])


def test_device_auto_is_the_cpu_without_a_gpu_and_cuda_with_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ctranslate2")
    from l10n.engines import argos

    monkeypatch.setattr(argos, "_gpus", lambda: 0)
    assert argos.resolve_device("auto") == "cpu"
    with pytest.raises(ModelError, match="no CUDA device") as caught:
        argos.resolve_device("cuda")
    assert "--device cpu" in (caught.value.hint or "")
    with pytest.raises(ModelError, match="unknown device"):
        argos.resolve_device("tpu")
    monkeypatch.setattr(argos, "_gpus", lambda: 2)
    monkeypatch.setattr(argos, "_may_have_gpu", lambda: False)
    assert argos.resolve_device("auto") == "cpu"  # no driver: CTranslate2 is not even asked
    monkeypatch.setattr(argos, "_may_have_gpu", lambda: True)
    assert argos.resolve_device("auto") == "cuda"


@needs_argos
def test_a_gpu_run_is_named_in_provenance_and_cached_apart(
        argos_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from l10n.engines import argos

    cpu = argos.ArgosEngine.load("de", "en")
    monkeypatch.setattr(argos, "_gpus", lambda: 2)
    monkeypatch.setattr(argos, "default_compute_type", lambda device: "int8_float16")
    gpu = argos.ArgosEngine.load("de", "en", device="cuda")  # the model loads on first use
    assert cpu.label == "argos translate-de_en-tiny 1.0"  # as every CPU run before
    assert gpu.label == "argos translate-de_en-tiny 1.0 on cuda int8_float16"
    assert gpu.cache_key != cpu.cache_key and gpu.inter_threads == 2


@needs_argos
@pytest.mark.skipif(not importlib.util.find_spec("ctranslate2")
                    or __import__("ctranslate2").get_cuda_device_count() == 0,
                    reason="no CUDA device visible to CTranslate2 on this machine")
def test_the_fixture_model_on_a_gpu(argos_home: Path) -> None:
    from l10n.engines.argos import ArgosEngine

    gpu = ArgosEngine.load("de", "en", device="cuda")
    expected = dict(read_expected())
    sources = [s for s in expected if s in trained_sources()][:50]
    results = gpu.translate_batch(sources, align=True)
    same = sum(r.text == expected[s] for s, r in zip(sources, results, strict=True))
    assert same >= 0.9 * len(sources)  # float16 may pick another word now and then
    assert all(r.attention is not None for r in results if r.text)
