"""The app's main screen (the three panes): a Textual ``Screen`` that skips one redundant
restyle before the first frame.

Owns ``MainScreen``. Textual restyles every node of a screen each time it resumes
(``ScreenResume.refresh_styles``): needed when the screen comes back from under a
dialog, after the stylesheet may have changed (``switch_screen`` asks for it; popping a dialog,
as of Textual 8, does not). Its *first* resume, though,
comes right after mounting, which styled every node already; restyling them all again
cost about 6 ms of the start (the article view and the quote pane have many component
classes, each restyled too). Every later resume restyles as usual.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class MainScreen(Screen[None]):
    """The default screen of ``ReaderApp``; see the module's docstring."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.restyled_on_resume = 0  # resumes that restyled every node (for tests)
        self._resumed_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before ``Screen``'s own handler (Textual calls the subclass's first)."""
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False  # just mounted: every node is styled
        if event.refresh_styles:
            self.restyled_on_resume += 1
