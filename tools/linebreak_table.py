"""Regenerate l10n/catalog/po/linebreak.txt from the installed libunistring 1.0.

GNU gettext 0.21's msgcat wraps strings with libunistring 1.0 (Unicode 14.0); the PO writer
(`l10n.catalog.po.wrap`) reproduces that with the library's own tables, which this script
reads through ctypes: the UAX #14 pair table, and per code point the line breaking class
and the column width.

    .venv/bin/python tools/linebreak_table.py           # write the data file
    .venv/bin/python tools/linebreak_table.py --check   # exit 1 if it is out of date

tests/test_poformat.py checks the shipped file against `generate()` when the library is
installed.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from l10n.catalog.po.wrap import CLASSES, TABLE_FILE  # noqa: E402

TARGET = ROOT / "l10n" / "catalog" / "po" / TABLE_FILE
HEADER = """\
# Line breaking data of libunistring 1.0 (Unicode 14.0), which GNU gettext 0.21's msgcat
# wraps with. Written by tools/linebreak_table.py from the installed library; do not edit.
#
# "CLASS: digits" lines: the UAX #14 pair table as libunistring resolves it, a line per
# class before a break, a digit per class after it (in the order of these lines):
# 1 direct break, 2 break only after spaces, 3 no break.
# Other lines: a run of code points (first..last, hexadecimal), their line breaking class
# and their column width (libunistring's uc_width; -1: a control character).
"""


def libunistring() -> ctypes.CDLL | None:
    """libunistring 1.0 through ctypes, or None when it is not installed (other versions
    have other tables)."""
    name = ctypes.util.find_library("unistring")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
        version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
    except (OSError, ValueError):
        return None
    return lib if version >> 8 == 0x100 else None


def generate() -> str:
    """The data file's text, read from the installed libunistring 1.0."""
    lib = libunistring()
    if lib is None:
        raise RuntimeError("needs libunistring 1.0")
    pairs = bytes((ctypes.c_ubyte * 33 * 33).in_dll(lib, "libunistring_unilbrk_table"))
    raw = bytes((ctypes.c_ubyte * 0x9B3C).in_dll(lib, "libunistring_unilbrkprop"))
    level1 = struct.unpack("<15i", raw[:60])
    level2 = struct.unpack("<2048i", raw[60:60 + 8192])
    level3 = raw[60 + 8192:]
    width_of = lib.uc_width
    width_of.restype = ctypes.c_int
    width_of.argtypes = [ctypes.c_uint32, ctypes.c_char_p]

    def lbrk(code: int) -> int:
        if code >> 16 < 15 and level1[code >> 16] >= 0:
            index = level2[level1[code >> 16] + ((code >> 7) & 511)]
            if index >= 0:
                return level3[index + (code & 127)]
        return CLASSES.index("XX")

    lines = [HEADER.rstrip("\n")]
    for row in range(33):
        digits = "".join(str(pairs[row * 33 + column]) for column in range(33))
        lines.append(f"{CLASSES[row]}: {digits}")
    values = [(lbrk(c), width_of(c, b"UTF-8")) for c in range(0x110000)]
    start = 0
    for code in range(1, len(values) + 1):
        if code == len(values) or values[code] != values[start]:
            cls, width = values[start]
            lines.append(f"{start:04X}..{code - 1:04X} {CLASSES[cls]} {width}")
            start = code
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only compare: exit 1 when the data file differs")
    args = parser.parse_args()
    text = generate()
    if args.check:
        same = TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.relative_to(ROOT)}: {'up to date' if same else 'out of date'}")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
