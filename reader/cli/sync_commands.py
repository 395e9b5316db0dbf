"""``reader sync`` (with ``init`` and ``status``) and ``reader merge-library``, the merge
driver git runs for the shared file (see ``reader.sync``)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from reader.cli.common import open_library, stdout_console


@click.group(invoke_without_command=True)
@click.pass_context
def sync(ctx: click.Context) -> None:
    """Sync the library with the other machines through git (`reader sync init REMOTE`
    first): commit what changed here, merge what changed there, push."""
    if ctx.invoked_subcommand is not None:
        return
    from reader.sync.service import sync as run_sync

    report = run_sync(open_library(ctx))
    stdout_console().print(Text(report.summary()))


@sync.command("init")
@click.argument("remote")
@click.pass_context
def sync_init(ctx: click.Context, remote: str) -> None:
    """Make the library's folder a git repository synced with REMOTE (a bare repository:
    a path, or a URL such as ssh://host/path/library.git). On a second machine, this
    joins the library already there: the result holds both."""
    from reader.sync.service import init

    report = init(open_library(ctx, create=True), remote)  # a new machine: a new library
    stdout_console().print(Text(report.summary()))


@sync.command("status")
@click.pass_context
def sync_status(ctx: click.Context) -> None:
    """Say what is not yet synced, in both directions (fetches, changes nothing)."""
    from reader.sync.service import status

    out = stdout_console()
    for line in status(open_library(ctx)).lines():
        out.print(Text(line))


@click.command("merge-library", hidden=True)
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
def merge_library(base: str, ours: str, theirs: str) -> None:
    """Git's merge driver for the shared library file: merge BASE, OURS and THEIRS
    record by record into OURS."""
    from reader.sync.driver import merge_files

    kept = merge_files(Path(base), Path(ours), Path(theirs))
    for title in kept:
        click.echo(
            f"reader: kept {title!r}: deleted on one side, highlighted on the other", err=True
        )


COMMANDS = [sync, merge_library]
