from l10n.cli import app

app(prog_name="l10n")
