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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    is_tui, db = _tui_arguments(args)
    if is_tui and "_READER_COMPLETE" not in os.environ:  # shell completion is click's
        from reader.tui.launcher import run_tui

        run_tui(db)
        return
    from reader.cli import cli

    cli.main(args=args, prog_name="reader")
