"""Project layout and settings: `[tool.l10n]` in pyproject.toml, or a standalone l10n.toml."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from l10n.errors import BadInputError, ConfigError
from l10n.options import LIST_OF_TEXT, TEXT, resolve, setting, validate
from l10n.readers import is_article
from l10n.readers.settings import DEFAULT_KEYS, ReadSettings


def _languages(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    for code in codes:
        check_language(code)
    return tuple(codes)


_FRONT_MATTER_KEY = re.compile(r"[^\s#'\"\-?:,\[\]{}&*!|>%@`][^:\r\n]*")


def _front_matter_keys(keys: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    for key in keys:
        if not _FRONT_MATTER_KEY.fullmatch(key) or key != key.strip():
            raise ConfigError(f"front-matter-keys: {key!r} is not a top-level YAML key",
                              hint="name keys as the front matter writes them, e.g. "
                              "['title', 'description']")
    return tuple(keys)


@dataclass(frozen=True)
class Project:
    """A project's folders and settings: `[tool.l10n]`, whose keys its fields name."""
    root: Path
    source_lang: str = setting("source-lang", TEXT, "de",
                               convert=lambda code: _languages([code])[0])
    target_langs: tuple[str, ...] = setting("target-langs", LIST_OF_TEXT, ("en",),
                                            convert=_languages)
    corpus: str = setting("corpus", TEXT, "corpus", path=True)
    locales: str = setting("locales", TEXT, "locales", path=True)
    editions: str = setting("editions", TEXT, "editions", path=True)
    glossary: str | None = setting("glossary", TEXT, None, path=True)
    front_matter_keys: tuple[str, ...] = setting("front-matter-keys", LIST_OF_TEXT, DEFAULT_KEYS,
                                                 convert=_front_matter_keys)
    # Tables of settings validated by the options of `check`, `build` and `translate`
    # (l10n.commands).
    check: dict[str, Any] = setting("check", (dict,), factory=dict, convert=dict)
    build: dict[str, Any] = setting("build", (dict,), factory=dict, convert=dict)
    translate: dict[str, Any] = setting("translate", (dict,), factory=dict, convert=dict)

    @property
    def reading(self) -> ReadSettings:
        """What the readers are told of the settings."""
        return ReadSettings(front_matter_keys=self.front_matter_keys)

    @property
    def corpus_dir(self) -> Path:
        return self.root / self.corpus

    @property
    def locales_dir(self) -> Path:
        return self.root / self.locales

    @property
    def templates_dir(self) -> Path | None:
        """The project's own page templates (`[tool.l10n.build] templates`), if it has any."""
        folder = self.build.get("templates")
        return self.root / folder if folder is not None else None

    def articles(self) -> list[Path]:
        """Corpus files, sorted, as paths relative to the project root."""
        if not self.corpus_dir.is_dir():
            raise ConfigError(f"corpus folder {self.corpus_dir} does not exist",
                              hint="create it and put the source articles (.txt, .md, .html) in it")
        base = self.corpus_dir.relative_to(self.root).as_posix()
        found = sorted((Path(shown), entry.is_symlink())
                       for shown, entry in _walk(self.corpus_dir, base, _article_file))
        root = self.root.resolve()
        by_name: dict[str, Path] = {}
        articles = []
        for article, linked in found:
            # A link to a file elsewhere would be read and published as the project's
            # (linked folders are not walked: only files can be links here).
            if linked and not (target := (self.root / article).resolve()).is_relative_to(root):
                raise BadInputError(
                    f"{article.as_posix()} resolves outside the project, to {target}",
                    path=article,
                    hint="copy the article into the corpus folder instead of linking to it")
            articles.append(article)
            name = self.name_of(article)
            if name in by_name:
                raise BadInputError(
                    f"{by_name[name].as_posix()} and {article.as_posix()} would share the "
                    f"catalog {name}.po", path=article,
                    hint="rename one of them: each article needs a name of its own")
            by_name[name] = article
        return articles

    def name_of(self, article: Path) -> str:
        """Catalog name of an article: its path inside the corpus, without the suffix."""
        return _name_of(self.root, self.corpus, article)

    def name_of_catalog(self, lang: str, path: Path) -> str:
        """Catalog name of `locales/<lang>/<name>.po`, the inverse of `catalog_path`."""
        return path.relative_to(self.locales_dir / lang).with_suffix("").as_posix()

    def owner(self, name: str) -> str:
        """How a catalog's references name its article (`catalog.model.owner_of`)."""
        return (Path(self.corpus) / name).as_posix()

    def catalogs(self, lang: str) -> list[Path]:
        """Every catalog of a language, sorted."""
        folder = self.locales_dir / lang
        return sorted(Path(entry.path) for _, entry in
                      _walk(folder, "", lambda entry: entry.name.endswith(".po")))

    def catalog_files(self) -> list[tuple[str, str, Path]]:
        """(name, lang, path) of every catalog of the target languages."""
        return [(self.name_of_catalog(lang, path), lang, path)
                for lang in self.target_langs for path in self.catalogs(lang)]

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


