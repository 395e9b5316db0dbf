"""The app's footer: Textual's ``Footer`` that keeps ``? Help`` and ``q Quit`` on screen.

Owns ``ReaderFooter``. Textual's footer lays the keys out left to right and lets those that
do not fit run off the right edge; ours ended with Help and Quit, so at 80 and 60 columns
the two keys a new user needs most were the ones cut. ``ReaderFooter`` drops the keys that
do not fit from the end of the rest (their order in ``COMMANDS`` is their priority) and
always shows the keys of ``ALWAYS_SHOWN``; it composes again when its width changes.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("help", "quit")
"""Actions whose keys the footer never drops."""
PALETTE_CELLS = 14  # the command palette's key, docked right ("▏^p palette")


def _always(key: FooterKey) -> bool:
    return key.action.rpartition(".")[2] in ALWAYS_SHOWN  # "app.quit" is quit


def key_cells(key: FooterKey) -> int:
    """The cells one key takes: " k " then "Description " (Footer's non-compact style)."""
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)


class ReaderFooter(Footer):
    """``Footer`` that drops low-priority keys rather than Help and Quit when short of room."""

    def __init__(self) -> None:
        super().__init__()
        self._composed_width = 0

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
