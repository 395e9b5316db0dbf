"""Instapaper CSV exports: ``URL,Title,Selection,Folder,Timestamp[,Tags]``.

Each row is an unfetched article. ``Folder`` ``Archive`` means read, ``Starred`` means
bookmarked, ``Unread`` is nothing; any other folder becomes a tag. ``Selection`` (the
text selected when saving) becomes a highlight; on an unfetched article it has no
anchor until the text is fetched. Several rows with one URL are one article.
"""

from __future__ import annotations

from pathlib import Path

from reader.ingest.migrate.common import (
    Entry,
    ExportData,
    HighlightSpec,
    csv_rows,
    read_text,
    split_tags,
    to_iso,
)
from reader.sanitize import is_web_url

REQUIRED = ("URL", "Title")


def read(path: Path) -> ExportData:
    """Read an Instapaper CSV export."""
    name = str(path)
    _header, rows = csv_rows(read_text(path), name, REQUIRED)
    data = ExportData()
    by_url: dict[str, Entry] = {}
    for line, row in rows:
        url = row.get("url", "")
        if not is_web_url(url):
            data.error(f"{name}: line {line}: not a web address: {url[:80]!r}")
            continue
        folder = row.get("folder", "")
        tags = split_tags(row.get("tags", ""))
        if folder and folder.lower() not in {"unread", "archive", "starred"}:
            tags.insert(0, folder)
        added = to_iso(row.get("timestamp"))
        entry = by_url.get(url)
        if entry is None:
            title = row.get("title", "")
            entry = Entry(label=f"{name}: line {line}", title=title or url, url=url, added=added)
            by_url[url] = entry
            data.entries.append(entry)
        entry.tags += [t for t in tags if t not in entry.tags]
        entry.read = entry.read or folder.lower() == "archive"
        entry.bookmarked = entry.bookmarked or folder.lower() == "starred"
        selection = row.get("selection", "")
        if selection:
            entry.highlights.append(HighlightSpec(selection, created=added))
    return data
