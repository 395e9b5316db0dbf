"""Laying out an article's blocks as wrapped screen lines (pure Python, no widgets).

Owns ``layout_article``: it turns ``reader.text.document.Block`` objects (plus the title
header) into a flat list of ``LaidLine`` rows at a given measure. Each row that shows block
text records ``(block, start, end)`` offsets into ``block.text``, so a character offset maps
to a screen row and a screen column maps back to an offset (``column_to_offset``). Header
rows (title, meta line, rule) and blank spacing rows carry ``block == -1``.

Wrapping is greedy on whitespace; a word wider than the measure (a URL, a CJK run, a 1 MB
line without spaces) is broken by character cells, so wide characters never straddle the
edge. Code and table lines are broken by cells only. Everything is measured with
``rich.cells.cell_len``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

from reader.text.document import Block

QUOTE_BAR = "▌ "
LIST_INDENT = 2
MIN_TEXT_WIDTH = 8

_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class LaidLine:
    """One screen row of the article.

    ``role`` is one of ``"text"``, ``"code"``, ``"table"``, ``"rule"``, ``"blank"``,
    ``"title"``, ``"deck"``, ``"meta"`` or ``"header-rule"``. For block rows ``block`` indexes the
    document's blocks and ``block_text[start:end]`` is what the row shows after ``prefix``;
    header rows keep their own ``text``. ``quote`` is the number of quote bars to draw and
    ``prefix`` the indentation / list marker drawn after them.
    """

    block: int
    start: int
    end: int
    role: str = "text"
    prefix: str = ""
    quote: int = 0
    text: str = ""
    first: bool = False  # first row of its block


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _cut(text: str, start: int, end: int, width: int) -> int:
    """The largest ``k`` in ``(start, end]`` with ``text[start:k]`` at most ``width`` cells
    (at least one character, so progress is always made)."""
    if text.isascii():
        return min(end, start + max(1, width))
    used = 0
    k = start
    while k < end and used < width:
        # Every character is at most 2 cells wide, so half the room always fits.
        step = max(1, (width - used) // 2)
        stop = min(end, k + step)
        w = cell_len(text[k:stop])
        if used + w > width and k > start:
            break
        used += w
        k = stop
    return k


def wrap_text(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` into ``(start, end)`` slices at most ``width`` cells.

    Hard newlines start a new row; whitespace at row breaks is dropped. An empty text gives
    one empty row.
    """
    width = max(1, width)
    ascii_text = text.isascii()
    if ascii_text:
        if not any(c in text for c in _OTHER_SPACES):
            return _wrap_ascii(text, width)
    elif _single_cells(text):
        return _wrap_ascii(text, width)
    rows: list[tuple[int, int]] = []
    pos = 0
    for part in text.split("\n"):
        part_start = pos
        pos += len(part) + 1
        rows_before = len(rows)
        row_start = -1
        row_end = 0
        row_width = 0
        for match in _WORD.finditer(part):
            ws, we = match.start() + part_start, match.end() + part_start
            word = match.group()
            w = len(word) if ascii_text else _width(word)
            if row_start >= 0:
                gap = ws - row_end if ascii_text else _width(text[row_end:ws])
                if row_width + gap + w <= width:
                    row_end = we
                    row_width += gap + w
                    continue
            if row_start >= 0:
                rows.append((row_start, row_end))
                row_start = -1
            if w <= width:
                row_start, row_end, row_width = ws, we, w
                continue
            # A word wider than a whole row: break it by cells.
            k = ws
            while k < we:
                cut = _cut(text, k, we, width)
                if cut >= we:
                    row_start, row_end = k, we
                    row_width = _width(text[k:we])
                    break
                rows.append((k, cut))
                k = cut
        if row_start >= 0:
            rows.append((row_start, row_end))
        if len(rows) == rows_before:  # a blank hard line still takes a row
            rows.append((part_start, part_start))
    return rows


# ASCII whitespace besides " " and "\n": text holding any is wrapped word by word.
_OTHER_SPACES = "\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
# Non-ASCII characters seen so far -> one cell wide and not whitespace.
_SINGLE_CELL: dict[str, bool] = {}


def _single_cells(text: str) -> bool:
    """Whether ``text`` (not ASCII) can be wrapped as ASCII is: every character is one cell
    wide and the only whitespace is ASCII spaces and newlines (curly quotes, accents, dashes
    and most Latin, Greek and Cyrillic text; not CJK, emoji or combining marks)."""
    known = _SINGLE_CELL
    for char in set(text):
        ok = known.get(char)
        if ok is None:
            if char.isascii():
                ok = char in " \n" or "!" <= char <= "~"
            else:
                ok = cell_len(char) == 1 and not char.isspace()
            if len(known) < 100_000:
                known[char] = ok
        if not ok:
            return False
    return True


