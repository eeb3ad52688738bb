"""Load an unpacked Argos package the way the engine will, before it is installed.

A package can pass every structural check and still not load: a `model.bin` of zeros, of
random bytes or of text, a `sentencepiece.model` that is not one. Installing such a package
would replace a working one for the same pair and leave `translate` to fail later. So the
tokenizer and the CTranslate2 model are loaded, and one token translated, in a child
process: a crafted model file may make native code crash or allocate without bound, and
that must not take the installing process (or its error message) with it.
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

from l10n.engines import MT_INSTALL_HINT
from l10n.errors import ModelError

#: Seconds a package may take to load; the tiny test model needs under one, Argos' ~2.
LOAD_TIMEOUT_S = 120.0

# Runs in the child: prints what failed on stderr and exits 3. Same options as the engine.
_PROBE = r"""
import sys
from pathlib import Path

folder = Path(sys.argv[1])
stage = "argostranslate cannot read the package"
try:
    import argostranslate.package

    package = argostranslate.package.Package(folder)
    stage = f"the tokenizer ({sys.argv[2]}) does not load"
    tokens = list(package.tokenizer.encode("Test"))
    stage = "the CTranslate2 model (model/) does not load"
    import ctranslate2

    translator = ctranslate2.Translator(str(folder / "model"), device="cpu",
                                        compute_type="int8", inter_threads=1, intra_threads=1)
    stage = "the CTranslate2 model does not translate"
    prefix = [[package.target_prefix]] if package.target_prefix else None
    translator.translate_batch([tokens or ["</s>"]], target_prefix=prefix, beam_size=1,
                               max_decoding_length=4)
except BaseException as exc:
    print(f"{stage}: {type(exc).__name__}: {exc}"[:600], file=sys.stderr)
    sys.exit(3)
"""


def check_loads(folder: Path, *, tokenizer: str, shown: Path) -> None:
    """Raise ModelError (naming `shown`, the package file) unless `folder` loads and runs."""
    missing = [m for m in ("ctranslate2", "sentencepiece")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelError(f"cannot check the package: {', '.join(missing)} is not installed",
                         path=shown, hint=MT_INSTALL_HINT)
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE, str(folder), tokenizer],
                              capture_output=True, text=True, timeout=LOAD_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise ModelError(f"the package did not load within {LOAD_TIMEOUT_S:g} s",
                         path=shown, hint="refusing it; get the package again") from exc
    if done.returncode == 0:
        return
    if done.returncode < 0:
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        reason = f"loading it crashed ({name})"
    else:
        lines = done.stderr.strip().splitlines()
        reason = lines[-1] if lines else f"loading it failed (exit {done.returncode})"
    raise ModelError(f"the package does not load: {reason}", path=shown,
                     hint="refusing it, nothing was installed or replaced; get the package "
                     "again from the Argos index, or rebuild it")