def _walk(folder: Path, shown: str,
          keep: Callable[[os.DirEntry[str]], bool]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path as `shown`/…, entry) of what `keep` takes under `folder`, in no order, linked
    folders not walked (as rglob). Directory entries carry their type, so listing 20,000
    files costs no stat call per file, as rglob, is_file and is_symlink did."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = f"{shown}/{entry.name}"
        try:
            if keep(entry):
                yield name, entry
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path), name, keep)
        except OSError:
            continue  # gone meanwhile, or a link to nowhere


def _article_file(entry: os.DirEntry[str]) -> bool:
    return is_article(Path(entry.name)) and entry.is_file()


# A command asks for an article's name several times (its template, its catalogs, the
# orphan check): path arithmetic was a fifth of a gate that answers from `l10n.state`.
@lru_cache(maxsize=1 << 16)
def _name_of(root: Path, corpus: str, article: Path) -> str:
    return (root / article).relative_to(root / corpus).with_suffix("").as_posix()


def load_project(root: Path | str = ".") -> Project:
    root = Path(root).resolve()
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        raise ConfigError(f"project folder {root} {what}",
                          hint="--project takes the folder that holds corpus/ and locales/")
    settings, source = _settings(root)
    places = [(key, value, "tool.l10n")
              for key, value in validate(Project, settings, "tool.l10n", source)]
    for table in _TABLES:
        if not settings.get(table):
            continue
        name = f"tool.l10n.{table}"
        places += [(key, value, name) for key, value in
                   validate(_options_for(table), settings[table], name, source)]
    for key, value, table in places:
        _inside(root, key, value, source, table=table)
    return resolve(Project, settings, root=root)


_LANG = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")

# The settings tables and the command whose options configure them (l10n.options).
_TABLES = {"check": "gate", "build": "build", "translate": "translate"}


def _options_for(table: str) -> type:
    """The options dataclass of a table, imported only when the settings have that table:
    a command's module costs milliseconds to import, and `stats` needs neither."""
    from importlib import import_module

    options: type = import_module(f"l10n.commands.{_TABLES[table]}").Options
    return options


def _inside(root: Path, key: str, value: str, source: Path | None, *,
            table: str = "tool.l10n") -> None:
    """Settings paths stay inside the project: l10n writes into locales/ and editions/."""
    where = (root / value).resolve()
    if value.strip() and where.is_relative_to(root):
        return
    raise ConfigError(f"[{table}] {key} = {value!r} is outside the project folder {root}",
                      path=source,
                      hint=f"give {key} as a path inside the project, relative to it "
                      f"(e.g. {key} = {_DEFAULT_PATHS[key]!r})")


_DEFAULT_PATHS = {"corpus": "corpus", "locales": "locales", "editions": "editions",
                  "glossary": "locales/glossary.csv", "templates": "templates"}


def check_language(code: str, source: Path | None = None) -> None:
    """ConfigError unless `code` can name a language folder (locales/<code>/)."""
    if not _LANG.fullmatch(code) or code == "templates":
        raise ConfigError(f"{code!r} is not a language code", path=source,
                          hint="use codes such as 'en', 'pt_BR' or 'zh-Hans'")


def settings_file(root: Path) -> Path | None:
    """The file that holds a folder's l10n settings: l10n.toml, or a pyproject.toml with a
    [tool.l10n] table; None when it has neither."""
    standalone = root / "l10n.toml"
    if standalone.is_file():
        return standalone
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool")
        if isinstance(tool, dict) and "l10n" in tool:
            return pyproject
    return None


def _settings(root: Path) -> tuple[dict[str, Any], Path | None]:
    standalone = root / "l10n.toml"
    if standalone.is_file():
        data = _read_toml(standalone)
        tool = _table(data, "tool", standalone, required=False)
        if "l10n" in tool:
            return _table(tool, "l10n", standalone, name="tool.l10n"), standalone
        return data, standalone
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool = _table(_read_toml(pyproject), "tool", pyproject, required=False)
        return _table(tool, "l10n", pyproject, name="tool.l10n", required=False), pyproject
    return {}, None


def _table(data: dict[str, Any], key: str, source: Path, *, name: str | None = None,
           required: bool = True) -> dict[str, Any]:
    """`data[key]`, which must be a table; {} when absent and not required."""
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"[{name or key}] must be a table, not {value!r}", path=source,
                          hint=f"write it as a [{name or key}] section")
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path, line=getattr(exc, "lineno", None)) \
            from exc
