"""Argos Translate packages, run with CTranslate2 directly.

``argostranslate.translate`` imports torch, stanza, spaCy and onnxruntime (~2.8 s), splits
text into sentences with models it downloads at run time, and translates one paragraph at a
time. l10n already has sentences, so this engine only borrows the package: it finds it with
``argostranslate.package`` (light), tokenizes with the package's own tokenizer objects, and
calls ``ctranslate2.Translator.translate_batch`` on the package's ``model/`` with Argos'
decoding options — many segments per call, sorted by length. For one-sentence inputs the
strings are the same as ``argostranslate.translate``'s (tests/test_engines.py checks it).

Install it as README command 1 does: ``pip install 'l10n[mt]'`` then ``pip install --no-deps
argostranslate`` (see :data:`l10n.engines.MT_INSTALL_HINT`).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from l10n.argos.versions import version_key
from l10n.engines import DEVICES, MT_INSTALL_HINT, ProgressCallback, Translation
from l10n.errors import ModelError
from l10n.markup.align import Matrix, starts_word, word_matrix

__all__ = ["ArgosEngine"]

INSTALL_HINT = (
    "install a package with `l10n models install FILE.argosmodel` (offline) "
    "or `l10n models install {src} {tgt}` (downloads from the Argos package index)"
)

# Argos' own decoding options (argostranslate.translate.apply_packaged_translation, 1.9–1.11).
BEAM_SIZE = 4
LENGTH_PENALTY = 0.2

# Chosen by measurement on the 2-core machine, both sweeps in bench/translate_engine.py
# (beam 4, best of 2-3 runs; the machine was shared, so treat ±15% as noise).
# Tiny fixture, 2,000 sentences / 88,678 tokens in one call (--sweep):
#   compute type (inter 1, intra 1)  int8 3.64 s, int8_float32 3.63, int16 4.38, float32 3.76
#   intra_threads 2 or 0 (= Argos' default)                 26.1 s, 26.3 s   (7× slower)
#   inter_threads 2, intra 1                                1.86 s           (2× faster)
#   max_batch_size with 2 workers  512: 1.71 s, 1024: 1.75, 2048: 1.79, 4096: 1.94, 8192: 2.25
# Random model of Argos' size (6+6 layers, d_model 512, 32k vocabulary), 128 × 30 tokens
# (--sweep-base):
#   int8 8.05 s, int16 11.75, float32 13.45 (inter 1, intra 1); int8 with intra 2: 5.40,
#   intra 0: 5.67, inter 2 + intra 1: 4.34
# So: int8 (what Argos ships its weights in, nothing re-quantized), one thread per worker
# (more intra threads spin-wait, badly so on a busy machine and a small model) and one
# worker per core, fed by one asynchronous call so that both stay busy.
DEFAULT_COMPUTE_TYPE = "int8"
DEFAULT_INTRA_THREADS = 1
DEFAULT_MAX_BATCH_TOKENS = 2048  # per batch; smaller jobs are split evenly over the workers
# Segments whose input is longer are translated in pieces. Argos models are trained on
# sentences, and CTranslate2 stops every output at max_decoding_length=256 tokens (Argos'
# default, kept for identical output): a 200-token piece leaves room for its translation.
DEFAULT_MAX_INPUT_TOKENS = 200
# Bump when this module's pre/post-processing changes what a given model outputs.
ENGINE_REVISION = "1"

# Where a too-long segment may be cut, strongest first: after a sentence end (not after a
# digit: "am 10. Februar"), then after clause punctuation. Closing quotes/brackets stay left.
_CLOSERS = re.escape("\"'“”‘’»«)]")
_SENTENCE_END = re.compile(rf"(?<=[^\d\s])[.!?…]+[{_CLOSERS}]*(?=\s)")
_CLAUSE_END = re.compile(rf"[;:,–—][{_CLOSERS}]*(?=\s)")


def _cut_after(pattern: re.Pattern[str], text: str) -> list[str]:
    """`text` cut after each match of `pattern`, pieces stripped, empty ones dropped."""
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _import(module: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as exc:
        raise ModelError(f"Argos Translate support is not installed ({exc.name} is missing)",
                         hint=MT_INSTALL_HINT) from exc


class ArgosEngine:
    """Translates with one installed Argos package (see :mod:`l10n.engines`)."""

    name = "argos"
    #: CTranslate2 translates outside the interpreter: catalogs can be written meanwhile.
    native = True
    keeps_markup = False

    def __init__(self, package: Any, translator: Callable[[], Any], *, inter_threads: int,
                 compute_type: str, beam_size: int, max_input_tokens: int,
                 max_batch_tokens: int, device: str = "cpu") -> None:
        # Use ArgosEngine.load() or ArgosEngine.from_path(). `translator` makes the
        # CTranslate2 translator on first use: a run answered from the cache never loads it.
        self.package = package
        self.path = Path(package.package_path)
        self.from_code: str = package.from_code
        self.to_code: str = package.to_code
        self.version: str = str(package.package_version or "0")
        self.device = device
        self.compute_type = compute_type
        # Provenance and the cache key name the device only off the CPU: CPU int8 output
        # is what every earlier run produced; a GPU's kernels may choose other words.
        on = "" if device == "cpu" else f" on {device} {compute_type}"
        self.label = f"argos {self.path.name} {self.version}{on}"
        self.beam_size = beam_size
        self.max_input_tokens = max_input_tokens
        self.max_batch_tokens = max_batch_tokens
        self.inter_threads = inter_threads
        self._make_translator = translator
        self._tokenizer = package.tokenizer
        self._target_prefix: str = package.target_prefix or ""
        # Argos' tokenizers: SentencePiece pieces start a word with "▁"; BPE ones continue
        # a word with a trailing "@@". Used only to cut overlong token runs between words.
        self._bpe = type(self._tokenizer).__name__ == "BPETokenizer"

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, from_code: str, to_code: str, *, device: str = "cpu",
             compute_type: str | None = None,
             beam_size: int = BEAM_SIZE, intra_threads: int = DEFAULT_INTRA_THREADS,
             inter_threads: int | None = None,
             max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
             max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS) -> ArgosEngine:
        """The installed package for `from_code` → `to_code` (highest version wins).

        Packages are looked up where Argos installs them (``ARGOS_PACKAGES_DIR``, read when
        ``argostranslate.settings`` is first imported).
        """
        package_mod = _import("argostranslate.package")
        settings = _import("argostranslate.settings")
        try:
            installed = package_mod.get_installed_packages()
        except (OSError, ValueError) as exc:  # a package folder without a readable metadata.json
            raise ModelError(f"cannot read the installed Argos packages: {exc}",
                             path=settings.package_data_dir,
                             hint="remove or reinstall the broken package folder") from exc
        matches = [p for p in installed if getattr(p, "type", "translate") == "translate"
                   and p.from_code == from_code and p.to_code == to_code]
        if not matches:
            raise ModelError(f"no Argos package for {from_code} → {to_code} is installed",
                             path=settings.package_data_dir,
                             hint=INSTALL_HINT.format(src=from_code, tgt=to_code))
        best = max(matches, key=lambda p: (version_key(p.package_version), str(p.package_path)))
        return cls._open(best, device=device, compute_type=compute_type, beam_size=beam_size,
                         intra_threads=intra_threads, inter_threads=inter_threads,
                         max_input_tokens=max_input_tokens, max_batch_tokens=max_batch_tokens)

    @classmethod
    def from_path(cls, package_dir: Path | str, *, device: str = "cpu",
                  compute_type: str | None = None,
                  beam_size: int = BEAM_SIZE, intra_threads: int = DEFAULT_INTRA_THREADS,
                  inter_threads: int | None = None,
                  max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
                  max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS) -> ArgosEngine:
        """An unpacked package folder (the one holding ``metadata.json``), installed or not."""
        package_mod = _import("argostranslate.package")
        package_dir = Path(package_dir)
        try:
            package = package_mod.Package(package_dir)
        except (OSError, ValueError) as exc:
            raise ModelError(f"not an Argos package: {exc}", path=package_dir) from exc
        return cls._open(package, device=device, compute_type=compute_type,
                         beam_size=beam_size,
                         intra_threads=intra_threads, inter_threads=inter_threads,
                         max_input_tokens=max_input_tokens, max_batch_tokens=max_batch_tokens)

    @classmethod
    def _open(cls, package: Any, *, device: str, compute_type: str | None, beam_size: int,
              intra_threads: int, inter_threads: int | None, max_input_tokens: int,
              max_batch_tokens: int) -> ArgosEngine:
        path = Path(package.package_path)
        model_dir = path / "model"
        if not (model_dir / "model.bin").is_file():
            raise ModelError("the Argos package has no CTranslate2 model (model/model.bin)",
                             path=path, hint="reinstall the package")
        if getattr(package, "tokenizer", None) is None:
            raise ModelError("the Argos package has no sentencepiece.model or bpe.model",
                             path=path, hint="reinstall the package")
        if max_input_tokens < 1 or max_batch_tokens < 1 or beam_size < 1:
            raise ValueError("beam_size, max_input_tokens and max_batch_tokens must be ≥ 1")
        device = resolve_device(device)
        compute_type = compute_type or default_compute_type(device)
        gpus = _gpus() if device == "cuda" else 0
        # On CUDA one replica per GPU (CTranslate2's device_index); on CPU one per core.
        workers = inter_threads if inter_threads is not None else (gpus or default_workers())

        def translator() -> Any:
            ctranslate2 = _import("ctranslate2")
            placement: dict[str, Any] = {"device": device}
            if device == "cuda":
                placement["device_index"] = list(range(gpus))
            try:
                return ctranslate2.Translator(
                    str(model_dir), compute_type=compute_type, **placement,
                    inter_threads=1 if device == "cuda" else workers,
                    intra_threads=intra_threads,
                    # Unbounded: `submit` must return at once, not when the workers have
                    # taken most of its batches, so that the next batch can be submitted
                    # while this one runs. A run submits one group ahead at most.
                    max_queued_batches=-1)
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"cannot load the CTranslate2 model: {exc}", path=model_dir,
                                 hint="reinstall the package") from exc

        return cls(package, translator, inter_threads=workers, compute_type=compute_type,
                   beam_size=beam_size, max_input_tokens=max_input_tokens,
                   max_batch_tokens=max_batch_tokens, device=device)

    @cached_property
    def _translator(self) -> Any:
        return self._make_translator()

    @cached_property
    def cache_key(self) -> str:
        """Package, a fingerprint of its model and tokenizer files, and the decoding options."""
        digest = hashlib.sha256()
        files = [self.path / "metadata.json", *sorted((self.path / "model").iterdir()),
                 self.path / "sentencepiece.model", self.path / "bpe.model"]
        for f in files:
            if f.is_file():
                digest.update(f.name.encode() + b"\0")
                with f.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        digest.update(block)
        return (f"argos/{self.from_code}-{self.to_code}/{self.version}/"
                f"{digest.hexdigest()[:16]}/beam{self.beam_size}-lp{LENGTH_PENALTY}-"
                f"{self.compute_type}-max{self.max_input_tokens}-r{ENGINE_REVISION}"
                f"{'' if self.device == 'cpu' else '-' + self.device}")

    @property
    def settings(self) -> dict[str, Any]:
        """The keyword arguments of `from_path` that open this package as this engine runs
        it (a Ray actor opens it so, with its own thread count)."""
        return {"device": self.device, "compute_type": self.compute_type,
                "beam_size": self.beam_size, "max_input_tokens": self.max_input_tokens,
                "max_batch_tokens": self.max_batch_tokens}

    def __repr__(self) -> str:
        return f"ArgosEngine({self.from_code}→{self.to_code} {self.version}, {self.path})"

    # --- translating -----------------------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], *,
                        on_progress: ProgressCallback | None = None,
                        align: bool = False) -> list[Translation]:
        """Translate `texts` (one sentence each, ideally) in as few CTranslate2 calls as fit.

        Empty or blank texts give ``Translation("", None)``, as in Argos. A text longer than
        ``max_input_tokens`` is cut at sentence or clause punctuation (else between words),
        its pieces translated and joined with spaces; its score is over all pieces. With
        `align`, each translation carries the model's attention summed into words.
        """
        return self.submit(texts, align=align).result(on_progress)

    def submit(self, texts: Sequence[str], *, align: bool = False) -> Submitted:
        """`translate_batch` in two halves: this one tokenizes `texts` and hands them to
        CTranslate2, which translates them in its own threads; `result()` waits for them.
        Meanwhile the caller may do other work, such as submitting the next batch (the
        workers then go on with it without pause) or writing finished catalogs."""
        owner: list[int] = []  # unit → index of its text
        units: list[list[str]] = []  # token lists sent to the model
        for i, text in enumerate(texts):
            tokens = self._encode(text) if text.strip() else []
            if tokens:
                for piece in self._pieces(text, tokens):
                    owner.append(i)
                    units.append(piece)
        # Longest first: CTranslate2 cuts the list into batches of neighbours, so similar
        # lengths waste no padding. One asynchronous call keeps every worker busy to the end.
        order = sorted(range(len(units)), key=lambda u: -len(units[u]))
        pending = self._translate([units[u] for u in order], align=align) if order else []
        return Submitted(self, texts, owner, units, order, pending, align)

    def _encode(self, text: str) -> list[str]:
        return list(self._tokenizer.encode(text))

    def _translate(self, batch: list[list[str]], *, align: bool = False) -> list[Any]:
        """Post `batch` to CTranslate2; returns one future per input."""
        prefix = [[self._target_prefix]] * len(batch) if self._target_prefix else None
        # Small jobs still get one batch per worker; large ones batches of max_batch_tokens.
        total = sum(len(tokens) for tokens in batch)
        batch_tokens = max(1, min(self.max_batch_tokens, -(-total // self.inter_threads)))
        return self._translator.translate_batch(
            batch,
            target_prefix=prefix,
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
            replace_unknowns=True,
            return_scores=True,
            return_attention=align,
            max_batch_size=batch_tokens,
            batch_type="tokens",
            asynchronous=True,
        )

    def _decode(self, result: Any, source: list[str] | None = None) -> _Decoded:
        """The best hypothesis, post-processed as Argos; with its `source` tokens given, its
        attention summed into words."""
        tokens = result.hypotheses[0]
        value = self._tokenizer.decode(tokens)
        if self._target_prefix and value.startswith(self._target_prefix):
            value = value[len(self._target_prefix):]
        if value.startswith(" "):  # the tokenizer's word-start marker on the first word
            value = value[1:]
        # CTranslate2's score is log P / length**length_penalty, the length counting the
        # end-of-sentence token; undo the penalty to get log P over that same length.
        length = len(tokens) + 1
        attention = None
        if source is not None and result.attention:
            skip = 1 if self._target_prefix and tokens and tokens[0] == self._target_prefix \
                else 0
            attention = word_matrix(result.attention[0][skip:], source, tokens[skip:],
                                    bpe=self._bpe)
        return _Decoded(value, result.scores[0] * length**LENGTH_PENALTY, length, attention)

    # --- long segments ---------------------------------------------------------------------

    def _pieces(self, text: str, tokens: list[str]) -> list[list[str]]:
        """Token lists of at most max_input_tokens that together cover `text`."""
        if len(tokens) <= self.max_input_tokens:
            return [tokens]
        sentences = _cut_after(_SENTENCE_END, text)
        if len(sentences) > 1:
            # Whole sentences are what Argos models are trained on: one piece each.
            return [p for s in sentences for p in self._pieces(s, self._encode(s))]
        clauses = _cut_after(_CLAUSE_END, text)
        if len(clauses) > 1:
            # Clauses alone can be fragments: pack neighbours greedily up to the limit.
            pieces: list[list[str]] = []
            current = ""
            for clause in clauses:
                joined = f"{current} {clause}" if current else clause
                if current and len(self._encode(joined)) > self.max_input_tokens:
                    pieces.extend(self._pieces(current, self._encode(current)))
                    current = clause
                else:
                    current = joined
            pieces.extend(self._pieces(current, self._encode(current)))
            return pieces
        return self._chunk_tokens(tokens)

    def _chunk_tokens(self, tokens: list[str]) -> list[list[str]]:
        """Cut a run of tokens without usable punctuation, between words where possible."""
        limit = self.max_input_tokens
        chunks, start = [], 0
        while len(tokens) - start > limit:
            end = start + limit
            cut = next((j for j in range(end, start, -1)
                        if starts_word(tokens, j, bpe=self._bpe)), end)
            chunks.append(tokens[start:cut])
            start = cut
        chunks.append(tokens[start:])
        return chunks


class Submitted:
    """Texts that CTranslate2 is translating (`ArgosEngine.submit`)."""

    def __init__(self, engine: ArgosEngine, texts: Sequence[str], owner: list[int],
                 units: list[list[str]], order: list[int], pending: list[Any],
                 align: bool) -> None:
        self._engine, self._texts, self._owner, self._units = engine, texts, owner, units
        self._order, self._pending, self._align = order, pending, align

    def result(self, on_progress: ProgressCallback | None = None) -> list[Translation]:
        """The translations, in input order, once all are done. Results are collected in
        the order they were submitted, which is when progress can be told."""
        engine, texts, owner, units, align = (self._engine, self._texts, self._owner,
                                              self._units, self._align)
        left = [0] * len(texts)
        for i in owner:
            left[i] += 1
        done = sum(1 for n in left if n == 0)
        if on_progress is not None and done:
            on_progress(done)
        decoded: list[_Decoded] = [_Decoded("", 0.0, 0)] * len(units)
        for u, future in zip(self._order, self._pending, strict=True):
            decoded[u] = engine._decode(future.result(), units[u] if align else None)
            left[owner[u]] -= 1
            if left[owner[u]] == 0:
                done += 1
                if on_progress is not None:
                    on_progress(done)

        parts: list[list[_Decoded]] = [[] for _ in texts]
        for u, i in enumerate(owner):  # units were appended in text order, pieces in order
            parts[i].append(decoded[u])
        out = []
        for text, pieces in zip(texts, parts, strict=True):
            if not pieces:
                out.append(Translation("", None))
                continue
            logprob = sum(p.logprob for p in pieces)
            length = sum(p.length for p in pieces)
            joined = " ".join(p.text for p in pieces)
            out.append(Translation(joined, min(1.0, math.exp(logprob / length)),
                                   _joined_attention(text, joined, pieces) if align else None))
        return out


@dataclass(frozen=True, slots=True)
class _Decoded:
    text: str
    logprob: float
    length: int  # output tokens, end of sentence included
    attention: Matrix | None = None


def _joined_attention(text: str, joined: str, pieces: list[_Decoded]) -> Matrix | None:
    """The pieces' word attention as one matrix over the whole text, or None where the
    pieces' words are not the text's words (a piece cut inside a word)."""
    if any(p.attention is None for p in pieces):
        return None
    n_src = len(text.split())
    rows: list[tuple[float, ...]] = []
    offset = 0
    for piece in pieces:
        assert piece.attention is not None
        width = len(piece.attention[0]) if piece.attention else 0
        for row in piece.attention:
            rows.append((0.0,) * offset + row + (0.0,) * (n_src - offset - width))
        offset += width
    if offset != n_src or len(rows) != len(joined.split()):
        return None
    return tuple(rows)


# First supported wins: int8 weights as Argos ships them, with float16 activations on GPUs
# that have them (compute capability ≥ 7.0), else what the GPU has.
_CUDA_COMPUTE_TYPES = ("int8_float16", "int8_bfloat16", "float16", "int8_float32", "float32")


def _may_have_gpu() -> bool:
    """False where no NVIDIA driver can be (Linux without /dev/nvidia*); elsewhere only
    CTranslate2 can tell."""
    if not sys.platform.startswith("linux"):
        return True
    return any(Path("/dev").glob("nvidia[0-9]*"))


def _gpus() -> int:
    return int(_import("ctranslate2").get_cuda_device_count())


def resolve_device(device: str) -> str:
    """"cpu" or "cuda" for `device` ("auto": CUDA where CTranslate2 sees a GPU)."""
    if device not in DEVICES:
        raise ModelError(f"unknown device {device!r}", hint=f"use one of: {', '.join(DEVICES)}")
    if device == "cpu":
        return device
    if device == "auto" and not _may_have_gpu():
        return "cpu"  # without importing CTranslate2: a run the cache answers never needs it
    gpus = _gpus()
    if device == "auto":
        return "cuda" if gpus else "cpu"
    if not gpus:
        raise ModelError("no CUDA device is visible to CTranslate2",
                         hint="use --device cpu (or auto); check nvidia-smi, "
                         "CUDA_VISIBLE_DEVICES and that the installed ctranslate2 wheel "
                         "has CUDA (the PyPI wheels for Linux do)")
    return device


def default_compute_type(device: str) -> str:
    if device == "cpu":
        return DEFAULT_COMPUTE_TYPE
    supported = _import("ctranslate2").get_supported_compute_types(device)
    return next((t for t in _CUDA_COMPUTE_TYPES if t in supported), "float32")


def default_workers() -> int:
    """CTranslate2 workers (inter_threads): one per usable core, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))
