"""The command line: ``reader`` and its subcommands (click).

Owns the top-level group, the ``--db`` option, and the rule that a user-facing error is
one line on stderr with a non-zero exit, never a traceback. Each group of commands lives
in its own module and is registered here.
"""

from __future__ import annotations

import sys

import click

from reader.cli import (
    app_commands,
    articles,
    config_commands,
    feed_commands,
    highlight_commands,
    maintenance,
    migrate_commands,
)
from reader.cli.common import ReaderGroup, db_option_callback


@click.group(
    cls=ReaderGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    callback=db_option_callback,
    expose_value=True,
    help="Library file (default: $READER_DB, else library.json in the user data folder).",
)
@click.version_option(package_name="reader", prog_name="reader")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """reader: read saved articles in the terminal; bookmark, tag, highlight, export.

    With no command, opens the reader on your library.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(app_commands.tui)


for module in (
    app_commands,
    articles,
    config_commands,
    feed_commands,
    highlight_commands,
    maintenance,
    migrate_commands,
):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="reader", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