def _wrap_ascii(text: str, width: int) -> list[tuple[int, int]]:
    """``wrap_text`` for text of one-cell characters whose only whitespace is spaces and
    newlines (see ``_single_cells``): the same rows, found a row at a time (``str.rfind``)
    instead of a word at a time."""
    rows: list[tuple[int, int]] = []
    append = append_row = rows.append
    pos = 0
    for part in text.split("\n"):
        part_start = pos
        end = pos + len(part)
        pos = end + 1
        k = part_start
        while k < end and text[k] == " ":
            k += 1
        if k >= end:  # a blank hard line still takes a row
            append((part_start, part_start))
            continue
        while end > k and text[end - 1] == " ":
            end -= 1
        while k < end:
            limit = k + width
            if limit >= end:
                append_row((k, end))
                break
            if text[limit] == " ":  # the words before ``limit`` fit exactly
                stop = limit
            else:
                space = text.rfind(" ", k, limit)
                if space < 0:  # one word wider than a row: break it by cells
                    append_row((k, limit))
                    k = limit
                    continue
                stop = space
            row_end = stop
            while text[row_end - 1] == " ":
                row_end -= 1
            append_row((k, row_end))
            k = stop + 1
            while k < end and text[k] == " ":
                k += 1
    return rows


def wrap_cells(text: str, width: int) -> list[tuple[int, int]]:
    """``text`` split at newlines, each line broken by cells at ``width`` (code, tables)."""
    width = max(1, width)
    rows: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if start == end:
            rows.append((start, end))
            continue
        k = start
        while k < end:
            cut = _cut(text, k, end, width)
            rows.append((k, cut))
            k = cut
    return rows


def _header(title: str, meta: str, width: int) -> list[LaidLine]:
    lines: list[LaidLine] = []
    for s, e in wrap_text(title, width):
        lines.append(LaidLine(-1, 0, 0, "title", text=title[s:e]))
    meta, _, deck = meta.partition("\n")
    for s, e in wrap_text(deck, width) if deck else ():
        lines.append(LaidLine(-1, 0, 0, "deck", text=deck[s:e]))
    if meta:
        for s, e in wrap_text(meta, width):
            lines.append(LaidLine(-1, 0, 0, "meta", text=meta[s:e]))
    lines.append(LaidLine(-1, 0, 0, "header-rule", text="─" * width))
    lines.append(LaidLine(-1, 0, 0, "blank"))
    return lines


def _gap(previous: Block | None, block: Block) -> int:
    """Blank rows between two blocks."""
    if previous is None:
        return 0
    if block.kind == "heading":
        return 2 if block.level <= 2 else 1
    if block.kind == "list_item" and previous.kind == "list_item":
        return 0 if block.marker or block.level != previous.level else 1
    return 1


def layout_article(
    blocks: Sequence[Block], measure: int, *, title: str = "", meta: str = ""
) -> list[LaidLine]:
    """Lay out ``blocks`` (after a title header when ``title`` is given) at ``measure``
    columns. ``meta`` is the line under the title; a second line of it (after a newline)
    is the deck, shown between the two. Returns the rows in order; see ``LaidLine``."""
    measure = max(MIN_TEXT_WIDTH, measure)
    lines: list[LaidLine] = _header(title, meta, measure) if title else []
    previous: Block | None = None
    append = lines.append
    for index, block in enumerate(blocks):
        gap = _gap(previous, block)
        bars = min(block.quote, previous.quote) if previous is not None else 0
        for _ in range(gap):
            append(LaidLine(-1, 0, 0, "blank", quote=bars))
        previous = block
        quote = block.quote
        indent = ""
        marker = ""
        if block.kind == "list_item":
            indent = " " * (LIST_INDENT * max(0, block.level - 1))
            marker_width = max(2, _width(block.marker) + 1) if block.marker else 2
            marker = (block.marker + " ").ljust(marker_width) if block.marker else " " * 2
            # continuation rows hang under the text
        prefix_width = 2 * quote + _width(indent) + _width(marker)
        text_width = max(MIN_TEXT_WIDTH, measure - prefix_width)
        kind = block.kind
        if kind == "rule":
            append(LaidLine(index, 0, 0, "rule", quote=quote, first=True))
            continue
        if kind in ("code", "table"):
            rows = wrap_cells(block.text, text_width)
            role = kind
        else:
            rows = wrap_text(block.text, text_width)
            role = "text"
        hang = indent + " " * _width(marker)
        first = True
        for start, end in rows:
            prefix = indent + marker if first else hang
            append(LaidLine(index, start, end, role, prefix, quote, first=first))
            first = False
    return lines


def column_to_offset(block_text: str, line: LaidLine, column: int) -> int:
    """The offset in ``block_text`` under ``column`` cells into ``line``'s text (clamped to
    the line's slice)."""
    if column <= 0:
        return line.start
    used = 0
    for k in range(line.start, line.end):
        used += cell_len(block_text[k])
        if used > column:
            return k
    return line.end


DEFAULT_MEASURE = 80
MIN_MEASURE = 40
MAX_MEASURE = 160
MEASURE_STEP = 4


@dataclass(slots=True)
class LaidDocument:
    """What one ``show`` produced: blocks and rows for a given measure.

    ``partial``: a preview of the body's start while the whole text is laid out."""

    blocks: list[Block]
    lines: list[LaidLine]
    measure: int
    first_line: list[int]  # first row index of each block
    partial: bool = False


def first_lines(lines: Sequence[LaidLine], block_count: int) -> list[int]:
    first = [0] * block_count
    seen = [False] * block_count
    for row, line in enumerate(lines):
        b = line.block
        if b >= 0 and not seen[b]:
            seen[b] = True
            first[b] = row
    return first
