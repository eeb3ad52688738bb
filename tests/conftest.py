from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "kasachstan-ukrainekrieg.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project holding the seed article."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(SEED, tmp_path / "corpus" / SEED.name)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.l10n]\nsource-lang = "de"\ntarget-langs = ["en"]\n', encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's machine-translation cache."""
    monkeypatch.setenv("L10N_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
