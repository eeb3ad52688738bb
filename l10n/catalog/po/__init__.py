"""gettext PO files: one grammar, a strict reader, a lean scanner and a msgcat-exact writer.

- `syntax`: the grammar both readers follow (keywords, line marks, string literals,
  `#:` references, `#,` flags, the header's charset);
- `read`: the strict reader (`load`/`loadb`/`loads`), errors with file and line;
- `scan`: the lean status-only scanner of `l10n stats`/`check`, which hands anything
  unusual to the strict reader;
- `write`: `dumps`/`dumpb`, what GNU gettext's msgcat prints for a catalog;
- `wrap`: msgcat's line wrapping (UAX #14 with libunistring 1.0's tables, `linebreak.txt`);
- `directives`: c-format and python-format directives, which a line never splits.
"""
