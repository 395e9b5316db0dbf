"""Commands on feeds and downloads: ``feeds``, ``refresh`` and ``fetch``.

(``reader add --feed URL_OR_FILE`` subscribes; it lives with ``add`` in ``articles.py``.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from reader.cli.common import (
    open_library,
    outcome_reporter,
    print_json,
    stderr_console,
    stdout_console,
)
from reader.errors import ReaderError
from reader.ingest.batch import ImportOutcome
from reader.sanitize import clean_line


def feed_json(record: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON shape of a feed subscription (``feeds --json``)."""
    return {
        "id": record.get("id"),
        "title": record.get("title"),
        "url": record.get("url"),
        "last_refresh": record.get("last_refresh"),
        "entries_seen": int(record.get("entries_seen") or 0),
    }


@contextmanager
def _progress(
    label: str, enabled: bool
) -> Iterator[tuple[Callable[[int], None], Callable[[], None]]]:
    """``(add_to_total, advance)`` callbacks driving a progress bar on stderr (a tty only)."""
    if not enabled or not sys.stderr.isatty():
        yield (lambda _n: None), (lambda: None)
        return
    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=stderr_console(),
        transient=True,
    )
    task = progress.add_task(label, total=0)
    progress.start()
    total = 0

    def add_total(count: int) -> None:
        nonlocal total
        total += count
        progress.update(task, total=total)

    try:
        yield add_total, (lambda: progress.advance(task))
    finally:
        progress.stop()


def _summary(outcomes: list[ImportOutcome], as_json: bool) -> int:
    """Print the JSON list or the count line; the number of failures."""
    failed = sum(1 for o in outcomes if o.status == "error")
    if as_json:
        print_json([o.to_json() for o in outcomes])
    else:
        added = sum(1 for o in outcomes if o.status == "added")
        dupes = sum(1 for o in outcomes if o.status == "duplicate")
        stderr_console().print(Text(f"{added} added, {dupes} duplicate, {failed} failed"))
    return failed


@click.command(name="feeds")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the feeds.")
@click.pass_context
def list_feeds(ctx: click.Context, as_json: bool) -> None:
    """List subscribed feeds: title, URL, last refresh, entries seen."""
    library = open_library(ctx)
    records = sorted(library.feeds(), key=lambda r: str(r.get("title") or "").casefold())
    if as_json:
        print_json([feed_json(r) for r in records])
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=8)
    table.add_column("title", ratio=2)
    table.add_column("url", ratio=3, overflow="fold")
    table.add_column("last refresh", no_wrap=True)
    table.add_column("entries", justify="right", no_wrap=True)
    for record in records:
        data = feed_json(record)
        table.add_row(
            Text(str(data["id"])),
            Text(clean_line(data["title"])),
            Text(clean_line(data["url"])),
            Text(str(data["last_refresh"] or "never").replace("T", " ").rstrip("Z")),
            Text(str(data["entries_seen"])),
        )
    stdout_console().print(table)
    stderr_console().print(Text(f"{len(records)} feed(s)"))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results.")
@click.pass_context
def refresh(ctx: click.Context, as_json: bool) -> None:
    """Fetch the new entries of every subscribed feed.

    One line per new entry; exit status 1 if any feed or entry failed.
    """
    from reader.ingest.feeds import refresh_all

    library = open_library(ctx)
    if not library.feeds():
        raise ReaderError("no feeds yet: subscribe with `reader add --feed URL_OR_FILE`")
    report = outcome_reporter(as_json)
    with _progress("refreshing", not as_json) as (add_total, advance):

        def on_outcome(outcome: ImportOutcome) -> None:
            advance()
            report(outcome)

        outcomes = refresh_all(library, on_outcome=on_outcome, on_total=add_total)
    if _summary(outcomes, as_json):
        ctx.exit(1)


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--all", "fetch_all", is_flag=True, help="Fetch every unfetched article.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results.")
@click.pass_context
def fetch(ctx: click.Context, ids: tuple[str, ...], fetch_all: bool, as_json: bool) -> None:
    """Download the text of articles saved by URL only (IDs, or --all).

    Articles already fetched are skipped, so an interrupted run can be repeated.
    """
    from reader.ingest.fetch import fetch_unfetched

    if bool(ids) == fetch_all:
        raise click.UsageError("give article ids or --all (not both)")
    library = open_library(ctx)
    targets = None if fetch_all else [library.resolve_id(i) for i in ids]
    report = outcome_reporter(as_json)
    with _progress("fetching", not as_json) as (add_total, advance):

        def on_outcome(outcome: ImportOutcome) -> None:
            advance()
            report(outcome)

        outcomes = fetch_unfetched(library, targets, on_outcome=on_outcome, on_total=add_total)
    if _summary(outcomes, as_json):
        ctx.exit(1)


COMMANDS = [list_feeds, refresh, fetch]
