"""Drawing editions: the text and Markdown editions (`text`), and the HTML pages, each a
standalone document: the edition of an article (`html`), its review sheet (`review`) and a
per-language index (`index`).

The pages come from Jinja2 templates (`templates/`, autoescaped: a translator's msgstr is
data, never markup) around one stylesheet (`static/`), inlined so that a page works from a
local folder, an artifact download or a CI preview without a network. A project's own
templates (`[tool.l10n.build] templates`) replace shipped ones of the same name (`page`).
Nothing is imported here: Jinja2 and markdown-it load only when a page is drawn.
"""
