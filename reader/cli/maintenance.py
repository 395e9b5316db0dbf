"""Commands that look after the library file: backups and restore."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from reader.cli.common import library_path, stdout_console
from reader.store.backups import list_backups, restore_backup


@click.command()
@click.argument("backup", required=False, type=click.Path(dir_okay=False))
@click.option("--list", "list_only", is_flag=True, help="List the backups, newest first.")
@click.pass_context
def restore(ctx: click.Context, backup: str | None, list_only: bool) -> None:
    """Put a backup in place of the library file (default: the newest valid one).

    The current file is kept beside it as LIBRARY.before-restore.
    """
    path = library_path(ctx)
    out = stdout_console()
    if list_only:
        for item in list_backups(path):
            out.print(Text(str(item)))
        return
    used = restore_backup(path, Path(backup) if backup else None)
    out.print(Text(f"restored {path} from {used}"))


COMMANDS = [restore]
