"""The terminal window's title (xterm sequences), written through Textual's driver.

Owns ``TerminalTitle``: the one place that touches ``App._driver`` (Textual 8 has no API for
the window title). Saves the terminal's own title at start, sets the article's title (OSC 2,
cleaned of every control character first, so a title cannot end the sequence), and gives
the terminal its title back at the end. Does nothing when headless or without a driver.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.driver import Driver

from reader.sanitize import clean_line


class TerminalTitle:
    """The window title of ``app``'s terminal; see the module's docstring."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._terminal_title: str | None = None  # the title we set last, if any

    def _driver(self) -> Driver | None:
        driver = getattr(self._app, "_driver", None)  # private: see the module's docstring
        return driver if isinstance(driver, Driver) else None

    def save(self) -> None:
        """Save the terminal's own title (xterm's title stack), to restore at the end."""
        driver = self._driver()
        if driver is not None and not self._app.is_headless:
            with contextlib.suppress(Exception):
                driver.write("\x1b[22;0t")  # xterm: save the terminal's title

    def set(self, text: str) -> None:
        """The terminal window's title (OSC 2), where there is a real terminal."""
        driver = self._driver()
        if driver is None or self._app.is_headless:
            return
        safe = clean_line(text)[:120]
        if safe != self._terminal_title:
            self._terminal_title = safe
            with contextlib.suppress(Exception):  # a title is never worth a crash
                driver.write(f"\x1b]2;{safe}\x07")

    def restore(self) -> None:
        """Give the terminal its own title back, if we changed it."""
        if self._terminal_title is not None:
            driver = self._driver()
            with contextlib.suppress(Exception):
                if driver is not None:
                    driver.write("\x1b[23;0t")  # xterm: restore the title saved at start
