"""Plain line output for long listings (``reader list``, ``reader highlights``).

Owns ``LineOutput``, the cell measures ``fit``, ``pad`` and ``cells``, and ``PIPE_WIDTH``.
Rich's ``Table`` and ``Console.print`` measure, wrap and render every cell of every
call, too slow for tens of thousands of rows. Here a row is one line, cut to the width with an ellipsis (``fit``), and
written as it is; a style (bold, dim) is turned into escape codes once by Rich's
``Style``, and only where Rich would colour (a terminal, no ``NO_COLOR``). Callers pass
text from articles through ``reader.sanitize.clean_line`` first, so it can carry no
escape sequence of its own.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.cells import cell_len, set_cell_size
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS, Console
from rich.style import Style

ELLIPSIS = "…"
PIPE_WIDTH = 160  # the width of all command output when it is not a terminal


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if text.isascii():
        return text if len(text) <= width else text[: width - 1] + ELLIPSIS
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a wide character two)."""
    return len(text) if text.isascii() else cell_len(text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` (already ``fit``) padded with spaces to ``width`` cells."""
    gap = width - cells(text)
    if gap <= 0:
        return text
    return " " * gap + text if right else text + " " * gap


class LineOutput:
    """Lines written to standard output, styled the way Rich would style them there."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        console = Console(file=self.stream, markup=False, highlight=False, emoji=False)
        self.width = console.width if console.is_terminal else PIPE_WIDTH
        name = None if console.legacy_windows else console.color_system
        self._color_system: ColorSystem | None = COLOR_SYSTEMS.get(name) if name else None
        self._styles: dict[str, tuple[str, str]] = {}  # style -> escape codes around text

    def write(self, line: str, style: str | None = None) -> None:
        """Write one line (no newline in it), in ``style`` ("bold", "dim") if given."""
        if style and self._color_system is not None:
            before, after = self._codes(style)
            line = before + line + after
        self.stream.write(line + "\n")

    def _codes(self, style: str) -> tuple[str, str]:
        codes = self._styles.get(style)
        if codes is None:
            marked = Style.parse(style).render("\0", color_system=self._color_system)
            before, _, after = marked.partition("\0")
            codes = self._styles[style] = (before, after)
        return codes
