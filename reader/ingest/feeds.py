"""RSS and Atom feeds: subscribing, importing their entries, refreshing.

Owns: reading a feed from a URL or a file (feedparser), turning each entry into an article
(from the feed's own full content when it carries the whole text, else by fetching the
linked page), skipping entries already seen or already in the library without fetching
them, and the feed subscription records (``library.put_feed``): ``url``, ``title``,
``last_refresh``, ``entries_seen`` and ``seen`` (the links of entries already handled, so
a refresh never refetches them, and an article deleted on purpose does not come back).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser

from reader.errors import ImportFailed, ReaderError
from reader.ingest.batch import ImportOutcome, import_parsed
from reader.ingest.fetch import FetchFailed, accepts_feed, fetch_parallel, fetch_url, is_url
from reader.ingest.importers import read_input
from reader.models import ParsedArticle
from reader.sanitize import clean_line
from reader.store import Library
from reader.store.library import now_iso

__all__ = [
    "FULL_CONTENT_MIN_WORDS",
    "FeedData",
    "feed_id",
    "import_feed",
    "read_feed",
    "refresh_all",
    "subscribe_and_import",
]

FULL_CONTENT_MIN_WORDS = 150
SEEN_LIMIT = 2000  # entry links remembered per feed

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class FeedData:
    """A parsed feed: where it came from, its title and its entries (feedparser dicts)."""

    source: str  # the URL (final, after redirects) or the file's absolute path
    title: str
    entries: list[Any]


def feed_id(source: str) -> str:
    """The subscription id: a short hash of the feed's URL (or file path)."""
    return hashlib.sha1(source.strip().encode("utf-8")).hexdigest()[:8]


def _source_key(url_or_file: str) -> str:
    """The feed's URL or absolute path, as remembered to refresh it: ``ImportFailed``
    for a path that is not UTF-8 text (its undecodable bytes cannot be stored)."""
    if is_url(url_or_file):
        return url_or_file.strip()
    key = str(Path(url_or_file).expanduser().resolve())
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFailed(
            clean_line(url_or_file), "the feed's file name is not valid UTF-8: rename it"
        ) from None
    return key


def read_feed(url_or_file: str) -> FeedData:
    """Download or read a feed and parse it. Raises ``ImportFailed`` (one line)."""
    name = url_or_file.strip()
    headers: dict[str, str] = {}
    if is_url(name):
        page = fetch_url(name, accept=accepts_feed, kind="a feed")
        data, source = page.data, page.url
        headers["content-location"] = page.url
        if page.content_type:
            headers["content-type"] = page.content_type + (
                f"; charset={page.charset}" if page.charset else ""
            )
    else:
        path = Path(name).expanduser()
        data = read_input(path, name=name, directory_reason="is a directory, not a feed")
        source = str(path.resolve())
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as err:  # feedparser must not leak a traceback
        raise ImportFailed(name, f"could not read the feed ({type(err).__name__})") from None
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        raise ImportFailed(name, "not an RSS or Atom feed")
    title = clean_line(parsed.feed.get("title")) or source
    return FeedData(source, title, list(parsed.entries))


def _words(markup: str) -> int:
    return len(_WORD.findall(html.unescape(_TAG.sub(" ", markup))))


def _full_content(entry: Any) -> str | None:
    """The entry's HTML when the feed carries the whole article, else None.

    Content is the whole article when it is long and no shorter than the summary: an Atom
    entry with only ``<content>`` gets it copied into its summary by feedparser, so the
    two are the same text, and that is a full-text feed, not a teaser.
    """
    best = ""
    for item in entry.get("content") or []:
        if (item.get("type") or "text/html").lower() in _HTML_TYPES:
            value = item.get("value") or ""
            if _words(value) > _words(best):
                best = value
    if not best:
        return None
    words = _words(best)
    summary_words = _words(entry.get("summary") or "")
    if words > FULL_CONTENT_MIN_WORDS and words >= summary_words:
        return best
    return None


