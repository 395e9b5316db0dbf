"""Commands on articles: add, list, show, tag, bookmark, read, rm, parse, quotes."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from reader.cli.article_text import print_article
from reader.cli.common import (
    open_library,
    outcome_reporter,
    print_json,
    stderr_console,
    stdout_console,
)
from reader.cli.plain_output import LineOutput, cells, fit, pad
from reader.errors import ReaderError
from reader.ingest.batch import ImportOutcome, import_paths
from reader.ingest.importers import parse_file
from reader.models import Article
from reader.quotes import by_speaker as group_by_speaker
from reader.quotes import find_quotations
from reader.sanitize import clean_line, clean_text
from reader.search.order import in_order
from reader.text.document import paragraphs
from reader.timestamps import local_day

PROGRESS_MIN_FILES = 5


def article_json(
    article: Article, body: str | None = None, *, with_body: bool = False
) -> dict[str, Any]:
    """The documented JSON shape of an article (``show --json``, ``list --json``)."""
    data: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "author": article.author,
        "site": article.site,
        "url": article.url,
        "published": article.published,
        "added": article.added,
        "summary": article.summary,
        "tags": list(article.tags),
        "bookmarked": article.bookmarked,
        "read": article.read,
        "position": article.position,
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "highlights": article.highlight_count,
        "source_path": article.source_path,
        "unfetched": article.unfetched,
    }
    if with_body:
        data["body"] = body
    return data


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--tag", "tags", multiple=True, help="Tag every imported article (repeatable).")
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    help="Subscribe to an RSS/Atom feed (URL or file) and import it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of results.")
@click.option(
    "--verbose", "-v", is_flag=True, help="List the files skipped in folders, one per line."
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="In folders, follow symbolic links that lead out of the folder (not by default).",
)
@click.pass_context
def add(
    ctx: click.Context,
    paths: tuple[str, ...],
    tags: tuple[str, ...],
    feeds: tuple[str, ...],
    as_json: bool,
    verbose: bool,
    follow_links: bool,
) -> None:
    """Import files, folders (recursively), web pages (http/https URLs) or feeds (--feed).

    One line per file: its id and title, "duplicate", or the error. In folders only
    .html/.htm/.xhtml, .md/.markdown and .txt/.text files are read; the others are counted
    as skipped, by kind (--verbose lists them). Exit status 1 if anything failed; what was
    imported stays imported.
    """
    if not paths and not feeds:
        raise click.UsageError("give files, folders or URLs to add, or --feed URL_OR_FILE")
    library = open_library(ctx, create=True)
    err = stderr_console()
    urls = [p for p in paths if p.lower().startswith(("http://", "https://"))]
    files = [p for p in paths if p not in urls]
    outcomes: list[ImportOutcome] = []
    skipped: list[Path] = []

    report = outcome_reporter(as_json)

    if files:
        outcomes += _import_with_progress(
            library,
            files,
            tags,
            report,
            skipped,
            show_progress=not as_json,
            follow_links=follow_links,
        )
    if urls:
        from reader.ingest.fetch import import_urls

        outcomes += import_urls(library, urls, tags=tags, on_outcome=report)
    if feeds:
        from reader.ingest.feeds import subscribe_and_import

        for feed in feeds:
            try:
                outcomes += subscribe_and_import(library, feed, tags=tags, on_outcome=report)
            except ReaderError as exc:
                outcomes.append(ImportOutcome(feed, "error", error=str(exc)))
                report(outcomes[-1])
    if as_json:
        skips = [ImportOutcome(str(path), "skipped") for path in skipped]
        print_json([o.to_json() for o in [*outcomes, *skips]])
    failed = sum(1 for o in outcomes if o.status == "error")
    if not as_json and verbose:
        for path in skipped:
            err.print(Text(f"skipped  {clean_line(str(path))}"))
    if not as_json and (len(outcomes) > 1 or skipped):
        added = sum(1 for o in outcomes if o.status == "added")
        dupes = sum(1 for o in outcomes if o.status == "duplicate")
        line = f"{added} added, {dupes} duplicate, {failed} failed"
        if skipped:
            line += f"; {skipped_summary(skipped)}" + ("" if verbose else " (--verbose lists them)")
        err.print(Text(line))
    if failed:
        ctx.exit(1)


SKIPPED_KINDS_NAMED = 5  # kinds of skipped file named in the summary; the rest are "other"


def skipped_summary(skipped: list[Path]) -> str:
    """``"125 skipped: 80 .py, 45 .png"``: the files skipped in folders, by kind (their
    suffix), most common first."""
    kinds = Counter(path.suffix.lower() or "no suffix" for path in skipped)
    ranked = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    parts = [f"{count} {clean_line(kind)}" for kind, count in ranked[:SKIPPED_KINDS_NAMED]]
    rest = sum(count for _, count in ranked[SKIPPED_KINDS_NAMED:])
    if rest:
        parts.append(f"{rest} other")
    return f"{len(skipped)} skipped: {', '.join(parts)}"


def _import_with_progress(
    library, files, tags, report, skipped, *, show_progress: bool, follow_links: bool = False
) -> list[ImportOutcome]:
    progress: Progress | None = None
    task = None

    def on_total(total: int) -> None:
        nonlocal progress, task
        if show_progress and total > PROGRESS_MIN_FILES and sys.stderr.isatty():
            progress = Progress(
                TextColumn("importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=stderr_console(),
                transient=True,
            )
            progress.start()
            task = progress.add_task("import", total=total)

    def on_outcome(outcome: ImportOutcome) -> None:
        if progress is not None and task is not None:
            progress.advance(task)
        report(outcome)

    try:
        return import_paths(
            library,
            files,
            tags=tags,
            on_outcome=on_outcome,
            on_total=on_total,
            skipped=skipped,
            follow_links=follow_links,
        )
    finally:
        if progress is not None:
            progress.stop()


@click.command(name="list")
@click.option("--tag", "tags", multiple=True, help="Only articles with this tag (repeatable).")
@click.option("--bookmarked", is_flag=True, help="Only bookmarked articles.")
@click.option("--unread", is_flag=True, help="Only unread articles.")
@click.option(
    "--search", "search", default=None, help='Query: words, "phrase", tag:x, is:unread ...'
)
@click.option(
    "--sort",
    type=click.Choice(["added", "published", "title", "reading"]),
    default="added",
    show_default=True,
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON list of the articles' metadata."
)
@click.pass_context
def list_articles(
    ctx: click.Context,
    tags: tuple[str, ...],
    bookmarked: bool,
    unread: bool,
    search: str | None,
    sort: str,
    as_json: bool,
) -> None:
    """List articles (newest first), optionally filtered."""
    from reader.search.library_search import search_library
    from reader.search.query import parse_query

    problem = parse_query(search).problem() if search else None
    if problem:  # a mistyped operator would otherwise quietly match nothing or everything
        click.echo(f"reader: --search: {problem}", err=True)
        ctx.exit(2)
    library = open_library(ctx)
    terms = [f'tag:"{t}"' for t in tags]
    if bookmarked:
        terms.append("is:bookmarked")
    if unread:
        terms.append("is:unread")
    if search:
        terms.append(search)
    articles = search_library(library, " ".join(terms))
    articles = in_order(articles, sort)
    if as_json:
        print_json([article_json(a) for a in articles])
        return
    out = LineOutput()
    for line, style in article_table(articles, out.width):
        out.write(line, style)
    stderr_console().print(Text(f"{len(articles)} article(s)"))


_GAP = "  "  # between two columns
_NARROWEST = 10  # cells the site and tags columns keep when the title needs room


def article_table(articles: list[Article], width: int) -> Iterator[tuple[str, str | None]]:
    """The lines of ``reader list`` (and their style): a header, then one line per
    article, each cut to ``width`` cells; the title takes the room the other columns
    leave (they are as wide as their longest value, site and tags at most 24 and 30, and
    down to 10 on a narrow terminal)."""
    rows = [
        (
            clean_line(a.id),
            ("★" if a.bookmarked else " ") + (" " if a.read else "•"),
            clean_line(a.title),
            clean_line(a.site or ""),
            clean_line(local_day(a.published)),
            str(a.reading_minutes),
            clean_line(", ".join(a.tags)),
        )
        for a in articles
    ]
    header = ("id", "", "title", "site", "published", "min", "tags")
    table = [header, *rows]
    limits = (None, None, None, 24, 10, None, 30)
    widths = [
        min(limit or width, max(cells(r[i]) for r in table)) for i, limit in enumerate(limits)
    ]
    gaps = len(_GAP) * (len(widths) - 1)
    # The title keeps at least 45% of a narrow terminal: tags, then site, give way first.
    wanted = min(widths[2], max(12, width * 9 // 20))
    for column in (6, 3):
        short = wanted - (width - gaps - sum(w for i, w in enumerate(widths) if i != 2))
        if short > 0:
            widths[column] -= max(0, min(short, widths[column] - _NARROWEST))
    others = sum(w for i, w in enumerate(widths) if i != 2) + gaps
    widths[2] = max(12, min(widths[2], width - others))
    right = (False, False, False, False, False, True, False)
    for n, row in enumerate(table):
        parts = [pad(fit(v, w), w, right=r) for v, w, r in zip(row, widths, right, strict=True)]
        yield _GAP.join(parts).rstrip(), ("bold" if n == 0 else None)


@click.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON (with its body).")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool) -> None:
    """Print an article: its title, summary and metadata, then its body (rendered on a
    terminal, Markdown when piped)."""
    library = open_library(ctx)
    article = library.get(article_id)
    body = library.body(article.id)
    if as_json:
        print_json(article_json(article, body, with_body=True))
        return
    print_article(stdout_console(), article, body)


@click.command()
@click.argument("article_id")
@click.argument("tags", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove these tags instead of adding them.")
@click.pass_context
def tag(ctx: click.Context, article_id: str, tags: tuple[str, ...], remove: bool) -> None:
    """Add tags to an article (or remove them with --remove)."""
    library = open_library(ctx)
    aid = library.resolve_id(article_id)
    article = library.remove_tags(aid, tags) if remove else library.add_tags(aid, tags)
    stdout_console().print(Text(f"{article.id}  tags: {', '.join(article.tags) or '(none)'}"))


@click.command()
@click.argument("article_id")
@click.option("--off", is_flag=True, help="Remove the bookmark.")
@click.pass_context
def bookmark(ctx: click.Context, article_id: str, off: bool) -> None:
    """Bookmark an article (or remove the bookmark with --off)."""
    library = open_library(ctx)
    article = library.set_bookmarked(library.resolve_id(article_id), not off)
    state = "bookmarked" if article.bookmarked else "not bookmarked"
    stdout_console().print(Text(f"{article.id}  {state}  {article.title}"))


@click.command(name="read")
@click.argument("article_id")
@click.option("--off", is_flag=True, help="Mark as unread.")
@click.pass_context
def mark_read(ctx: click.Context, article_id: str, off: bool) -> None:
    """Mark an article read (or unread with --off)."""
    library = open_library(ctx)
    article = library.set_read(library.resolve_id(article_id), not off)
    state = "read" if article.read else "unread"
    stdout_console().print(Text(f"{article.id}  {state}  {article.title}"))


@click.command()
@click.argument("article_id")
@click.pass_context
def rm(ctx: click.Context, article_id: str) -> None:
    """Delete an article, its text and its highlights."""
    library = open_library(ctx)
    article = library.remove(library.resolve_id(article_id))
    stdout_console().print(Text(f"{article.id}  removed  {article.title}"))


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--url", default=None, help="The page's URL, when the file does not say it.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the default; kept for scripts).")
def parse(path: str, url: str | None, as_json: bool) -> None:
    """Parse one file as `reader add` would, print the result, store nothing.

    JSON keys: title, author, published, site, url, summary, markdown.
    """
    parsed = parse_file(path, url=url)
    data = parsed.to_json()
    del data["tags"]
    # Not stored, so not cleaned by the store: drop controls and bidi overrides here.
    print_json({k: clean_text(v) if isinstance(v, str) else v for k, v in data.items()})


@click.command()
@click.argument("article_id")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list of {text, speaker, speaker_mention, paragraph}.",
)
@click.option(
    "--by-speaker",
    is_flag=True,
    help="Group the quotations by speaker, most quoted first (JSON: {speaker, count, quotations}).",
)
@click.pass_context
def quotes(ctx: click.Context, article_id: str, as_json: bool, by_speaker: bool) -> None:
    """List the quotations found in an article's text, with their speakers.

    The speaker is the full name the article gives (\"Zhao\" becomes \"Zhao Lijian\");
    speaker_mention is the words naming the speaker at the quotation (\"he\", \"Zhao\").
    """
    library = open_library(ctx)
    article = library.get(article_id)
    body = library.body(article.id)
    if body is None:
        raise ReaderError(f"{article.id}: this article's text is missing (body file not found)")
    found = find_quotations(paragraphs(body))
    if by_speaker:
        groups = group_by_speaker(found)
        if as_json:
            print_json(
                [
                    {"speaker": s, "count": len(qs), "quotations": [q.to_json() for q in qs]}
                    for s, qs in groups
                ]
            )
            return
        out = stdout_console()
        for speaker, group in groups:
            out.print(Text(f"{clean_line(speaker or 'unattributed')} ({len(group)})", style="bold"))
            for q in group:
                out.print(Text(f"    “{clean_line(q.text)}” (paragraph {q.paragraph})"))
        return
    if as_json:
        print_json([q.to_json() for q in found])
        return
    out = stdout_console()
    for q in found:
        out.print(Text(f"“{clean_line(q.text)}”", style="italic"))
        speaker = clean_line(q.speaker) if q.speaker else "unattributed"
        out.print(Text(f"    — {speaker} (paragraph {q.paragraph})", style="dim"))


COMMANDS = [add, list_articles, show, tag, bookmark, mark_read, rm, parse, quotes]
