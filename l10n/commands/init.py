"""`l10n init`: a new project with settings, its folders and a sample article.

The sample is short, German and the project's own text, so that the first `l10n run
--engine pseudo` (no model needed) shows every step on something real.
"""

from __future__ import annotations

from pathlib import Path

from l10n.errors import ConfigError
from l10n.fsutil import write_if_changed

SETTINGS = "l10n.toml"
SAMPLE = "corpus/beispiel.txt"
SAMPLE_TEXT = """\
Ein erster Artikel für l10n

Diese Datei ist ein Beispiel. Jeder Absatz wird in Sätze zerlegt, und jeder Satz wird \
ein Eintrag im Katalog.

Die Übersetzerin prüft die Entwürfe am 3. März in ihrem gewohnten Programm. Danach baut \
l10n die englische Ausgabe.

[Bearbeitet von der Redaktion]
"""


def settings_text(source_lang: str, target_langs: list[str]) -> str:
    targets = ", ".join(f'"{lang}"' for lang in target_langs)
    return (
        "# l10n settings; all of them are optional (see README.md, \"A project\").\n"
        f'source-lang = "{source_lang}"\n'
        f"target-langs = [{targets}]\n"
        'corpus = "corpus"\n'
        'locales = "locales"\n'
        'editions = "editions"\n'
        "\n"
        "[check]\n"
        "min-reviewed = 100  # percent of entries a human reviewed\n"
    )


def create(root: Path, *, source_lang: str = "de", target_langs: list[str] | None = None,
           sample: bool = True) -> list[Path]:
    """Make `root` a project; returns the files and folders created, relative to it.

    Refuses a folder that already has l10n settings (l10n.toml, or [tool.l10n] in its
    pyproject.toml): nothing of an existing project is overwritten.
    """
    from l10n.project import check_language, settings_file

    root = Path(root)
    existing = settings_file(root) if root.is_dir() else None
    if existing is not None:
        raise ConfigError("this folder is an l10n project already", path=existing,
                          hint="edit its settings, or run `l10n init` in a new folder")
    langs = target_langs or ["en"]
    for code in (source_lang, *langs):
        check_language(code)
    if source_lang in langs:
        raise ConfigError(f"the source language {source_lang!r} is also a target",
                          hint="name the languages to translate into with --lang")
    root.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    write_if_changed(root / SETTINGS, settings_text(source_lang, langs))
    made.append(Path(SETTINGS))
    for folder in ("corpus", "locales"):
        if not (root / folder).is_dir():
            (root / folder).mkdir()
            made.append(Path(folder))
    if sample and not any((root / "corpus").iterdir()):
        write_if_changed(root / SAMPLE, SAMPLE_TEXT)
        made.append(Path(SAMPLE))
    return made
