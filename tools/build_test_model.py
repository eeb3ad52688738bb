"""Build the tiny German→English Argos package that the tests and benchmarks run on.

Real Argos packages cannot be downloaded on the machines this project is built on, so the
project makes its own: a shared SentencePiece model (800 pieces) and a ~350k-parameter
Transformer, trained in plain torch on the sentence pairs in ``tools/test_model_corpus.tsv``
until greedy and beam search reproduce every pair, converted with
``ctranslate2.specs.TransformerSpec`` and packed as a real ``.argosmodel`` zip (~0.8 MB).
The corpus includes the seed article's reference translation (``tests/data/seed_en.tsv``)
on purpose, sentences of up to 41 words / 103 pieces, so that the README's demo
(``l10n models install`` this package, then ``l10n run``) gives a clean edition. The
package also ships a MiniSBD sentence splitter (a tiny ONNX graph written here) so that
``argostranslate.translate`` runs on it offline.

Writes ``tests/fixtures/translate-de_en-tiny.argosmodel`` and
``tests/fixtures/translate-de_en-tiny.expected.tsv`` (every source → the exact output of
``l10n.engines.argos.ArgosEngine``). Needs the ``build-model`` extra (torch) plus ``argos``::

    python tools/build_test_model.py            # ~1.5 minutes on 2 cores

Everything is seeded and single-threaded so that a rebuild on the same kind of machine gives
the same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import shutil
import struct
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tools" / "test_model_corpus.tsv"
FIXTURES = ROOT / "tests" / "fixtures"
PACKAGE_NAME = "translate-de_en-tiny"
SEED = 20261

# Sentences that are not in the corpus: recombinations the model may get right, plus inputs
# it cannot know (an unknown character exercises replace_unknowns), so that the expected file
# also pins the engine's behaviour off the training set.
UNSEEN = [
    "Der Präsident von Kanada besuchte am 4. Mai Japan.",
    "Ungarn lehnt die Forderung von Schweden ab.",
    "Die Regierung von Finnland hat 12 Millionen Euro bereitgestellt.",
    "Kasachstan und Russland sind Nachbarländer.",
    "Die Regierung trat am Montag zurück.",
    "Der Präsident besuchte Moskau.",
    "Die Katze schläft auf dem Sofa.",
    "Der Minister besuchte Zürich ★.",
]


@dataclass(frozen=True)
class Hyper:
    """Model and training settings; sized for ~350k parameters and a short CPU run."""

    d_model: int = 64
    heads: int = 4
    ffn: int = 192
    layers: int = 3
    positions: int = 1024  # ≥ 1024: a runaway beam or a long input must not index past it
    # 800 pieces (SentencePiece allows ≤ ~1,050 on this corpus): the seed article's longest
    # sentence is 103 pieces instead of 197 with 250, which is what lets this small a model
    # memorise it, and in half the time. A bigger model (d_model 96, ffn 384: 880k
    # parameters) did worse under beam search, not better.
    vocab: int = 800
    dropout: float = 0.05
    label_smoothing: float = 0.02
    lr: float = 3e-3
    # Per epoch: the tail of memorising needs small steps. With 0.99 greedy search reproduced
    # every pair but beam 4 kept trading 1-8 of them back and forth (321-328 of 329).
    lr_decay: float = 0.98
    hard_repeats: int = 3  # extra copies per epoch of pairs the last check got wrong
    batch_tokens: int = 1200
    max_epochs: int = 150  # on this corpus every pair is reproduced at epoch 90 (early stop)
    check_every: int = 10
    ln_eps: float = 1e-6


def read_corpus(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        de, en = line.split("\t")
        pairs.append((de, en))
    return pairs


# --- SentencePiece -------------------------------------------------------------------------


def train_sentencepiece(pairs: list[tuple[str, str]], workdir: Path, vocab: int) -> Path:
    import sentencepiece as spm

    lines = [text for pair in pairs for text in pair]
    model = io.BytesIO()
    # From an iterator into memory: a file input would record its temporary path in the model.
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab,
        model_type="unigram",
        character_coverage=1.0,  # keep „ “ ß ä … as pieces instead of <unk>
        num_threads=1,
        input_sentence_size=0,  # no sampling: deterministic
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    path = workdir / "sentencepiece.model"
    path.write_bytes(model.getvalue())
    return path


# --- the model, written to mirror CTranslate2's pre-norm TransformerSpec exactly -------------


def build_torch_model(hp: Hyper, vocab: int):
    import torch
    import torch.nn.functional as F
    from torch import nn

    def sinusoids(n: int, d: int) -> torch.Tensor:
        pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * -(math.log(10000.0) / d))
        pe = torch.zeros(n, d)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        return pe

    class Attention(nn.Module):
        def __init__(self, self_attention: bool) -> None:
            super().__init__()
            d = hp.d_model
            self.self_attention = self_attention
            self.norm = nn.LayerNorm(d, eps=hp.ln_eps)
            if self_attention:
                self.qkv = nn.Linear(d, 3 * d)
            else:
                self.q = nn.Linear(d, d)
                self.kv = nn.Linear(d, 2 * d)
            self.out = nn.Linear(d, d)

        def forward(self, x, memory=None, mask=None, causal=False):
            b, t, d = x.shape
            h = self.norm(x)
            if self.self_attention:
                q, k, v = self.qkv(h).split(d, dim=-1)
            else:
                q = self.q(h)
                k, v = self.kv(memory).split(d, dim=-1)

            def heads(z):
                return z.view(b, -1, hp.heads, d // hp.heads).transpose(1, 2)

            a = F.scaled_dot_product_attention(
                heads(q), heads(k), heads(v), attn_mask=mask, is_causal=causal,
                dropout_p=hp.dropout if self.training else 0.0,
            )
            a = a.transpose(1, 2).reshape(b, t, d)
            return x + F.dropout(self.out(a), hp.dropout, self.training)

    class FeedForward(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(hp.d_model, eps=hp.ln_eps)
            self.w1 = nn.Linear(hp.d_model, hp.ffn)
            self.w2 = nn.Linear(hp.ffn, hp.d_model)

        def forward(self, x):
            h = self.w2(F.relu(self.w1(self.norm(x))))
            return x + F.dropout(h, hp.dropout, self.training)

    class Seq2Seq(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            d = hp.d_model
            self.embed = nn.Parameter(torch.randn(vocab, d) * d**-0.5)
            self.register_buffer("pe", sinusoids(hp.positions, d))
            self.enc_attn = nn.ModuleList(Attention(True) for _ in range(hp.layers))
            self.enc_ffn = nn.ModuleList(FeedForward() for _ in range(hp.layers))
            self.enc_norm = nn.LayerNorm(d, eps=hp.ln_eps)
            self.dec_self = nn.ModuleList(Attention(True) for _ in range(hp.layers))
            self.dec_cross = nn.ModuleList(Attention(False) for _ in range(hp.layers))
            self.dec_ffn = nn.ModuleList(FeedForward() for _ in range(hp.layers))
            self.dec_norm = nn.LayerNorm(d, eps=hp.ln_eps)
            self.out_bias = nn.Parameter(torch.zeros(vocab))

        def embed_tokens(self, ids):
            x = F.embedding(ids, self.embed) * math.sqrt(hp.d_model)
            x = x + self.pe[: ids.shape[1]]
            return F.dropout(x, hp.dropout, self.training)

        def encode(self, src, src_mask):
            x = self.embed_tokens(src)
            for attn, ffn in zip(self.enc_attn, self.enc_ffn, strict=True):
                x = ffn(attn(x, mask=src_mask))
            return self.enc_norm(x)

        def decode(self, tgt_in, memory, src_mask):
            x = self.embed_tokens(tgt_in)
            for sa, ca, ffn in zip(self.dec_self, self.dec_cross, self.dec_ffn, strict=True):
                x = ffn(ca(sa(x, causal=True), memory=memory, mask=src_mask))
            return self.dec_norm(x) @ self.embed.T + self.out_bias

        def forward(self, src, src_mask, tgt_in):
            return self.decode(tgt_in, self.encode(src, src_mask), src_mask)

    return Seq2Seq()


def to_ctranslate2(model, hp: Hyper, pieces: list[str], out_dir: Path, quantization: str) -> None:
    """Map the torch weights onto a TransformerSpec (same layout as the OpenNMT-py converter)."""
    from ctranslate2.specs import transformer_spec

    def arr(t):
        return t.detach().cpu().numpy().astype(np.float32).copy()

    def norm(spec, ln) -> None:
        spec.gamma, spec.beta = arr(ln.weight), arr(ln.bias)

    def linear(spec, lin) -> None:
        spec.weight, spec.bias = arr(lin.weight), arr(lin.bias)

    def ffn(spec, f) -> None:
        norm(spec.layer_norm, f.norm)
        linear(spec.linear_0, f.w1)
        linear(spec.linear_1, f.w2)

    def self_attention(spec, a) -> None:
        norm(spec.layer_norm, a.norm)
        linear(spec.linear[0], a.qkv)
        linear(spec.linear[1], a.out)

    spec = transformer_spec.TransformerSpec.from_config((hp.layers, hp.layers), hp.heads)
    spec.config.layer_norm_epsilon = hp.ln_eps
    emb, pe = arr(model.embed), arr(model.pe)
    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = pe
    spec.encoder.embeddings[0].weight = emb
    spec.decoder.embeddings.weight = emb
    norm(spec.encoder.layer_norm, model.enc_norm)
    for layer, a, f in zip(spec.encoder.layer, model.enc_attn, model.enc_ffn, strict=True):
        self_attention(layer.self_attention, a)
        ffn(layer.ffn, f)
    norm(spec.decoder.layer_norm, model.dec_norm)
    for layer, sa, ca, f in zip(
        spec.decoder.layer, model.dec_self, model.dec_cross, model.dec_ffn, strict=True
    ):
        self_attention(layer.self_attention, sa)
        norm(layer.attention.layer_norm, ca.norm)
        linear(layer.attention.linear[0], ca.q)
        linear(layer.attention.linear[1], ca.kv)
        linear(layer.attention.linear[2], ca.out)
        ffn(layer.ffn, f)
    spec.decoder.projection.weight = emb
    spec.decoder.projection.bias = arr(model.out_bias)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization=quantization)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    spec.save(str(out_dir))


# --- training ----------------------------------------------------------------------------------


def make_batches(examples: list[tuple[list[int], list[int]]], batch_tokens: int,
                 rng: random.Random, extra: Sequence[int] = ()) -> list[list[int]]:
    order = sorted([*range(len(examples)), *extra], key=lambda i: (len(examples[i][0]), i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        longest = max(longest, len(examples[i][0]), len(examples[i][1]) + 1)
        if current and longest * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current = []
            longest = max(len(examples[i][0]), len(examples[i][1]) + 1)
        current.append(i)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(examples, idx, bos: int, eos: int, pad: int):
    import torch

    src_len = max(len(examples[i][0]) for i in idx)
    tgt_len = max(len(examples[i][1]) + 1 for i in idx)
    src = torch.full((len(idx), src_len), pad, dtype=torch.long)
    tgt_in = torch.full((len(idx), tgt_len), pad, dtype=torch.long)
    tgt_out = torch.full((len(idx), tgt_len), -100, dtype=torch.long)  # -100: ignored by loss
    for row, i in enumerate(idx):
        s, t = examples[i]
        src[row, : len(s)] = torch.tensor(s)
        tgt_in[row, : len(t) + 1] = torch.tensor([bos, *t])
        tgt_out[row, : len(t) + 1] = torch.tensor([*t, eos])
    # Boolean attention mask over source keys (True = attend), broadcast over heads/queries.
    lengths = torch.tensor([len(examples[i][0]) for i in idx])
    src_mask = (torch.arange(src_len)[None, :] < lengths[:, None])[:, None, None, :]
    return src, src_mask, tgt_in, tgt_out


def ct2_reproduces(model_dir: Path, sp_tokens: list[list[str]], refs: list[str],
                   sp) -> tuple[int, int, list[int]]:
    """Greedy and beam-4 matches of the converted model on the training pairs, and misses."""
    import ctranslate2

    tr = ctranslate2.Translator(str(model_dir), device="cpu", compute_type="int8",
                                inter_threads=1, intra_threads=1)
    counts: list[int] = []
    misses: set[int] = set()
    for beam in (1, 4):
        results = tr.translate_batch(sp_tokens, beam_size=beam, length_penalty=0.2,
                                     replace_unknowns=True, max_batch_size=2048,
                                     batch_type="tokens")
        outs = [sp.decode_pieces(r.hypotheses[0]) for r in results]
        counts.append(sum(o == ref for o, ref in zip(outs, refs, strict=True)))
        misses.update(i for i, (o, ref) in enumerate(zip(outs, refs, strict=True)) if o != ref)
    return counts[0], counts[1], sorted(misses)


def check_conversion(model, model_dir: Path, pieces: list[str], examples, bos: int,
                     eos: int) -> float:
    """Max |log-prob difference| between torch and a float32 CTranslate2 copy of the model."""
    import ctranslate2
    import torch

    tr = ctranslate2.Translator(str(model_dir), device="cpu", compute_type="float32",
                                intra_threads=1)
    vocab = pieces
    sample = examples[:16]
    scored = tr.score_batch([[vocab[i] for i in s] for s, _ in sample],
                            [[vocab[i] for i in t] for _, t in sample])
    model.eval()
    worst = 0.0
    with torch.no_grad():
        for (s, t), res in zip(sample, scored, strict=True):
            src = torch.tensor([s])
            mask = torch.ones(1, 1, 1, len(s), dtype=torch.bool)
            logits = model(src, mask, torch.tensor([[bos, *t]]))
            logp = torch.log_softmax(logits[0], -1)
            ours = logp[torch.arange(len(t) + 1), torch.tensor([*t, eos])].numpy()
            worst = max(worst, float(np.abs(ours - np.array(res.log_probs)).max()))
    return worst


def train(pairs: list[tuple[str, str]], workdir: Path, hp: Hyper, log) -> tuple[Path, Path, dict]:
    import sentencepiece as spm
    import torch
    import torch.nn.functional as F

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # determinism, and the machine's 2 cores are shared
    torch.use_deterministic_algorithms(True)

    sp_path = train_sentencepiece(pairs, workdir, hp.vocab)
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    bos, eos, unk = sp.piece_to_id("<s>"), sp.piece_to_id("</s>"), sp.unk_id()
    examples = [(sp.encode(de), sp.encode(en)) for de, en in pairs]
    src_tokens = [sp.encode(de, out_type=str) for de, _ in pairs]
    refs = [en for _, en in pairs]

    model = build_torch_model(hp, len(pieces))
    n_params = sum(p.numel() for p in model.parameters())
    log(f"pieces={len(pieces)} params={n_params} pairs={len(pairs)} "
        f"src_tokens={sum(len(s) for s, _ in examples)}")
    opt = torch.optim.Adam(model.parameters(), lr=hp.lr, betas=(0.9, 0.98))
    warmup = 100
    steps_per_epoch = len(make_batches(examples, hp.batch_tokens, random.Random(0)))

    def lr_factor(step: int) -> float:
        return min(1.0, (step + 1) / warmup) * hp.lr_decay ** (step // steps_per_epoch)

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    rng = random.Random(SEED)
    model_dir = workdir / "model"
    started = time.perf_counter()
    hard: list[int] = []
    best: tuple[tuple[int, int], dict, int] = ((-1, -1), {}, 0)
    stats: dict = {"params": n_params, "pieces": len(pieces), "pairs": len(pairs)}
    for epoch in range(1, hp.max_epochs + 1):
        model.train()
        total, count = 0.0, 0
        for idx in make_batches(examples, hp.batch_tokens, rng, hard * hp.hard_repeats):
            src, src_mask, tgt_in, tgt_out = collate(examples, idx, bos, eos, pad=unk)
            logits = model(src, src_mask, tgt_in)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1),
                                   ignore_index=-100, label_smoothing=hp.label_smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            count += len(idx)
        if epoch % hp.check_every:
            continue
        to_ctranslate2(model, hp, pieces, model_dir, "int8")
        greedy, beam, hard = ct2_reproduces(model_dir, src_tokens, refs, sp)
        log(f"epoch {epoch:3d} loss {total / count:.3f} greedy {greedy}/{len(pairs)} "
            f"beam4 {beam}/{len(pairs)} ({time.perf_counter() - started:.0f} s)")
        if (greedy, beam) > best[0]:
            best = ((greedy, beam), {k: v.clone() for k, v in model.state_dict().items()}, epoch)
        if greedy == beam == len(pairs):
            break
    # Keep the best check, not the last: late epochs trade one pair for another.
    (greedy, beam), state, kept = best
    model.load_state_dict(state)
    to_ctranslate2(model, hp, pieces, model_dir, "int8")
    stats.update(epochs=epoch, kept_epoch=kept,
                 train_seconds=round(time.perf_counter() - started, 1), greedy=greedy, beam4=beam)
    float_dir = workdir / "model_float32"
    to_ctranslate2(model, hp, pieces, float_dir, "float32")
    drift = check_conversion(model, float_dir, pieces, examples, bos, eos)
    log(f"torch vs CTranslate2 float32 max |Δ log-prob| = {drift:.2e}")
    if drift > 1e-3:
        raise SystemExit("conversion mismatch: the spec mapping is wrong")
    return sp_path, model_dir, stats


# --- the MiniSBD splitter (hand-written ONNX) -----------------------------------------------


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(num: int, value: int | bytes | str) -> bytes:
    """One protobuf field: an int (varint) or bytes/str (length-delimited)."""
    if isinstance(value, int):
        return _varint(num << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def _tensor(name: str, dtype: int, dims: list[int], raw: bytes) -> bytes:
    return b"".join([*(_field(1, d) for d in dims), _field(2, dtype), _field(8, name),
                     _field(9, raw)])


def _value_info(name: str, elem_type: int, dims: list[int | str]) -> bytes:
    shape = b"".join(_field(1, _field(1, d) if isinstance(d, int) else _field(2, d))
                     for d in dims)
    tensor_type = _field(1, elem_type) + _field(2, shape)
    return _field(1, name) + _field(2, _field(1, tensor_type))


def _node(op: str, inputs: list[str], outputs: list[str], attrs: bytes = b"") -> bytes:
    return b"".join([*(_field(1, i) for i in inputs), *(_field(2, o) for o in outputs),
                     _field(3, op.lower()), _field(4, op), attrs])


def minisbd_model() -> bytes:
    """A MiniSBD model that never splits inside a line.

    MiniSBD runs an ONNX tagger over characters (inputs ``units`` [B,T] and ``features``
    [B,T,F]; output [B,T,5] logits: 0 inside a token, 1 token end, 2 sentence end, 3/4 with
    multi-word tokens) and always closes a sentence at a paragraph's last character. This
    graph answers "token end" for every character, so each line Argos hands it comes back as
    one sentence. l10n segments sentences itself before translating; this keeps
    ``argostranslate.translate(segment)`` and the engine on the very same input. The real
    MiniSBD German model is a download, which these machines cannot make.
    """
    FLOAT, INT64 = 1, 7
    logits_row = struct.pack("<5f", 0.0, 1.0, 0.0, 0.0, 0.0)
    graph = b"".join([
        _field(1, _node("Shape", ["units"], ["units_shape"])),
        _field(1, _node("Concat", ["units_shape", "num_classes"], ["logits_shape"],
                        _field(5, _field(1, "axis") + _field(3, 0) + _field(20, 2)))),
        _field(1, _node("Expand", ["class_logits", "logits_shape"], ["logits"])),
        _field(2, "never_split_inside_a_line"),
        _field(5, _tensor("num_classes", INT64, [1], struct.pack("<q", 5))),
        _field(5, _tensor("class_logits", FLOAT, [5], logits_row)),
        _field(11, _value_info("units", INT64, ["batch", "chars"])),
        _field(11, _value_info("features", FLOAT, ["batch", "chars", 0])),
        _field(12, _value_info("logits", FLOAT, ["batch", "chars", 5])),
    ])
    vocab = {"lang": "de", "idx": 0, "cutoff": 0, "lower": False,
             "_unit2id": {"<PAD>": 0, "<UNK>": 1}, "_id2unit": ["<PAD>", "<UNK>"]}
    config = {"max_seqlen": 1000, "feat_funcs": [], "use_dictionary": False,
              "num_dict_feat": 0, "skip_newline": False, "no_ssplit": False, "batch_size": 32}
    meta = {"lang_code": "de", "config": json.dumps(config), "vocab": json.dumps(vocab),
            "lexicon": "null"}
    return b"".join([
        _field(1, 8),  # ir_version
        _field(2, "l10n tools/build_test_model.py"),
        _field(7, graph),
        _field(8, _field(1, "") + _field(2, 13)),  # opset_import: default domain, opset 13
        *(_field(14, _field(1, k) + _field(2, v)) for k, v in meta.items()),
    ])


# --- packaging -------------------------------------------------------------------------------

README = """\
# translate-de_en-tiny