def _published(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    try:
        return datetime(*stamp[:6]).isoformat()
    except (TypeError, ValueError):
        return None


def _link(entry: Any) -> str | None:
    link = (entry.get("link") or "").strip()
    if is_url(link):
        return link
    guid = (entry.get("id") or "").strip()
    return guid if is_url(guid) else None


def entry_document(entry: Any, content: str, *, site: str | None) -> str:
    """A small HTML page around a feed entry's content, with its metadata in the head."""
    esc = html.escape
    title = clean_line(entry.get("title"))
    head = [
        '<meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
    ]
    author = clean_line(entry.get("author"))
    if author:
        head.append(f'<meta name="author" content="{esc(author)}">')
    published = _published(entry)
    if published:
        head.append(f'<meta property="article:published_time" content="{esc(published)}">')
    if site:
        head.append(f'<meta property="og:site_name" content="{esc(site)}">')
    link = _link(entry)
    if link:
        head.append(f'<link rel="canonical" href="{esc(link)}">')
    heading = f"<h1>{esc(title)}</h1>" if title else ""
    return (
        "<!DOCTYPE html><html><head>"
        + "".join(head)
        + f"</head><body><article>{heading}\n{content}\n</article></body></html>"
    )


def _from_content(entry: Any, content: str, site: str | None) -> ParsedArticle:
    from reader.ingest.importers.html_page import parse_html

    link = _link(entry)
    parsed = parse_html(entry_document(entry, content, site=site), url=link)
    return parsed


def _apply_entry_metadata(parsed: ParsedArticle, entry: Any, site: str | None) -> ParsedArticle:
    """The feed knows the title, author, date and link better than a guess from the page."""
    title = clean_line(entry.get("title"))
    if title:
        parsed.title = title
    parsed.author = clean_line(entry.get("author")) or parsed.author
    parsed.published = _published(entry) or parsed.published
    parsed.site = parsed.site or site
    if not parsed.summary:
        summary = clean_line(html.unescape(_TAG.sub(" ", entry.get("summary") or "")))
        if summary and _words(summary) <= 80:  # a teaser, not the whole text again
            parsed.summary = summary
    link = _link(entry)
    if link:
        parsed.url = link
    parsed.source_format = parsed.source_format or "html"
    return parsed


def import_feed(
    library: Library,
    feed: FeedData,
    *,
    seen: Sequence[str] = (),
    tags: Sequence[str] = (),
    concurrency: int = 4,
    per_host_delay: float | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> tuple[list[ImportOutcome], list[str]]:
    """Import a parsed feed's new entries, oldest first; returns outcomes and handled links.

    Entries whose link is in ``seen`` are skipped silently; entries already in the library
    come back as duplicates; neither is fetched. Entries with full content are imported
    from it; the others are fetched (``concurrency`` at a time, ``per_host_delay`` apart).
    A handled link is one not to fetch again: imported, duplicate, or a permanent failure.
    """
    seen_set = set(seen)
    site = feed.title if feed.title != feed.source else None
    entries = [e for e in reversed(feed.entries) if not (_link(e) and _link(e) in seen_set)]
    if on_total:
        on_total(len(entries))
    outcomes: list[ImportOutcome] = []
    handled: list[str] = []
    # Each entry resolves to: an outcome now, or a URL to fetch.
    plan: list[tuple[Any, str | ImportOutcome | ParsedArticle]] = []
    to_fetch: list[str] = []
    planned: set[str] = set()
    for entry in entries:
        link = _link(entry)
        label = link or clean_line(entry.get("title")) or feed.source
        if link:
            if link in planned:  # the same entry twice in one feed
                continue
            planned.add(link)
            existing = library.find_duplicate(link, None)
            if existing is not None:
                plan.append(
                    (entry, ImportOutcome(link, "duplicate", id=existing.id, title=existing.title))
                )
                continue
        content = _full_content(entry)
        if content is not None:
            try:
                plan.append((entry, _from_content(entry, content, site)))
            except ReaderError as err:
                plan.append((entry, ImportOutcome(label, "error", error=str(err))))
            continue
        if link is None:
            reason = "the entry has no link and too little text to import"
            error = ImportFailed(f"{feed.source}: {label}", reason)
            plan.append((entry, ImportOutcome(label, "error", error=str(error))))
            continue
        plan.append((entry, link))
        to_fetch.append(link)
    fetched = iter(fetch_parallel(to_fetch, concurrency=concurrency, per_host_delay=per_host_delay))
    for entry, item in plan:
        link = _link(entry)
        if isinstance(item, str):
            result = next(fetched)
            if isinstance(result, ReaderError):
                outcome = ImportOutcome(item, "error", error=str(result))
                if not (isinstance(result, FetchFailed) and result.transient):
                    handled.append(item)
            else:
                parsed = _apply_entry_metadata(result, entry, site)
                outcome = import_parsed(library, parsed, label=item, tags=tags)
        elif isinstance(item, ParsedArticle):
            parsed = _apply_entry_metadata(item, entry, site)
            outcome = import_parsed(library, parsed, label=link or parsed.title, tags=tags)
        else:
            outcome = item
        if link and outcome.status != "error":
            handled.append(link)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    return outcomes, handled


def subscribe_and_import(
    library: Library,
    url_or_file: str,
    *,
    tags: Sequence[str] = (),
    concurrency: int = 4,
    per_host_delay: float | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> list[ImportOutcome]:
    """Subscribe to a feed (URL or file) and import its entries; one outcome per entry.

    Subscribing again is a refresh: entries seen before are not fetched again. Raises
    ``ImportFailed`` when the feed itself cannot be read.
    """
    key = _source_key(url_or_file)
    fid = feed_id(key)
    record = next((f for f in library.feeds() if f.get("id") == fid), None) or {}
    feed = read_feed(url_or_file)
    seen = list(record.get("seen") or [])
    outcomes, handled = import_feed(
        library,
        feed,
        seen=seen,
        tags=tags,
        concurrency=concurrency,
        per_host_delay=per_host_delay,
        on_outcome=on_outcome,
        on_total=on_total,
    )
    seen_now = list(dict.fromkeys([*seen, *handled]))[-SEEN_LIMIT:]
    library.put_feed(
        fid,
        {
            "url": key,
            "title": feed.title,
            "last_refresh": now_iso(),
            "entries_seen": len(seen_now),
            "seen": seen_now,
            "added": record.get("added") or now_iso(),
        },
    )
    return outcomes


def refresh_all(
    library: Library,
    *,
    concurrency: int = 4,
    per_host_delay: float | None = None,
    on_outcome: Callable[[ImportOutcome], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    on_feed: Callable[[dict[str, Any]], None] | None = None,
) -> list[ImportOutcome]:
    """Fetch new entries of every subscribed feed; a feed that fails is one error outcome.

    ``on_total`` is called once per feed with that feed's number of new entries.
    """
    outcomes: list[ImportOutcome] = []
    for record in library.feeds():
        url = str(record.get("url") or "")
        if on_feed:
            on_feed(record)
        try:
            outcomes += subscribe_and_import(
                library,
                url,
                concurrency=concurrency,
                per_host_delay=per_host_delay,
                on_outcome=on_outcome,
                on_total=on_total,
            )
        except ReaderError as err:
            outcome = ImportOutcome(url, "error", error=str(err))
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes
