"""Translation engines: turn a batch of source segments into target segments.

Engines implement one small protocol, :class:`Engine`, and know nothing of PO files,
documents or caches: the translate step hands them plain strings (already segmented into
sentences) and gets back one :class:`Translation` per string, in input order.

- :class:`l10n.engines.argos.ArgosEngine` runs an installed Argos Translate package with
  CTranslate2 directly (no ``argostranslate.translate``, no torch).
- :class:`l10n.engines.pseudo.PseudoEngine` pseudo-localizes (accents, brackets, ~30% longer)
  to test layouts and placeholder handling without a model.
- :class:`l10n.engines.ray_pool.RayPool` wraps an ArgosEngine and has a pool of Ray actors
  translate its batches (`l10n translate --executor ray`); same label and cache key.

Every engine has a ``cache_key``: a string that changes whenever the same input could come
out differently (package, its version and files, decoding options, compute type). A cache of
translations keyed on (cache_key, source) is therefore safe to reuse.

Heavy imports (ctranslate2, argostranslate, sentencepiece) happen inside the engines'
constructors, never at import time of this package.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from l10n.errors import ModelError

__all__ = ["MT_INSTALL_HINT", "Engine", "ProgressCallback", "Translation", "load_engine"]

#: The exact commands that install machine translation, for errors that find it missing. The
#: lean one skips argostranslate's own dependencies (torch, stanza, spaCy: sentence splitting,
#: which l10n does itself); see the `mt` extra in pyproject.toml.
MT_INSTALL_HINT = (
    "install machine translation: pip install 'l10n[mt]' && pip install --no-deps "
    "'argostranslate>=1.11,<2' (lean, no torch); or pip install 'l10n[argos]' (Argos' full "
    "stack, with torch)"
)

#: Called with the number of input texts finished so far (monotonic, ends at ``len(texts)``).
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class Translation:
    """One translated segment.

    ``score`` is the model's confidence in ``(0, 1]``, or ``None`` when the engine has no
    model (pseudo) or there was nothing to translate. For Argos it is the geometric mean of
    the output tokens' probabilities (end-of-sentence token included), i.e.
    ``exp(log P(output) / number_of_output_tokens)`` — the length-normalised log-probability
    that CTranslate2 returns with ``return_scores=True``, undone from its length penalty and
    exponentiated. ~0.9 and above: the model was sure; below ~0.5: expect a bad draft.
    """

    text: str
    score: float | None
    #: With ``align=True``: for each word of ``text``, a weight for each word of the input
    #: (words are whitespace-separated), from the model's attention; None where the engine
    #: has none. See :mod:`l10n.markup.align`.
    attention: tuple[tuple[float, ...], ...] | None = None


@runtime_checkable
class Engine(Protocol):
    """What the translate step needs from a machine-translation engine.

    An engine that computes outside the interpreter says so (``native = True``) and may
    also offer ``submit(texts, align=...)``, which starts the work and returns an object
    whose ``result(on_progress)`` waits for it (`ArgosEngine.submit`): the translate step
    then hands it the next batch before collecting the current one."""

    #: Short engine name, e.g. ``"argos"`` or ``"pseudo"``.
    name: str
    #: Version of the model or algorithm (an Argos package's ``package_version``).
    version: str
    #: What a reviewer reads in a draft's provenance, e.g. ``"argos translate-de_en 1.9"``.
    label: str

    @property
    def cache_key(self) -> str:
        """Identifies engine, model files and decoding options; see the module docstring."""
        ...

    #: Whether the engine copies markup through itself (pseudo-localization); else the
    #: translate step takes inline markup out before and puts it back after.
    keeps_markup: bool

    def translate_batch(
        self, texts: Sequence[str], *, on_progress: ProgressCallback | None = None,
        align: bool = False,
    ) -> list[Translation]:
        """Translate every text; the result has one entry per text, in input order. With
        `align`, each translation says which input words its words come from."""
        ...


ENGINES = ("argos", "pseudo")  # what `load_engine` can load
DEVICES = ("auto", "cpu", "cuda")  # where the Argos engine can run


def load_engine(name: str, source_lang: str, target_lang: str, *,
                device: str = "auto") -> Engine:
    """The engine called `name` ("argos" or "pseudo") for one language pair; an Argos
    package runs on `device` ("auto": a GPU where CTranslate2 sees one)."""
    if name == "argos":
        from l10n.engines.argos import ArgosEngine

        return ArgosEngine.load(source_lang, target_lang, device=device)
    if name == "pseudo":
        from l10n.engines.pseudo import PseudoEngine

        return PseudoEngine()
    raise ModelError(f"unknown translation engine {name!r}",
                     hint=f"use one of: {', '.join(ENGINES)}")