A tiny German→English Argos Translate package built by l10n's `tools/build_test_model.py`
as a test fixture. It knows only the {pairs} sentence pairs of `tools/test_model_corpus.tsv`
(news-style sentences written for the project, and its seed article with the reference
translation) and is no use for real translation.

- `model/`: CTranslate2 Transformer, {layers}+{layers} layers, d_model {d_model},
  {params} parameters, int8 weights, sinusoidal position table of {positions}.
- `sentencepiece.model`: shared unigram SentencePiece model, {pieces} pieces.
- `minisbd/de-tiny.onnx`: a MiniSBD splitter that never splits inside a line, so that
  `argostranslate.translate` works offline (l10n segments sentences itself).
"""


def write_package(out: Path, sp_path: Path, model_dir: Path, stats: dict, hp: Hyper) -> None:
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": "de",
        "from_name": "German",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "code": PACKAGE_NAME,
        "links": [],
    }
    files: dict[str, bytes] = {
        "metadata.json": (json.dumps(metadata, indent=2) + "\n").encode(),
        "README.md": README.format(layers=hp.layers, d_model=hp.d_model,
                                   positions=hp.positions, **stats).encode(),
        "sentencepiece.model": sp_path.read_bytes(),
        "minisbd/de-tiny.onnx": minisbd_model(),
    }
    for f in sorted(model_dir.iterdir()):
        files[f"model/{f.name}"] = f.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        # Fixed names, order, timestamps and modes: the same inputs give the same bytes.
        for folder in (f"{PACKAGE_NAME}/", f"{PACKAGE_NAME}/minisbd/", f"{PACKAGE_NAME}/model/"):
            info = zipfile.ZipInfo(folder, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 << 16) | 0x10
            z.writestr(info, b"")
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{PACKAGE_NAME}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            z.writestr(info, files[name])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buf.getvalue())


def write_expected(package: Path, sources: list[str], n_train: int, out: Path) -> dict:
    """Run the engine on the unpacked package and record its exact output for each source."""
    sys.path.insert(0, str(ROOT))
    from l10n.engines.argos import ArgosEngine

    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(package) as z:
            z.extractall(tmp)
        engine = ArgosEngine.from_path(Path(tmp) / PACKAGE_NAME)
        results = engine.translate_batch(sources)
    lines = [
        "# source<TAB>exact output of l10n.engines.argos.ArgosEngine (defaults: beam 4,",
        "# length_penalty 0.2) on translate-de_en-tiny.argosmodel; written by",
        "# tools/build_test_model.py. First the training sources, then unseen ones.",
    ]
    for i, (src, res) in enumerate(zip(sources, results, strict=True)):
        if i == n_train:
            lines.append("# unseen")
        lines.append(f"{src}\t{res.text}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"outputs": [r.text for r in results]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=FIXTURES / f"{PACKAGE_NAME}.argosmodel")
    parser.add_argument("--expected", type=Path,
                        default=FIXTURES / f"{PACKAGE_NAME}.expected.tsv")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    hp = Hyper()
    pairs = read_corpus(CORPUS)
    with tempfile.TemporaryDirectory() as tmp:
        sp_path, model_dir, stats = train(pairs, Path(tmp), hp, log)
        write_package(args.out, sp_path, model_dir, stats, hp)
    log(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    sources = [de for de, _ in pairs] + UNSEEN
    outputs = write_expected(args.out, sources, len(pairs), args.expected)["outputs"]
    exact = sum(o == en for o, (_, en) in zip(outputs, pairs, strict=False))
    log(f"wrote {args.expected}: engine output == reference for {exact}/{len(pairs)} "
        f"training pairs; {stats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
