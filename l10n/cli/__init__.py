"""The `l10n` command line: a thin layer that parses options, calls one library function,
prints its report and exits with its code: 0 ok, 1 gate failed (check), 2 bad input or usage.

`common` holds the app and what every command shares; `pipeline` has extract, translate,
build and run; `ci` the CI commands (check, stats); `models` the Argos package commands;
`init` makes a project; `output` draws reports as tables, JSON and CI annotations. Each
command module registers its commands on `app` when it is imported here.
"""

from l10n.cli import ci, init, models, pipeline
from l10n.cli.common import app, fail, main

__all__ = ["app", "ci", "fail", "init", "main", "models", "pipeline"]
