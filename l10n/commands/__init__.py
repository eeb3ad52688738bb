"""The commands, one module each, under one contract: an `Options` dataclass (whose fields
name their settings, `l10n.options`), a `Report` (`l10n.report`: errors, exit code,
`as_json()`), and a `run(project, options, ...)` that collects per-file errors into the
report instead of stopping. The command line (`l10n.cli`) only parses, calls `run`, prints
the report and exits with its code; `l10n.pipeline` chains them."""
