"""A start snapshot made on another core while the TUI starts, when the saved one is stale.

Owns ``SnapshotMaker``. The first screen is drawn from the library's start snapshot
(``reader.startup.snapshot``): the rows around the cursor and the start of the shown
article's text, already parsed. When there is none, or it is stale (the app was killed,
another program or machine wrote the library, a backup was restored), making that screen
means reading and parsing the whole library file and importing the Markdown parser before
the first frame.

So the launcher forks a process at once, before importing Textual. The child reads the
library's files and makes the snapshot (``snapshot_of_library``), as the app would save
it, and sends it through a pipe; meanwhile the parent imports Textual and builds the app,
then takes the snapshot and draws its first screen from it, as after a normal quit. The
library itself opens right after that frame.

The child only reads: it takes no lock and writes no file (not even the snapshot: the app
saves one when it quits). A snapshot is used only if it names the library files' current
versions, and the child sends one only if the files did not change while it read them.
Whatever goes wrong in the child (an unreadable library, a crash) just means no
snapshot: the parent then opens the library itself and reports what is wrong, as before.

Not done where it cannot help: with one CPU core (the child would compete with the
parent), on platforms without ``fork``, for a library file that does not exist yet, and
when ``READER_NO_SNAPSHOT_FORK`` is set.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from reader.settings.paths import journal_path_for, snapshot_path

if TYPE_CHECKING:  # imported when used: the fork comes first, before almost any import
    from reader.startup.snapshot import StartSnapshot

DISABLE_ENV = "READER_NO_SNAPSHOT_FORK"


def _cores() -> int:
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def worth_forking(library_path: Path) -> bool:
    """Whether making the snapshot in a child process can bring the first screen sooner:
    the library's snapshot is missing or older than a library file (a quick guess from
    modification times: the snapshot itself says exactly which versions it was taken
    from, and is checked when read)."""
    if not hasattr(os, "fork") or os.environ.get(DISABLE_ENV) or _cores() < 2:
        return False
    if not library_path.is_file():
        return False  # a new library: nothing to show
    snapshot = _mtime(snapshot_path(library_path))
    journal = _mtime(journal_path_for(library_path))
    library = _mtime(library_path) or 0
    return snapshot is None or snapshot < max(library, journal or 0)


def snapshot_of_library(library_path: Path) -> bytes | None:
    """The start snapshot of the library as it is on disk (what the child sends), or None
    when it is not a library this version opens as it is, or its files changed while
    they were read. Only the rows kept become ``Article`` objects."""
    from reader.search.order import ids_in_order, start_sort
    from reader.settings.config import load_config
    from reader.startup.snapshot import library_files_version, snapshot_bytes_of
    from reader.store.stored_tables import read_stored_tables

    before = library_files_version(library_path)
    tables = read_stored_tables(library_path)
    if tables is None:
        return None
    sort = start_sort(tables.get_setting("sort"), load_config().sort)
    ids = ids_in_order(tables.articles, sort)
    raw = snapshot_bytes_of(tables, library_path, sort, ids, lambda i: tables.article(ids[i]))
    return raw if library_files_version(library_path) == before else None


class SnapshotMaker:
    """A child process making the start snapshot of a library; ``result`` waits for it."""

    def __init__(self, library_path: Path, pid: int, pipe: int) -> None:
        self.library_path = library_path
        self._pid = pid
        self._pipe: int | None = pipe
        self.raw: bytes | None = None
        """The snapshot as the child sent it, once ``result`` has a snapshot."""

    @classmethod
    def start(cls, library_path: Path) -> SnapshotMaker | None:
        """Fork the child for ``library_path``, or None when that would not help (see
        ``worth_forking``) or the fork fails."""
        if not worth_forking(library_path):
            return None
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(library_path, write_end)
        os.close(write_end)
        return cls(library_path, pid, read_end)

    def result(self) -> StartSnapshot | None:
        """The snapshot, once the child has sent it; None if it could not make one or the
        library changed since."""
        if self._pipe is None:
            return None
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self._pipe, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        ok = self._finish(kill=False)
        if not ok or not chunks:
            return None
        from reader.startup.snapshot import parse_start_snapshot

        raw = b"".join(chunks)
        snapshot = parse_start_snapshot(raw, self.library_path)
        self.raw = raw if snapshot is not None else None
        return snapshot

    def close(self) -> None:
        """Stop the child if it still runs (the snapshot is no longer wanted)."""
        self._finish(kill=True)

    def _finish(self, *, kill: bool) -> bool:
        """Close the pipe and reap the child; True if it ended well."""
        if self._pipe is None:
            return False
        os.close(self._pipe)
        self._pipe = None
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0


def _child(library_path: Path, pipe: int) -> None:
    """Make the snapshot, write it to ``pipe`` and exit (never returns, never raises:
    the parent's stdio, atexit handlers and exceptions are not the child's to run)."""
    code = 1
    try:
        gc.disable()  # a short life: nothing to collect before it ends
        raw = snapshot_of_library(library_path)
        if raw is not None:
            view = memoryview(raw)
            while view:
                view = view[os.write(pipe, view) :]
            code = 0
    except BaseException:  # noqa: BLE001 - anything at all: the parent opens the library
        code = 1
    finally:
        os._exit(code)
