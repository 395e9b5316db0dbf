"""The app's main screen (the three panes): a Textual ``Screen`` that skips one redundant
restyle before the first frame, and a repaint of the whole screen when the focus moves.

Owns ``MainScreen``. When a screen resumes, Textual restyles every node of it if the event
asks to (``ScreenResume.refresh_styles``: ``switch_screen`` asks, in case the stylesheet
changed meanwhile). The main screen's *first* resume asks too, yet comes right after the
mount that styled every node, so the first resume skips it; every later one restyles as
asked.

``Screen.focused`` repaints the whole screen when it changes (``enter`` into the article,
``escape`` back, ``tab``): every widget's lines composed and the whole screen written to
the terminal. The widgets that gain and lose the focus are restyled and repaint
themselves, so here the focus changes without that repaint.
"""

from __future__ import annotations

from textual import events
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen[None]):
    """The default screen of ``ReaderApp``; see the module's docstring."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As ``Screen.focused``, without repainting the whole screen."""

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
