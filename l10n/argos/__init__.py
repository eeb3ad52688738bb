"""Argos Translate packages: what is installed, and installing them safely.

- `packages`: the packages folder, listing what is installed, install from a file (staged,
  loaded, swapped in) and remove;
- `archive`: an .argosmodel file checked without unpacking, and unpacked within `limits`;
- `limits`: how much a package may unpack to (light: the command line shows the defaults);
- `load_check`: a package must load in a child process before it replaces anything;
- `index`: the Argos package index, fetched with timeouts, and install from it;
- `versions`: the one order of package versions (the index's and the engine's).

Nothing is imported here, so that importing one module costs only what that module needs.
"""
