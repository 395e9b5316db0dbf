"""Opening the TUI on a library: the start snapshot made or read, the app run, the
snapshot saved at the end.

Owns ``run_tui``, called by ``reader.launch`` (plain ``reader``) and ``reader tui`` /
``reader demo``. Textual is imported only inside it, once the snapshot maker is under way.
Any error ends it with one line on stderr (exit status 1, or 2 for an internal error),
never a traceback (``READER_DEBUG=1`` shows it).
"""

from __future__ import annotations

import sys
from pathlib import Path


def run_tui(db: Path | None, *, label: str | None = None) -> None:
    """Open the library (``--db``, ``READER_DB``, config, default) in the TUI. A library
    chosen by name that does not exist is one line on stderr and exit status 1 (nothing is
    created); the standard library is made empty on the first start."""
    from reader.gc_pause import end_start_pause, pause_for_start

    pause_for_start()  # the app ends the pause after its first frame
    try:
        _run_tui(db, label=label)
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as err:  # one line, as every command: never a traceback
        import os

        from reader.errors import ReaderError, describe_os_error
        from reader.sanitize import clean_line

        if os.environ.get("READER_DEBUG"):
            raise
        if isinstance(err, ReaderError | OSError):
            line = describe_os_error(err) if isinstance(err, OSError) else str(err)
            print(f"reader: {clean_line(line)}", file=sys.stderr)
            raise SystemExit(1) from None
        detail = clean_line(str(err))[:300]
        print(f"reader: internal error: {type(err).__name__}: {detail}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        end_start_pause()


def _run_tui(db: Path | None, *, label: str | None) -> None:
    """``run_tui`` within the start's pause of the garbage collector."""
    from reader.settings.config import resolve_db_path
    from reader.settings.paths import standard_db_path
    from reader.startup.snapshot_fork import SnapshotMaker

    path = resolve_db_path(db)
    if not path.exists() and path != standard_db_path():  # a mistyped --db or READER_DB
        from reader.errors import NoLibrary

        print(f"reader: {NoLibrary(path)}", file=sys.stderr)
        raise SystemExit(1)
    # A library whose start snapshot is stale or missing: another process makes one while
    # this one imports Textual. Else the snapshot on disk, if the library is unchanged.
    maker = SnapshotMaker.start(path)

    from reader.errors import ReaderError
    from reader.startup.snapshot import read_start_snapshot, save_snapshot_bytes

    snapshot = read_start_snapshot(path) if maker is None else None
    try:
        from reader.store import Library
        from reader.tui.app import ReaderApp
        from reader.tui.pending_library import PendingLibrary

        if maker is not None:
            snapshot = maker.result()
        # With a snapshot the library opens after the first frame, else before it.
        source = PendingLibrary(path, snapshot) if snapshot is not None else Library(path)
        app = ReaderApp(source, library_label=label or str(path))
    except ReaderError as err:
        print(f"reader: {err}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        if maker is not None:
            maker.close()
    try:
        app.run()
        if app.config.sync_auto and not app.return_code:
            from reader.tui.sync_runner import sync_at_quit

            sync_at_quit(path)
        if app.library_loaded:
            app.save_start_snapshot()
        elif maker is not None and maker.raw is not None:  # quit before the library opened
            save_snapshot_bytes(path, maker.raw)
    finally:
        if app.library_loaded:
            app.library.close()
            for notice in app.library.take_notices():
                print(f"reader: {notice}", file=sys.stderr)
    if app.return_code:
        raise SystemExit(app.return_code)
