"""The ``migrate`` command: bring a library from another app into reader in one go."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from reader.cli.common import open_library, print_json, stderr_console
from reader.ingest.migrate import FORMAT_HELP, FORMATS, MigrationReport, migrate
from reader.store import Library

ERRORS_SHOWN = 5


def _format_list() -> str:
    return "\n".join(f"  {name:<11}{text}" for name, text in FORMAT_HELP.items())


@click.command(
    name="migrate",
    epilog="\b\nFormats:\n" + _format_list(),
)
@click.argument(
    "format_name", metavar="FORMAT", type=click.Choice(list(FORMATS), case_sensitive=False)
)
@click.argument("path", metavar="FILE_OR_DIR", type=click.Path(exists=False))
@click.option("--tag", "tags", multiple=True, help="Also tag every migrated article (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def migrate_command(
    ctx: click.Context, format_name: str, path: str, tags: tuple[str, ...], as_json: bool
) -> None:
    """Bring your articles, tags and highlights over from another app.

    Running it again adds nothing twice. Articles saved by URL only are stored
    unfetched: get their text with `reader fetch --all`. Exit status 1 if any entry
    failed (the others are still migrated).
    """
    library = open_library(ctx, create=True)
    report = _run(library, format_name.lower(), path, tags, progress=not as_json)
    if as_json:
        print_json(report.to_json())
    else:
        console = stderr_console()
        for message in report.errors[:ERRORS_SHOWN]:
            console.print(Text(f"reader: {message}"))
        if report.error_count > ERRORS_SHOWN:
            console.print(Text(f"reader: ... and {report.error_count - ERRORS_SHOWN} more errors"))
        click.echo(report.summary())
        if report.unfetched:
            click.echo("Get the text of unfetched articles with: reader fetch --all")
    if report.error_count:
        ctx.exit(1)


def _run(
    library: Library, format_name: str, path: str, tags: tuple[str, ...], *, progress: bool
) -> MigrationReport:
    if not progress or not sys.stderr.isatty():
        return migrate(library, format_name, path, tags=tags)
    bar = Progress(
        TextColumn(f"migrating from {format_name}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr_console(),
        transient=True,
    )
    task = bar.add_task("migrate", total=None)
    with bar:
        return migrate(
            library,
            format_name,
            path,
            tags=tags,
            on_total=lambda n: bar.update(task, total=n),
            on_advance=lambda: bar.advance(task),
        )


COMMANDS = [migrate_command]
