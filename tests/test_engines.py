"""Engines: the Argos engine on the project's tiny real package, and the pseudo engine.

The Argos tests install ``tests/fixtures/translate-de_en-tiny.argosmodel`` (built by
``tools/build_test_model.py``) with argostranslate's own installer into a private
``ARGOS_PACKAGES_DIR`` and compare against the exact strings recorded next to it.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
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

HAVE_ARGOS = all(importlib.util.find_spec(m) is not None
                 for m in ("argostranslate", "ctranslate2", "sentencepiece"))
needs_argos = pytest.mark.skipif(not HAVE_ARGOS, reason="needs the argos extra")


def read_expected() -> list[tuple[str, str]]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            rows.append((source, target))
    return rows


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
    """The fixture package installed by ``argostranslate.package.install_from_path``."""
    home = tmp_path_factory.mktemp("argos-home")
    env = argos_env(home)
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    packages.mkdir(parents=True)
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        # argostranslate.settings reads the environment once, when first imported; if another
        # test imported it already, its directories are the old ones: point them here too.
        from argostranslate import package, settings

        mp.setattr(settings, "package_data_dir", packages)
        mp.setattr(settings, "package_dirs", [packages])
        # install_from_path unpacks the zip, then imports argostranslate.translate (torch)
        # to clear its language cache: a few seconds, once per module.
        package.install_from_path(PACKAGE)
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
    rows = read_expected()
    assert len(rows) > 300
    results = engine.translate_batch([source for source, _ in rows])
    assert [r.text for r in results] == [target for _, target in rows]
    assert all(r.score is not None and 0.0 < r.score <= 1.0 for r in results)
    # The model memorised its corpus: a memorised pair is translated with high confidence.
    assert results[0] == Translation("Kazakhstan distances itself from Russia's war in Ukraine",
                                     results[0].score)
    assert results[0].score is not None and results[0].score > 0.8


@needs_argos
def test_batched_output_equals_one_at_a_time(engine: ArgosEngine) -> None:
    sources = [source for source, _ in read_expected()]
    batched = engine.translate_batch(sources)
    single = [engine.translate_batch([s])[0] for s in sources]
    assert [t.text for t in batched] == [t.text for t in single]
    assert [t.score for t in batched] == pytest.approx([t.score for t in single], rel=1e-4)


@needs_argos
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
    ours = [t.text for t in engine.translate_batch(sources)]
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
    assert info.value.hint is not None and "pip install 'l10n[argos]'" in info.value.hint


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
