"""The scroll range of a line-rendered ``ScrollView``, set without laying out the screen.

Owns ``set_scroll_range``. Assigning ``ScrollView.virtual_size`` asks Textual for a layout
of the whole screen. The list and the article view render
their own lines and their size comes from the CSS alone, so a new range needs only the
scrollbars updated, the scroll position clamped and a repaint. (A scrollbar that appears or
goes still lays out, through its ``display``.)
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_scroll_range(view: ScrollView, size: Size, *, repaint: bool = True) -> None:
    """Give ``view`` the scroll range ``size``; ``repaint=False`` when the lines on screen
    are unchanged (only the scrollbar is drawn again)."""
    if size == view.virtual_size:
        return
    if not view.is_mounted:
        view.virtual_size = size
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)
    if repaint:
        view.refresh()
