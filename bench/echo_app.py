"""The Textual reference for ``terminal_latency.py``: the smallest Textual app that redraws
on each key.

One line that shows the last key and a count; every key changes it. Timed through tmux as
``reader`` is, it shows what Textual itself costs per key on this machine under its
present load (the plain floor, ``echo_keys.py``, does not slow down when the cores are
busy; this does, as ``reader`` does). ``ctrl+q`` quits.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "ECHO-APP-READY"


class EchoApp(App[None]):
    """One line, redrawn on every key."""

    def compose(self) -> ComposeResult:
        """The line."""
        yield Static(MARKER, id="line")

    def on_key(self, event: events.Key) -> None:
        """Show the key and how many came."""
        self._count = getattr(self, "_count", 0) + 1
        self.query_one("#line", Static).update(f"key {self._count}: {event.key}")


if __name__ == "__main__":
    EchoApp().run()
