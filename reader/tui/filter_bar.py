"""The filter bar: a one-line search box under the panes, opened with ``/``.

Owns ``FilterBar``. It filters as you type (posting ``FilterBar.QueryChanged`` on every edit),
``enter`` keeps the filter and returns to the list (``FilterBar.QueryDone``), ``escape`` clears
the filter and closes the bar (``FilterBar.QueryCancelled``). The query language is described
in ``reader.query``.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """The search box. Hidden (``display: none``) until opened."""

    BINDINGS = [Binding("escape", "cancel", "Clear filter", show=False)]
    """``escape`` clears the filter; ``enter`` is Input's submit."""

    DEFAULT_CSS = """
    FilterBar {
        dock: bottom;
        display: none;
        border: tall $primary;
    }
    FilterBar.-open {
        display: block;
    }
    """

    class QueryChanged(Message):
        """The query text changed (as typed)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class QueryDone(Message):
        """The user pressed enter: keep the filter."""

    class QueryCancelled(Message):
        """The user pressed escape: clear the filter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='Filter: words, "a phrase", tag:x, site:x, is:unread, -word',
            id=id,
        )

    def open(self, text: str) -> None:
        """Show the bar holding ``text`` and focus it."""
        with self.prevent(Input.Changed):
            self.value = text
        self.cursor_position = len(text)
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        """Hide the bar."""
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        """True while the bar shows."""
        return self.has_class("-open")

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as you type."""
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep the filter."""
        event.stop()
        self.post_message(self.QueryDone())

    def action_cancel(self) -> None:
        """Clear the filter."""
        self.post_message(self.QueryCancelled())
