"""The filter bar: a one-line search box under the panes, opened with ``/``.

Owns ``FilterBar``. It filters as you type (posting ``FilterBar.QueryChanged``), ``enter``
keeps the filter and returns to the list (``FilterBar.QueryDone``), ``escape`` clears the
filter and closes the bar (``FilterBar.QueryCancelled``). The query language is described
in ``reader.search.query``; ``show_problem`` names an operator it does not know, above the
text.

Typing never queues work: while a ``QueryChanged`` is waiting to be handled, further edits
post nothing, and the waiting message's ``text`` is read from the bar when the app handles
it. A burst of keystrokes typed while the app is busy is thus filtered once, with the
latest text; a keystroke typed while the app is idle is filtered at once (no timer, so the
list never lags behind the text).
"""

from __future__ import annotations

import time

from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
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
    FilterBar.-problem {
        border: tall $warning;
        border-title-color: $warning;
        border-title-style: bold;
    }
    """

    class QueryChanged(Message):
        """The query text changed (as typed)."""

        def __init__(self, text: str, bar: FilterBar | None = None) -> None:
            super().__init__()
            self._text = text
            self._bar = bar

        @property
        def text(self) -> str:
            """The query: the bar's text at the moment this is first read (the latest)."""
            bar = self._bar
            if bar is not None:
                self._bar = None
                self._text = bar.value
                bar._waiting = None
            return self._text

    class QueryDone(Message):
        """The user pressed enter: keep the filter."""

    class QueryCancelled(Message):
        """The user pressed escape: clear the filter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='Filter: words, "a phrase", tag:x, site:x, is:unread, -word',
            id=id,
        )
        self._waiting: float | None = None  # when the unread QueryChanged was posted

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """Input sets its virtual size on every edit; the bar's size never depends on it (one
    line, docked), so a keystroke repaints the bar instead of laying out the screen."""

    STALE_AFTER = 1.0
    """Seconds after which an unread ``QueryChanged`` no longer holds back a new one."""

    def open(self, text: str) -> None:
        """Show the bar holding ``text`` and focus it."""
        self._waiting = None
        with self.prevent(Input.Changed):
            self.value = text
        self.cursor_position = len(text)
        self.add_class("-open")
        # Focus now, not after the queued events: keys typed right after `/` must land
        # in the bar, not trigger the app's one-letter actions.
        self.screen.set_focus(self)

    def show_problem(self, problem: str | None) -> None:
        """Name what is wrong with the query (an unknown operator) above the text, or
        nothing."""
        text = problem or ""
        if text != self.border_title:
            self.border_title = text
            self.set_class(bool(text), "-problem")

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
        now = time.monotonic()
        if self._waiting is not None and now - self._waiting < self.STALE_AFTER:
            return  # the waiting message will read the latest text
        self._waiting = now
        self.post_message(self.QueryChanged(event.value, self))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep the filter."""
        event.stop()
        self.post_message(self.QueryDone())

    def action_cancel(self) -> None:
        """Clear the filter."""
        self.post_message(self.QueryCancelled())
