"""The app's footer: Textual's ``Footer`` that keeps ``? Help`` and ``q Quit`` on screen.

Owns ``ReaderFooter``. Textual's footer lays the keys out left to right and lets those that
do not fit run off the right edge; ours ended with Help and Quit, so at 80 and 60 columns
the two keys a new user needs most were the ones cut. ``ReaderFooter`` drops the keys that
do not fit from the end of the rest (their order in ``COMMANDS`` is their priority) and
always shows the keys of ``ALWAYS_SHOWN``; it composes again when its width changes.

Textual's footer also rebuilds its keys (new widgets, then a layout of the whole screen,
25-80 ms on the shared machine) every time the bindings are checked again
(``refresh_bindings``: an article shown after none, a selection started or ended, the focus
moved), whether or not the keys it shows change; ``ReaderFooter`` compares what it would
show (``footer_keys``) with what it shows and rebuilds only on a difference. (The panes do
show different keys: ``enter`` opens an article only from outside the list and the quote
pane, which use ``enter`` themselves; so moving between panes still rebuilds it, a frame
after the move.)
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("help", "quit")
"""Actions whose keys the footer never drops."""
PALETTE_CELLS = 14  # the command palette's key, docked right ("▏^p palette")


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


def _always(key: FooterKey) -> bool:
    return key.action.rpartition(".")[2] in ALWAYS_SHOWN  # "app.quit" is quit


def key_cells(key: FooterKey) -> int:
    """The cells one key takes: " k " then "Description " (Footer's non-compact style)."""
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)


class ReaderFooter(Footer):
    """``Footer`` that drops low-priority keys rather than Help and Quit when short of room,
    and rebuilds only when its keys change."""

    def __init__(self) -> None:
        super().__init__()
        self._composed_width = 0
        self._shown_keys: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild (after the next frame, as ``Footer`` does) if the keys differ."""
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = footer_keys(screen)
            if keys == self._shown_keys:
                return
            self._shown_keys = keys
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        """Textual's keys, less those that do not fit (never the ``ALWAYS_SHOWN`` ones)."""
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._composed_width = width
        keys = [
            w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")
        ]
        kept_always = [k for k in keys if _always(k)]
        room = width - PALETTE_CELLS - sum(key_cells(k) for k in kept_always)
        dropped: set[int] = set()
        for key in keys:
            if _always(key):
                continue
            cells = key_cells(key)
            if cells <= room:
                room -= cells
            else:
                room = -1  # keep the order: nothing after a key that did not fit
                dropped.add(id(key))
        shown = [w for w in widgets if id(w) not in dropped]
        self.styles.grid_size_columns = len(shown)
        yield from shown

    def on_resize(self, event: events.Resize) -> None:
        """Compose again for the new width."""
        if event.size.width != self._composed_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
