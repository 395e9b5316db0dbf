"""The panes' focus restyle: the pane's own styles, not its scrollbars'.

Owns ``PaneFocusStyles``, a mixin for the list and quote panes (the article pane has its
frame: ``article.frame``). Textual restyles a widget when it gains or loses the focus, and
its scrollbars with it; restyling a scrollbar sets its size rules again, which asks for a
layout of the whole screen and draws the scrollbars anew. No scrollbar rule depends on
the focus (``app.tcss``), so the panes restyle themselves alone. A pane using this must
have no child widgets whose styles follow its focus.
"""

from __future__ import annotations

from typing import cast

from textual.widget import Widget


class PaneFocusStyles:
    """Restyles only this widget (and its component classes) when the focus changes.
    A plain mixin, listed before the widget class (a ``Widget`` base here would hide the
    widget's ``COMPONENT_CLASSES``)."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Apply the stylesheet to this node alone (see the module's docstring)."""
        widget = cast(Widget, self)
        if widget.is_attached:
            widget.app.stylesheet.apply(widget, animate=True)
