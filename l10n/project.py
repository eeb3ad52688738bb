"""Project layout and settings: `[tool.l10n]` in pyproject.toml, or a standalone l10n.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.errors import ConfigError
from l10n.readers import is_article

_KNOWN = {"source-lang", "target-langs", "corpus", "locales", "editions", "check", "build",
          "glossary"}


@dataclass(frozen=True)
class Project:
    root: Path
    source_lang: str = "de"
    target_langs: tuple[str, ...] = ("en",)
    corpus: str = "corpus"
    locales: str = "locales"
    editions: str = "editions"
    glossary: str | None = None
    check: dict[str, Any] = field(default_factory=dict)  # thresholds and QA switches
    build: dict[str, Any] = field(default_factory=dict)

    @property
    def corpus_dir(self) -> Path:
        return self.root / self.corpus

    @property
    def locales_dir(self) -> Path:
        return self.root / self.locales

    def articles(self) -> list[Path]:
        """Corpus files, sorted, as paths relative to the project root."""
        if not self.corpus_dir.is_dir():
            raise ConfigError(f"corpus folder {self.corpus_dir} does not exist",
                              hint="create it and put the source articles (.txt, .md) in it")
        return sorted(p.relative_to(self.root) for p in self.corpus_dir.rglob("*")
                      if p.is_file() and is_article(p))

    def name_of(self, article: Path) -> str:
        """Catalog name of an article: its path inside the corpus, without the suffix."""
        rel = (self.root / article).relative_to(self.corpus_dir)
        return rel.with_suffix("").as_posix()

    def catalogs(self, lang: str) -> list[Path]:
        """Every catalog of a language, sorted."""
        folder = self.locales_dir / lang
        return sorted(folder.rglob("*.po")) if folder.is_dir() else []

    def template_path(self, name: str) -> Path:
        return self.locales_dir / "templates" / f"{name}.pot"

    def catalog_path(self, lang: str, name: str) -> Path:
        return self.locales_dir / lang / f"{name}.po"

    def edition_path(self, lang: str, name: str, suffix: str) -> Path:
        return self.root / self.editions / lang / f"{name}{suffix}"

    def shown(self, path: Path) -> Path:
        """A path as users see it in messages: relative to the project when inside it."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path


def load_project(root: Path | str = ".") -> Project:
    root = Path(root).resolve()
    if not root.is_dir():
        raise ConfigError(f"project folder {root} does not exist")
    settings, source = _settings(root)
    unknown = set(settings) - _KNOWN
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(sorted(unknown))} in [tool.l10n]",
                          path=source, hint=f"known settings: {', '.join(sorted(_KNOWN))}")
    targets = settings.get("target-langs", ["en"])
    if isinstance(targets, str) or not all(isinstance(t, str) for t in targets):
        raise ConfigError("target-langs must be a list of language codes", path=source)
    return Project(
        root=root,
        source_lang=str(settings.get("source-lang", "de")),
        target_langs=tuple(targets),
        corpus=str(settings.get("corpus", "corpus")),
        locales=str(settings.get("locales", "locales")),
        editions=str(settings.get("editions", "editions")),
        glossary=settings.get("glossary"),
        check=dict(settings.get("check", {})),
        build=dict(settings.get("build", {})),
    )


def _settings(root: Path) -> tuple[dict[str, Any], Path | None]:
    standalone = root / "l10n.toml"
    if standalone.is_file():
        data = _read_toml(standalone)
        return data.get("tool", {}).get("l10n", data), standalone
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return _read_toml(pyproject).get("tool", {}).get("l10n", {}), pyproject
    return {}, None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path, line=getattr(exc, "lineno", None)) \
            from exc
