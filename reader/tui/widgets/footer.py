"""The app's footer: Textual's ``Footer``, rebuilt only when the keys it shows change.

Owns ``ReaderFooter``. Textual's footer rebuilds its keys (new widgets, then a layout of
the whole screen, 25-80 ms here) every time the bindings are checked again
(``refresh_bindings``: an article shown after none, a selection started or ended, the
focus moved), whether or not the keys it shows change. ``ReaderFooter`` compares what it
would show with what it shows and rebuilds only on a difference. (The panes do show
different keys: ``enter`` opens an article only from outside the list and the quote pane,
which use ``enter`` themselves; so moving between panes still rebuilds it, a frame after
the move.)
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def footer_keys(screen: Screen) -> tuple[object, ...]:
    """What ``Footer.compose`` would show for ``screen``: every shown binding's key,
    label, action, state and tooltip, and the command palette's key."""
    app = screen.app
    shown: tuple[object, ...] = tuple(
        (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
        for (_, b, enabled, tooltip) in screen.active_bindings.values()
        if b.show
    )
    palette = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if palette is not None:
        _, binding, enabled, tooltip = palette
        shown += (("palette", binding.key, binding.description, enabled, tooltip),)
    return shown


class ReaderFooter(Footer):
    """``Footer`` that rebuilds only when its keys change."""

    _shown_keys: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild (after the next frame, as ``Footer`` does) if the keys differ."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = footer_keys(screen)
            if keys == self._shown_keys:
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
