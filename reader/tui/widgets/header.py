"""The app's header: Textual's ``Header`` whose title changes never lay out the screen.

Owns ``ReaderHeader``. Textual's header title is a ``Static`` updated with a full layout of
the screen on every title change; the app changes its title with every article shown (a
``j`` in the list), and that layout cost more than drawing the new article. The title's
size is fixed by its CSS (``width: 100%``, one line), so a repaint is enough.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderClockSpace, HeaderIcon, HeaderTitle


class _RepaintedTitle(HeaderTitle):
    """The title: a change repaints it, without laying out the screen."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        """Show ``content`` (its size never changes: no layout)."""
        super().update(content, layout=False)


class ReaderHeader(Header):
    """``Header`` with the title of ``_RepaintedTitle``."""

    def compose(self) -> ComposeResult:
        """Icon, title and clock (or the space the clock would take), as in ``Header``."""
        yield HeaderIcon().data_bind(Header.icon)
        yield _RepaintedTitle()
        yield (
            HeaderClock().data_bind(Header.time_format) if self._show_clock else HeaderClockSpace()
        )
