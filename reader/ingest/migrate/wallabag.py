"""Wallabag JSON exports: a list of entries with their HTML content and annotations.

``title``, ``url``, ``content`` (HTML, read with our HTML importer), ``tags``,
``is_starred`` (bookmarked), ``is_archived`` (read), ``created_at`` (added),
``published_at``, ``published_by`` (author), ``domain_name`` (site), and
``annotations`` ``[{quote, text, created_at}]`` (highlights; ``text`` is the note).
An entry without content is stored unfetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from reader.errors import ImportFailed
from reader.ingest.migrate.common import (
    Entry,
    ExportData,
    HighlightSpec,
    has_text,
    html_loader,
    read_bytes,
    split_tags,
    to_iso,
    truthy,
)


def read(path: Path) -> ExportData:
    """Read a Wallabag JSON export."""
    name = str(path)
    raw = read_bytes(path)
    try:
        document = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as err:
        raise ImportFailed(name, f"not valid JSON ({err.msg} at line {err.lineno})") from None
    if isinstance(document, dict):  # some versions wrap the list
        document = document.get("entries") or document.get("items") or document
    if not isinstance(document, list):
        raise ImportFailed(name, "not a Wallabag export (expected a list of entries)")
    data = ExportData()
    for index, item in enumerate(document, start=1):
        label = f"{name}: entry {index}"
        if not isinstance(item, dict):
            data.error(f"{label}: not an entry object")
            continue
        try:
            data.entries.append(_entry(item, label))
        except (TypeError, ValueError, AttributeError) as err:
            data.error(f"{label}: unreadable entry ({err})")
    return data


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry(item: dict[str, Any], label: str) -> Entry:
    url = _text(item.get("url")) or _text(item.get("given_url")) or None
    title = _text(item.get("title")) or url or ""
    authors = item.get("published_by")
    author = ", ".join(str(a) for a in authors if a) if isinstance(authors, list) else None
    content = item.get("content") if isinstance(item.get("content"), str) else ""
    entry = Entry(
        label=label + (f" ({title[:60]})" if title else ""),
        title=title,
        url=url,
        author=author or None,
        site=_text(item.get("domain_name")) or None,
        published=to_iso(item.get("published_at")),
        tags=split_tags(item.get("tags") or []),
        read=truthy(item.get("is_archived")),
        bookmarked=truthy(item.get("is_starred")),
        added=to_iso(item.get("created_at")),
    )
    if isinstance(content, str) and has_text(content):
        entry.load = html_loader(content, name=label, title=title, url=url)
    for note in item.get("annotations") or []:
        if isinstance(note, dict) and _text(note.get("quote")):
            entry.highlights.append(
                HighlightSpec(
                    _text(note.get("quote")),
                    note=_text(note.get("text")) or None,
                    created=to_iso(note.get("created_at")),
                )
            )
    return entry
