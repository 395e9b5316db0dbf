"""When the cyclic garbage collector runs while the app is open: in pauses, not on a key.

Owns ``IdleCollector``. A full collection walks every object the app keeps (laid-out
articles, cached rows, Textual's caches) and the cyclic garbage made since the last one:
much of what Textual draws ends up in reference cycles of its own caches (a ``Strip``
caches the pieces it was divided into, itself among them), so busy reading leaves many
such objects and a full collection is long enough to delay a key. While the app runs, full collections are left out of Python's automatic
schedule (young objects are still collected as usual) and run instead once the user has
paused for a moment after a burst of work (``note_activity``). During a long busy stretch
one runs at least every ``MAX_WAIT`` seconds, right after the frame the work made, so the
key that made it is not kept waiting. The library and the search index are frozen out of
the collector once loaded (``reader.gc_pause.gc_paused``, ``LibraryView.build_index``),
so a full collection only walks what the session made.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

PAUSE = 0.3  # seconds without activity before a full collection
MAX_WAIT = 2.0  # a full collection at least this often while busy (keeps it short)
NEVER = 1 << 30  # third threshold: no automatic full collections


class IdleCollector:
    """Runs full collections in the pauses of one app (``start`` on mount, ``stop`` on
    unmount, which gives Python its own schedule back)."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._saved: tuple[int, int, int] | None = None
        self._timer: Timer | None = None
        self._last_full = time.monotonic()
        self._overdue = False  # a collection waits for the frame being made
        self.collections = 0  # full collections run here (for tests)

    def start(self) -> None:
        """Take full collections out of Python's schedule."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            gc.set_threshold(self._saved[0], self._saved[1], NEVER)

    def stop(self) -> None:
        """Python's own schedule again."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def note_activity(self) -> None:
        """Work was done that leaves garbage: collect after the next pause."""
        if self._saved is None:
            return
        if time.monotonic() - self._last_full > MAX_WAIT:
            if not self._overdue:  # after the frame this work makes, not before it
                self._overdue = True
                self._app.call_after_refresh(self.collect)
            return
        if self._timer is not None:
            self._timer.stop()  # (``Timer.reset`` of a one-shot timer never fires it)
        self._timer = self._app.set_timer(PAUSE, self._on_pause)

    def _on_pause(self) -> None:
        self._timer = None
        self.collect()

    def collect(self) -> None:
        """A full collection now."""
        gc.collect()
        self._last_full = time.monotonic()
        self._overdue = False
        self.collections += 1
