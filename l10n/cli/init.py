"""`l10n init`: make a project and say what to do next."""

# Annotations are evaluated where they are written, not postponed: typer reads each
# command's parameters from them on every run (see l10n.cli).

from pathlib import Path
from typing import Annotated

import typer

from l10n.cli.common import app, guarded, out


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(
        help="Folder to make a project of; created when missing.",
        show_default="current folder")] = Path("."),
    source_lang: Annotated[str, typer.Option(
        "--source-lang", help="Language of the articles.")] = "de",
    lang: Annotated[list[str] | None, typer.Option(
        "--lang", help="Target language(s). Repeatable.", show_default="en")] = None,
    sample: Annotated[bool, typer.Option(
        "--sample/--no-sample", help="Put a short sample article in corpus/.")] = True,
) -> None:
    """Make a project: l10n.toml settings, corpus/ and locales/, a sample article.

    Refuses a folder that already has l10n settings."""
    from l10n.commands.init import create

    made = guarded(lambda: create(folder, source_lang=source_lang, target_langs=lang,
                                  sample=sample))
    where = folder.resolve()
    out.print(f"made an l10n project in {where}:")
    for path in made:
        out.print(f"  {path.as_posix()}{'/' if (where / path).is_dir() else ''}")
    at = "" if folder == Path(".") else f" --project {folder}"
    out.print("next:")
    out.print("  put your articles (.txt, .md, .html) in corpus/")
    out.print(f"  l10n run --engine pseudo{at}   # the whole job, no model needed")
    out.print(f"  l10n models install {source_lang} {(lang or ['en'])[0]}   # a real model "
              "(network), or from a .argosmodel file")
    out.print(f"  l10n run{at}   # extract → translate → build → check")
