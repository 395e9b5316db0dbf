"""Syncing from the app (``ctrl+s``, the palette, and ``[sync] auto = true``).

Owns ``SyncRunner``: one sync at a time in a thread worker, on its own ``Library`` of the
same file (the store's lock orders it with the app's writes; the app picks the changes up
by re-reading), then a notice with the result. The first screen is never delayed: the
automatic sync starts once the library is open. ``sync_at_quit`` is the automatic sync
after the app has quit (the terminal is back then; one line on stderr).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.sanitize import clean_line

if TYPE_CHECKING:
    from textual.app import App


def run_sync(path: Path) -> str:
    """Sync the library file at ``path``; the one-line result (raises ``ReaderError``)."""
    from reader.store import Library
    from reader.sync.service import sync

    with Library(path) as library:
        return sync(library).summary()


def is_set_up(path: Path) -> bool:
    """Whether the library at ``path`` was set up with ``reader sync init``."""
    from reader.sync.service import LibraryFolder, is_sync_folder

    return (path.parent / ".git").is_dir() and is_sync_folder(LibraryFolder(path))


class SyncRunner:
    """Runs the app's syncs, one at a time."""

    def __init__(self, app: App[None], path: Path, on_done: Callable[[], object]) -> None:
        self.app = app
        self.path = path
        self.on_done = on_done  # called on the app's thread after a sync that worked
        self.running = False

    def start(self, *, automatic: bool = False) -> None:
        """Start a sync (``automatic``: quietly skipped when sync is not set up)."""
        if automatic and not is_set_up(self.path):
            return
        if self.running:
            self.app.notify("A sync is already running", timeout=3)
            return
        self.running = True
        self.app.notify("Syncing…", timeout=2)
        self.app.run_worker(self._work, thread=True, group="sync")

    def _work(self) -> None:
        """(A worker thread.) Sync, then tell the app."""
        try:
            message, failed = run_sync(self.path), False
        except ReaderError as err:
            message, failed = f"Sync failed: {err}", True
        except Exception as err:  # a bug: a notice, never a traceback over the screen
            message, failed = f"Sync failed: internal error: {type(err).__name__}: {err}", True
        with contextlib.suppress(RuntimeError):  # the app has quit meanwhile
            self.app.call_from_thread(self._finish, message, failed)

    def _finish(self, message: str, failed: bool) -> None:
        self.running = False
        if not failed:
            self.on_done()
        text = clean_line(message[:1].upper() + message[1:])
        self.app.notify(
            text, severity="error" if failed else "information", timeout=8, markup=False
        )


def sync_at_quit(path: Path) -> None:
    """The automatic sync at quit: one line on stderr, never an exception."""
    if not is_set_up(path):
        return
    try:
        message = run_sync(path)
    except ReaderError as err:
        message = f"sync failed: {err}"
    print(f"reader: {clean_line(message)}", file=sys.stderr)
