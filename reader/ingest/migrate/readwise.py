"""Readwise CSV exports, and reader's own ``export --format readwise`` CSV.

Readwise's columns: ``Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,
Location Type,Location,Highlighted at,Document tags``. Ours: ``Highlight,Title,Author,
URL,Note,Location,Date``. Rows are grouped into one entry per book or article:

- with a URL (our own export): the article is matched by URL; when it is not in the
  library it is stored unfetched, so ``reader fetch`` gets the real text later and the
  highlights anchor in it then;
- without a URL (books): the article's body is made of the highlights, one paragraph
  each in location order, so every highlight is anchored and readable; a re-run finds
  it again by title and author.

``Document tags`` become tags; ``Color`` is kept. Rows of quotations that our own
export adds (``--with-quotes``: note ``quotation``, no date) are not highlights and are
skipped; our export's formula guard (a leading ``'``) is undone.
"""

from __future__ import annotations

import re
from pathlib import Path

from reader.highlights.export.readwise_csv import FORMULA_STARTS
from reader.ingest.migrate.common import (
    Entry,
    ExportData,
    HighlightSpec,
    csv_rows,
    highlights_body,
    read_text,
    split_tags,
    to_iso,
)
from reader.sanitize import is_web_url

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _cell(value: str) -> str:
    """A cell with our export's formula guard (``'=...``) taken off."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read(path: Path) -> ExportData:
    """Read a Readwise CSV (Readwise's own export or ours)."""
    name = str(path)
    text = read_text(path)
    header, rows = csv_rows(text, name, ("Highlight",))
    ours = "title" in header and "book title" not in header
    title_key, author_key = ("title", "author") if ours else ("book title", "book author")
    data = ExportData()
    if title_key not in header:
        csv_rows(text, name, ("Highlight", "Book Title"))  # raises the missing-column error
    groups: dict[tuple[str, str, str], Entry] = {}
    for line, raw in rows:
        row = {k: _cell(v) for k, v in raw.items()}
        highlight = row.get("highlight", "")
        note = row.get("note", "")
        if not highlight:
            data.error(f"{name}: line {line}: no highlight text")
            continue
        if (
            ours
            and not row.get("date")
            and (note == "quotation" or note.startswith("quotation by "))
        ):
            data.skipped += 1
            continue
        title = row.get(title_key, "")
        author = row.get(author_key, "")
        url = row.get("url", "") if is_web_url(row.get("url", "")) else ""
        if not title and not url:
            data.error(f"{name}: line {line}: no title and no URL")
            continue
        key = (url, "" if url else title.casefold(), "" if url else author.casefold())
        entry = groups.get(key)
        if entry is None:
            entry = Entry(
                label=f"{name}: {title[:60] or url}",
                title=title or url,
                url=url or None,
                author=author or None,
                match_title=not url,
            )
            groups[key] = entry
            data.entries.append(entry)
        for tag in split_tags(row.get("document tags", "")):
            if tag not in entry.tags:
                entry.tags.append(tag)
        location = _NUMBER.search(row.get("location", ""))
        created = to_iso(row.get("highlighted at") or row.get("date"))
        entry.highlights.append(
            HighlightSpec(
                highlight,
                note=note or None,
                created=created,
                color=row.get("color") or None,
                location=float(location.group()) if location else None,
            )
        )
    for entry in data.entries:
        if not entry.url:
            entry.markdown = highlights_body(entry.highlights)
        dates = sorted(h.created for h in entry.highlights if h.created)
        entry.added = dates[0] if dates else None
    return data
