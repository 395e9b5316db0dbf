"""The app's header: one line laid out by priority, whose changes never lay out the screen.

Owns ``ReaderHeader`` and ``fit_header``. The line is the shown article's title, then the
parts the app gives in priority order (count, filter, sort, theme, library); at the width
there is, the lowest-priority parts give way before the title is cut below
``MIN_TITLE_CELLS``, and the title takes what is left. The header re-lays its line out when
its width changes.

Textual's header title is a ``Static`` updated with a full layout of the screen on every
title change; the app changes its title with every article shown (a ``j`` in the list),
and that layout cost more than drawing the new article. The title's size is fixed by its
CSS (``width: 100%``, one line), so a repaint is enough.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderIcon, HeaderTitle

SEPARATOR = " · "
MIN_TITLE_CELLS = 32  # the title keeps this much (or all of it) before the parts give way


def fit_header(title: str, parts: Sequence[str], width: int, *, extras: int = 0) -> str:
    """``title`` then ``parts`` (highest priority first), joined by ``SEPARATOR``, in at
    most ``width`` cells. The last ``extras`` parts show only beside the whole title; the
    others give way, last first, while the title would get fewer than ``MIN_TITLE_CELLS``.
    The title is then cut (with ``…``) to what is left."""
    kept = [part for part in parts[: len(parts) - extras] if part]
    optional = [part for part in parts[len(parts) - extras :] if part]

    def rest(items: list[str]) -> int:
        return sum(cell_len(SEPARATOR) + cell_len(item) for item in items)

    whole = cell_len(title)
    for part in optional:
        if whole + rest([*kept, part]) > width:
            break
        kept.append(part)
    wanted = min(whole, MIN_TITLE_CELLS)
    while len(kept) > 1 and wanted + rest(kept) > width:
        kept.pop()
    room = max(0, width - rest(kept))
    if whole > room:
        title = set_cell_size(title, max(0, room - 1)) + "…" if room else ""
    line = title + "".join(SEPARATOR + item for item in kept)
    return line if cell_len(line) <= width else set_cell_size(line, width)


class _RepaintedTitle(HeaderTitle):
    """The title: a change repaints it, without laying out the screen."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """Show ``content`` (its size never changes: no layout)."""
        super().update(content, layout=False)


class ReaderHeader(Header):
    """``Header`` whose line is ``fit_header(app.title, parts(), width)``; no clock, a
    narrow icon, so the line has the width."""

    DEFAULT_CSS = """
    ReaderHeader HeaderIcon {
        width: 3;
    }
    """

    def __init__(self, *, icon: str, parts: Callable[[], Sequence[str]], extras: int = 0) -> None:
        super().__init__(icon=icon)
        self._parts = parts
        self._extras = extras
        self._laid_out_width = -1

    def compose(self) -> ComposeResult:
        """Icon and title."""
        yield HeaderIcon().data_bind(Header.icon)
        yield _RepaintedTitle()

    def format_title(self) -> Content:
        """The line, laid out for the title's width (plain text: never markup)."""
        title = self.query_one(_RepaintedTitle)
        width = title.size.width or max(0, self.app.size.width - 3)
        self._laid_out_width = width
        return Content(fit_header(self.screen_title, self._parts(), width, extras=self._extras))

    def on_resize(self, event: events.Resize) -> None:
        """Lay the line out again for the new width."""
        self.call_after_refresh(self._relay)

    def _relay(self) -> None:
        title = self.query_one(_RepaintedTitle)
        if title.size.width != self._laid_out_width:
            title.update(self.format_title())
