"""How many terminal cells a piece of text takes, for the core's own layout (tables).

Owns ``cell_len``: wide and full-width characters (East Asian ``W``/``F``) take two cells,
combining marks, controls and zero-width format characters none, everything else one. The TUI and
the CLI measure with Rich; this is the same rule without importing Rich into the core.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf", "Cc", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    """The cells one character takes: 0, 1 or 2."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    category = unicodedata.category(ch)
    if category == "Cn":
        return 1
    if category in ZERO_WIDTH_CATEGORIES or "\u1160" <= ch <= "\u11ff":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """The cells ``text`` takes on a terminal line."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_cells(ch) for ch in text)
