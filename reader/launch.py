"""The program's entry point: ``reader`` opens the TUI at once, anything else is the CLI.

``reader``, ``reader tui`` and ``reader --db PATH [tui]`` start the TUI without loading
the command-line machinery (click and every command module), which keeps start-up close
to a bare Textual app. Everything else is handed to ``reader.cli``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _tui_arguments(args: list[str]) -> tuple[bool, Path | None]:
    """``(True, db)`` when ``args`` only ask for the TUI (optionally on ``--db``)."""
    db: Path | None = None
    rest = list(args)
    if rest and rest[0].startswith("--db="):
        db = Path(rest.pop(0)[len("--db=") :]).expanduser()
    elif len(rest) >= 2 and rest[0] == "--db":
        db = Path(rest[1]).expanduser()
        rest = rest[2:]
    if rest in ([], ["tui"]) and (db is None or str(db)):
        return True, db
    return False, None


def run_tui(db: Path | None, *, label: str | None = None) -> None:
    """Open the library (``--db``, ``READER_DB``, config, default) in the TUI."""
    from reader.gc_pause import end_start_pause, pause_for_start

    pause_for_start()  # the app ends the pause after its first frame
    try:
        _run_tui(db, label=label)
    finally:
        end_start_pause()


def _run_tui(db: Path | None, *, label: str | None) -> None:
    """``run_tui`` within the start's pause of the garbage collector."""
    from reader.paths import resolve_db_path
    from reader.start_snapshot_fork import SnapshotMaker

    path = resolve_db_path(db)
    # A library whose start snapshot is stale or missing: another process makes one while
    # this one imports Textual. Else the snapshot on disk, if the library is unchanged.
    maker = SnapshotMaker.start(path)

    from reader.errors import ReaderError
    from reader.start_snapshot import read_start_snapshot, save_snapshot_bytes

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
    if app.return_code:
        raise SystemExit(app.return_code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    is_tui, db = _tui_arguments(args)
    if is_tui and "_READER_COMPLETE" not in os.environ:  # shell completion is click's
        run_tui(db)
        return
    from reader.cli import cli

    cli.main(args=args, prog_name="reader")
