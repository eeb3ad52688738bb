"""The `l10n` command line: a thin layer that parses options, calls one library function,
prints its report and exits with its code: 0 ok, 1 gate failed (check), 2 bad input or usage.

`common` holds the app and what every command shares; `pipeline` has extract, translate,
build and run; `ci` the CI commands (check, stats); `models` the Argos package commands;
`init` makes a project; `output` draws reports as tables, JSON and CI annotations. Each
command module registers its commands on `app` when it is imported here.

The modules that define commands do not postpone annotations (`from __future__ import
annotations`): typer builds the command line from the commands' signatures on every run,
and postponed annotations are strings it compiles and evaluates each time (13 ms of a
`l10n check` that takes 0.12 s; 3 ms without). Written as values, they cost nothing more
than the import already does.
"""

from l10n.cli import ci, init, models, pipeline
from l10n.cli.common import app, fail, main

__all__ = ["app", "ci", "fail", "init", "main", "models", "pipeline"]
