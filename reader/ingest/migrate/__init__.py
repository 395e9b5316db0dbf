"""Moving a library from another app into reader: ``reader migrate FORMAT FILE_OR_DIR``.

Owns: ``FORMATS`` (format name → reader of that app's export), ``MigrationReport`` and
``migrate`` / ``apply``, which store what a format reader found. Each format lives in
its own module and only reads its export into ``Entry`` objects (``common.py``); storing
happens here, the same way for every format:

- an article already in the library (same URL or same text; for books without a URL,
  same title and author) is not added again: it gains the export's tags, read and
  bookmark marks, and the highlights it lacks;
- an entry with a URL and no text is stored unfetched (``reader fetch --all`` gets it);
- a highlight already on that article (same text, compared loosely) is not added again;
  others are anchored in the article's text when found there, else kept unanchored;
- feeds (OPML) become subscriptions, not fetched.

So running the same migration twice adds nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.errors import ImportFailed, ReaderError
from reader.ingest.migrate import (
    bookmarks_html,
    instapaper,
    kindle,
    omnivore,
    opml,
    pocket,
    readwise,
    wallabag,
)
from reader.ingest.migrate.common import MAX_ROW_ERRORS_KEPT, Entry, ExportData, FeedSpec
from reader.models import Article
from reader.sanitize import clean_line, clean_tag
from reader.store import Library
from reader.store.library import now_iso
from reader.text.document import paragraphs
from reader.text.passages import locate_passage, normalize_for_match

__all__ = ["FORMATS", "FORMAT_HELP", "MigrationReport", "apply", "migrate", "read_export"]

COMMIT_EVERY = 32  # entries per locked write

FORMATS: dict[str, Callable[[Path], ExportData]] = {
    "pocket": pocket.read,
    "instapaper": instapaper.read,
    "omnivore": omnivore.read,
    "wallabag": wallabag.read,
    "readwise": readwise.read,
    "kindle": kindle.read,
    "bookmarks": bookmarks_html.read,
    "opml": opml.read,
}

FORMAT_HELP: dict[str, str] = {
    "pocket": "Pocket export (CSV, the zip of CSVs, or the old ril_export.html)",
    "instapaper": "Instapaper CSV export",
    "omnivore": "Omnivore export folder or zip (metadata_*.json, content/, highlights/)",
    "wallabag": "Wallabag JSON export",
    "readwise": "Readwise CSV export (or reader's own `reader export --format csv`)",
    "kindle": "Kindle 'My Clippings.txt' (or the Kindle's folder)",
    "bookmarks": "browser bookmarks (Netscape bookmark HTML from any browser)",
    "opml": "OPML list of feeds (subscribed, not fetched)",
}


@dataclass(slots=True)
class MigrationReport:
    """What a migration did; ``summary()`` is the line the CLI prints."""

    added: int = 0
    already: int = 0  # articles already in the library
    highlights: int = 0  # highlights added
    highlights_already: int = 0
    unfetched: int = 0  # of the added articles, those saved by URL only
    feeds: int = 0  # feeds subscribed
    feeds_already: int = 0
    skipped: int = 0  # rows left out on purpose (deleted items, bookmarks, browser places)
    error_count: int = 0
    errors: list[str] = field(default_factory=list)  # the first messages, one line each

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ROW_ERRORS_KEPT:
            self.errors.append(clean_line(message)[:300])

    def summary(self) -> str:
        """``N articles added, N already here, N highlights, N unfetched, N errors``."""
        parts = [
            f"{self.added} article{'' if self.added == 1 else 's'} added",
            f"{self.already} already here",
            f"{self.highlights} highlight{'' if self.highlights == 1 else 's'}",
            f"{self.unfetched} unfetched",
        ]
        if self.feeds or self.feeds_already:
            parts.append(f"{self.feeds} feed{'' if self.feeds == 1 else 's'} subscribed")
            if self.feeds_already:
                parts.append(f"{self.feeds_already} feeds already subscribed")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        parts.append(f"{self.error_count} error{'' if self.error_count == 1 else 's'}")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "already": self.already,
            "highlights": self.highlights,
            "highlights_already": self.highlights_already,
            "unfetched": self.unfetched,
            "feeds": self.feeds,
            "feeds_already": self.feeds_already,
            "skipped": self.skipped,
            "errors": self.error_count,
            "error_messages": list(self.errors),
        }


def read_export(format_name: str, path: str | Path) -> ExportData:
    """Read an export of ``format_name`` (a key of ``FORMATS``); nothing is stored.

    Raises ``ImportFailed`` (one line naming the file) when the file is not that format.
    """
    reader_fn = FORMATS.get(format_name.lower())
    if reader_fn is None:
        raise ReaderError(f"unknown format {format_name!r}; choose one of: {', '.join(FORMATS)}")
    file_path = Path(path).expanduser()
    if not file_path.exists():
        raise ImportFailed(str(path), "no such file or folder")
    return reader_fn(file_path)


def migrate(
    library: Library,
    format_name: str,
    path: str | Path,
    *,
    tags: Sequence[str] = (),
    on_total: Callable[[int], None] | None = None,
    on_advance: Callable[[], None] | None = None,
) -> MigrationReport:
    """Read an export and store it (see the module docstring); returns the counts."""
    data = read_export(format_name, path)
    return apply(library, data, tags=tags, on_total=on_total, on_advance=on_advance)


class _Store:
    """One migration's state: the highlight keys and book titles already stored."""

    def __init__(self, library: Library, report: MigrationReport, tags: Sequence[str]) -> None:
        self.library = library
        self.report = report
        self.tags = [t for t in (clean_tag(x) for x in tags) if t]
        self.highlight_keys = {
            (h.article_id, normalize_for_match(h.text)) for h in library.highlights()
        }
        self._books: dict[tuple[str, str], str] | None = None

    def _book_key(self, title: str | None, author: str | None) -> tuple[str, str]:
        return (clean_line(title).casefold(), clean_line(author).casefold())

    def find_book(self, entry: Entry) -> Article | None:
        if self._books is None:
            self._books = {}
            for article in self.library.articles():
                if not article.url:
                    key = self._book_key(article.title, article.author)
                    self._books.setdefault(key, article.id)
        found = self._books.get(self._book_key(entry.title, entry.author))
        return self.library.article_map().get(found) if found else None

    def remember_book(self, article: Article) -> None:
        if self._books is not None and not article.url:
            self._books.setdefault(self._book_key(article.title, article.author), article.id)

    def entry(self, entry: Entry) -> None:
        existing = self.library.find_duplicate(entry.url, None) if entry.url else None
        if existing is None and entry.match_title and not entry.url:
            existing = self.find_book(entry)
        article: Article | None
        if existing is not None:
            article = self._merge(existing, entry)
            self.report.already += 1
        else:
            article = self._add(entry)
        if article is not None:
            self._highlights(article, entry)

    def _add(self, entry: Entry) -> Article | None:
        parsed = None
        if entry.load is not None or entry.markdown.strip():
            try:
                parsed = entry.parsed()
            except ReaderError:
                if not entry.url:
                    raise
                entry.load, entry.markdown = None, ""  # keep it by URL: fetch it later
        if parsed is None:
            if not entry.url:
                raise ImportFailed(entry.label, "no text and no URL to fetch it from")
            parsed = entry.parsed()
        unfetched = not parsed.markdown.strip()
        result = self.library.add_parsed(parsed, tags=self.tags, unfetched=unfetched)
        if result.status == "duplicate":  # the same text under another URL
            self.report.already += 1
            return self._merge(result.article, entry)
        self.report.added += 1
        self.report.unfetched += int(unfetched)
        changes: dict[str, Any] = {}
        if entry.added:
            changes["added"] = entry.added
        if entry.read:
            changes["read"] = True
        if entry.bookmarked:
            changes["bookmarked"] = True
        article = self.library.update(result.article.id, **changes) if changes else result.article
        if entry.match_title:
            self.remember_book(article)
        return article

    def _merge(self, article: Article, entry: Entry) -> Article:
        """Give an article already here the export's tags and marks (never taking any away)."""
        wanted = {t for t in (clean_tag(x) for x in [*entry.tags, *self.tags]) if t}
        changes: dict[str, Any] = {}
        if not wanted <= set(article.tags):
            changes["tags"] = sorted(set(article.tags) | wanted)
        if entry.read and not article.read:
            changes["read"] = True
        if entry.bookmarked and not article.bookmarked:
            changes["bookmarked"] = True
        return self.library.update(article.id, **changes) if changes else article

    def _highlights(self, article: Article, entry: Entry) -> None:
        if not entry.highlights:
            return
        paras: list[str] | None = None
        for spec in entry.highlights:
            key = (article.id, normalize_for_match(spec.text))
            if not key[1]:
                continue
            if key in self.highlight_keys:
                self.report.highlights_already += 1
                continue
            if paras is None:
                body = None if article.unfetched else self.library.body(article.id)
                paras = paragraphs(body) if body else []
            found = locate_passage(paras, spec.text) if paras else None
            text = spec.text
            anchor: tuple[int, int, int] | tuple[None, None, None] = (None, None, None)
            if found is not None:
                p, start, end = found
                text, anchor = paras[p][start:end], found
            self.library.add_highlight(
                article.id,
                text,
                note=spec.note,
                color=spec.color,
                paragraph=anchor[0],
                start=anchor[1],
                end=anchor[2],
                created=spec.created or None,
            )
            self.highlight_keys.add(key)
            self.report.highlights += 1

    def feed(self, spec: FeedSpec) -> None:
        from reader.ingest.feeds import feed_id

        url = spec.url.strip()
        fid = feed_id(url)
        known = {str(f.get("id")) for f in self.library.feeds()} | {
            str(f.get("url") or "") for f in self.library.feeds()
        }
        if fid in known or url in known:
            self.report.feeds_already += 1
            return
        self.library.put_feed(
            fid,
            {
                "url": url,
                "title": clean_line(spec.title) or url,
                "last_refresh": None,
                "entries_seen": 0,
                "seen": [],
                "added": now_iso(),
            },
        )
        self.report.feeds += 1


def apply(
    library: Library,
    data: ExportData,
    *,
    tags: Sequence[str] = (),
    on_total: Callable[[int], None] | None = None,
    on_advance: Callable[[], None] | None = None,
) -> MigrationReport:
    """Store what a format reader found; bad entries are counted, the rest goes on."""
    report = MigrationReport(skipped=data.skipped)
    for message in data.errors:
        report.error(message)
    if on_total:
        on_total(len(data.entries) + len(data.feeds))
    store = _Store(library, report, tags)
    work: list[Entry | FeedSpec] = [*data.entries, *data.feeds]
    for start in range(0, len(work), COMMIT_EVERY):
        with library.batch():
            for item in work[start : start + COMMIT_EVERY]:
                try:
                    if isinstance(item, Entry):
                        store.entry(item)
                    else:
                        store.feed(item)
                except ReaderError as err:
                    label = item.label if isinstance(item, Entry) else item.url
                    message = str(err)
                    report.error(message if message.startswith(label) else f"{label}: {message}")
                if on_advance:
                    on_advance()
    return report
