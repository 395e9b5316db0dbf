"""The reference for the cold-start measurement: the smallest Textual app.

Shows one line (``MINIMAL-APP-READY``) and exits right after its first frame was drawn.
``bench/pty_timing.py`` starts it in a pseudo-terminal exactly as it starts ``reader``, so
the ratio reader / minimal removes the cost of Python and Textual themselves.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "MINIMAL-APP-READY"


class MinimalApp(App[None]):
    """One static line; exits after the first refresh."""

    def compose(self) -> ComposeResult:
        """The one line."""
        yield Static(MARKER)

    def on_mount(self) -> None:
        """Exit once the first frame is on screen."""
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    MinimalApp().run()
