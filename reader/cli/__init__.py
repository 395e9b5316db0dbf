"""The command line: ``reader`` and its subcommands (click).

Owns the top-level group, the ``--db`` option, the table of commands, and the rule that a
user-facing error is one line on stderr with a non-zero exit, never a traceback. Each
group of commands lives in its own module; a module is imported only when one of its
commands runs (``reader parse`` need not load the TUI, ``reader`` need not load lxml), so
start-up stays fast.
"""

from __future__ import annotations

import click

from reader.cli.common import ReaderGroup, db_option_callback

#: command name -> module that defines it (the module's ``COMMANDS`` list holds it).
COMMAND_MODULES: dict[str, str] = {
    "tui": "app_commands",
    "demo": "app_commands",
    "screenshot": "app_commands",
    "add": "articles",
    "list": "articles",
    "show": "articles",
    "tag": "articles",
    "bookmark": "articles",
    "read": "articles",
    "rm": "articles",
    "parse": "articles",
    "quotes": "articles",
    "highlight": "highlight_commands",
    "highlights": "highlight_commands",
    "unhighlight": "highlight_commands",
    "export": "highlight_commands",
    "import-highlights": "highlight_commands",
    "feeds": "feed_commands",
    "refresh": "feed_commands",
    "fetch": "feed_commands",
    "migrate": "migrate_commands",
    "config": "config_commands",
    "restore": "maintenance",
    "sync": "sync_commands",
    "merge-library": "sync_commands",
}


@click.group(
    cls=ReaderGroup,
    command_modules=COMMAND_MODULES,
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
    help="Library file (default: $READER_DB, else db in config.toml, else library.json "
    "in the user data folder).",
)
@click.version_option(package_name="reader", prog_name="reader")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """reader: read saved articles in the terminal; bookmark, tag, highlight, export.

    With no command, opens the reader on your library.
    """
    if ctx.invoked_subcommand is None:
        tui = cli.get_command(ctx, "tui")
        assert tui is not None
        ctx.invoke(tui)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="reader", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    main()
