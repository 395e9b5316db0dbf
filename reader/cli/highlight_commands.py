"""Commands on highlights: highlight, highlights, unhighlight, export, import-highlights."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from rich.text import Text

from reader.cli.common import open_library, print_json, stderr_console, stdout_console
from reader.cli.plain_output import LineOutput
from reader.errors import NothingToExport, ReaderError
from reader.highlights.export import FORMATS, export_text
from reader.highlights.service import (
    export_items,
    highlight_text,
    parse_since,
    quotations_for,
    require_highlights,
    restore_highlights,
)
from reader.highlights.service import (
    write_export as write_export_file,
)
from reader.sanitize import clean_line


@click.command()
@click.argument("article_id")
@click.argument("text")
@click.option("--note", default=None, help="A note to keep with the highlight.")
@click.pass_context
def highlight(ctx: click.Context, article_id: str, text: str, note: str | None) -> None:
    """Highlight TEXT in an article (it must occur there; whitespace and quote marks are forgiven)."""
    library = open_library(ctx)
    hl = highlight_text(library, article_id, text, note=note)
    stdout_console().print(
        Text(f"{hl.id}  highlighted in {hl.article_id}: “{clean_line(hl.text)}”")
    )


@click.command()
@click.argument("article_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def highlights(ctx: click.Context, article_id: str | None, as_json: bool) -> None:
    """List highlights, of one article or of the whole library."""
    library = open_library(ctx)
    aid = library.resolve_id(article_id) if article_id else None
    found = library.highlights(aid)
    if as_json:
        print_json([h.to_dict() for h in found])
        return
    out = LineOutput()
    titles = {a.id: a.title for a in library.articles()}
    for h in found:
        out.write(f"{h.id}  {clean_line(titles.get(h.article_id, h.article_id))}", "bold")
        out.write(f"    “{clean_line(h.text)}”")
        if h.note:
            out.write(f"    note: {clean_line(h.note)}", "dim")
    stderr_console().print(Text(f"{len(found)} highlight(s)"))


@click.command()
@click.argument("highlight_id")
@click.pass_context
def unhighlight(ctx: click.Context, highlight_id: str) -> None:
    """Delete a highlight."""
    library = open_library(ctx)
    hl = library.remove_highlight(library.resolve_highlight_id(highlight_id))
    stdout_console().print(Text(f"{hl.id}  removed  “{clean_line(hl.text)}”"))


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown", show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(),
    default=None,
    help="File to write (a folder for obsidian). Default: standard output.",
)
@click.option("--tag", "tags", multiple=True, help="Only articles with this tag (repeatable).")
@click.option("--article", "article_ids", multiple=True, help="Only this article (repeatable).")
@click.option("--bookmarked", is_flag=True, help="Only bookmarked articles.")
@click.option(
    "--since",
    default=None,
    callback=lambda _ctx, _param, value: _since(value),
    help="Only highlights made on or after this date (YYYY-MM-DD) or moment (ISO date-time, "
    "e.g. 2026-03-01T09:30 or 2026-03-01T09:30+02:00; local time without an offset).",
)
@click.option(
    "--with-quotes",
    is_flag=True,
    help="Also export the quotations found in each exported article.",
)
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    out_path: str | None,
    tags: tuple[str, ...],
    article_ids: tuple[str, ...],
    bookmarked: bool,
    since: datetime | None,
    with_quotes: bool,
) -> None:
    """Export highlights as Markdown, an Obsidian folder, JSON or Readwise CSV.

    Only articles with a matching highlight are exported; when none matches, nothing is
    written (exit status 0).
    """
    library = open_library(ctx)
    items = export_items(
        library, article_ids=article_ids, tags=tags, bookmarked=bookmarked, since=since
    )
    quotes = quotations_for(library, items) if with_quotes else None
    try:
        written = write_export(fmt, items, quotes, Path(out_path) if out_path else None)
    except NothingToExport as nothing:
        stderr_console().print(Text(str(nothing)))
        return
    if written is not None:
        count = sum(len(h) for _, h in items)
        stderr_console().print(Text(f"exported {count} highlight(s) to {written}"))


def _since(value: str | None) -> datetime | None:
    """``--since`` read by ``parse_since``; a bad date is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="'--since'") from None


def write_export(fmt, items, quotes, out: Path | None) -> Path | None:
    """Write an export where asked; ``None`` means it went to standard output.
    Raises ``NothingToExport`` when no highlight matched (nothing written)."""
    if fmt == "obsidian" and out is None:
        raise ReaderError("the obsidian format writes a folder: give one with --out FOLDER")
    if out is None:
        require_highlights(items)
        sys.stdout.write(export_text(fmt, items, quotes=quotes))
        sys.stdout.flush()
        return None
    return write_export_file(fmt, items, out, quotes=quotes)


@click.command(name="import-highlights")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_context
def import_highlights(ctx: click.Context, path: str) -> None:
    """Restore highlights from a JSON export into this library (matching articles by URL or text)."""
    library = open_library(ctx)
    from reader.ingest.importers import read_input
    from reader.limits import MAX_EXPORT_BYTES

    raw = read_input(Path(path), limit=MAX_EXPORT_BYTES)  # a regular file only
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReaderError(f"{clean_line(path)}: cannot read ({err})") from None
    report = restore_highlights(library, text, source=path)
    stdout_console().print(
        Text(
            f"{report.added} highlight(s) restored, {report.skipped} already there, "
            f"{report.unmatched_articles} article(s) not in this library"
        )
    )


COMMANDS = [highlight, highlights, unhighlight, export, import_highlights]
