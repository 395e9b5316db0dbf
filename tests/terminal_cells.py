"""Shared by the TUI tests (no tests here): the screen as the terminal receives it.

``screen_cells(app)`` renders the app's current screen to the bytes Textual writes to a
terminal (cursor moves, SGR colour codes, text) and decodes them as a terminal does, giving
each cell's character with its foreground and background *as the terminal was told*:
``None`` for the terminal's default colour (SGR 39 / 49 / 0), else the SGR parameters that
set it (``"38;2;46;42;36"``). What an SVG snapshot cannot show (a cell left in the
terminal's own colours) shows here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console

if TYPE_CHECKING:
    from textual.app import App

_TOKEN = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])|\n|(.)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Cell:
    """One character cell: what it shows and the colours the terminal was given."""

    char: str
    fg: str | None
    bg: str | None


def _apply_sgr(params: str, fg: str | None, bg: str | None) -> tuple[str | None, str | None]:
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 0:
            fg = bg = None
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif code in (38, 48):
            size = 3 if codes[i + 1] == 5 else 5
            value = ";".join(str(c) for c in codes[i : i + size])
            fg, bg = (value, bg) if code == 38 else (fg, value)
            i += size - 1
        elif 30 <= code <= 37 or 90 <= code <= 97:
            fg = str(code)
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bg = str(code)
        i += 1
    return fg, bg


def decode(ansi: str, width: int, height: int) -> list[list[Cell]]:
    """The cells of a ``width`` x ``height`` terminal after it receives ``ansi``."""
    blank = Cell(" ", None, None)
    grid = [[blank] * width for _ in range(height)]
    x = y = 0
    fg: str | None = None
    bg: str | None = None
    for match in _TOKEN.finditer(ansi):
        params, command, char = match.groups()
        if command == "m":
            fg, bg = _apply_sgr(params, fg, bg)
        elif command == "H":
            row, _, column = params.partition(";")
            y, x = int(row or 1) - 1, int(column or 1) - 1
        elif command is not None:
            continue
        elif char is None:  # a newline
            y, x = y + 1, 0
        elif 0 <= y < height and 0 <= x < width:
            grid[y][x] = Cell(char, fg, bg)
            x += max(1, cell_len(char))
    return grid


def screen_cells(app: App[object]) -> list[list[Cell]]:
    """The app's whole screen, cell by cell, as a truecolour terminal receives it."""
    update = app.screen._compositor.render_update(full=True)
    console = Console(file=io.StringIO(), color_system="truecolor", force_terminal=True)
    ansi = update.render_segments(console)  # type: ignore[union-attr]
    width, height = app.size
    return decode(ansi, width, height)


def row_text(cells: list[list[Cell]], y: int) -> str:
    """The characters of row ``y``."""
    return "".join(cell.char for cell in cells[y])


def cells_of(cells: list[list[Cell]], text: str) -> list[Cell]:
    """The cells showing the first occurrence of ``text`` on the screen (one row)."""
    for y in range(len(cells)):
        x = row_text(cells, y).find(text)
        if x >= 0:
            return cells[y][x : x + len(text)]
    raise AssertionError(f"{text!r} is not on the screen")
