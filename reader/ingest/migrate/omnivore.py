"""Omnivore exports: a folder or zip with ``metadata_*.json``, ``content/<slug>.html`` and
``highlights/<slug>.md``.

Each metadata item (``id, slug, title, description, author, url, state, labels,
savedAt, publishedAt``) is an article; its HTML content is read with our HTML importer
and the metadata wins over what the page says. ``labels`` become tags, state
``Archived`` means read, ``savedAt`` is the added time; ``Deleted`` items are skipped.
An item without content is stored unfetched. Highlights files hold blocks ``> text``
(Omnivore's trailing ``[⤴️](link)`` dropped), each optionally followed by note lines.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from reader.errors import ImportFailed
from reader.ingest.importers import read_input
from reader.ingest.migrate.common import (
    MAX_EXPORT_BYTES,
    Entry,
    ExportData,
    HighlightSpec,
    ZipMembers,
    decode,
    has_text,
    html_loader,
    split_tags,
    to_iso,
)

_BACKLINK = re.compile(r"\s*\[[^\]]{0,8}\]\((?:https?://)?[^)\s]*\)\s*$")


class _Files:
    """The export's files by (folder name, file name), from a folder or a zip."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self._data: dict[tuple[str, str], str | Path] = {}  # a member's name, or a file
        self._archive: ZipMembers | None = None
        if path.is_dir():
            total = 0
            for file in sorted(path.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    total += file.stat().st_size
                    if total > MAX_EXPORT_BYTES:
                        raise ImportFailed(
                            self.name, f"the export is larger than {MAX_EXPORT_BYTES >> 20} MB"
                        )
                    self._data[(file.parent.name.lower(), file.name)] = file
        elif path.suffix.lower() == ".zip":
            self._archive = ZipMembers(path)
            for member in self._archive.names:
                parts = PurePosixPath(member)
                self._data[(parts.parent.name.lower(), parts.name)] = member
        else:
            raise ImportFailed(self.name, "expected the Omnivore export folder or zip")

    def metadata_files(self) -> list[tuple[str, str]]:
        return sorted(
            key for key in self._data if key[1].startswith("metadata") and key[1].endswith(".json")
        )

    def read(self, key: tuple[str, str]) -> bytes | None:
        value = self._data.get(key)
        if value is None:
            return None
        if isinstance(value, Path):
            return read_input(value, limit=MAX_EXPORT_BYTES)
        assert self._archive is not None
        return self._archive.read(value)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()


def read(path: Path) -> ExportData:
    """Read an Omnivore export folder or zip (a zip's members one at a time, only those
    the metadata names)."""
    files = _Files(path)
    try:
        return _read(files)
    finally:
        files.close()


def _read(files: _Files) -> ExportData:
    metadata = files.metadata_files()
    if not metadata:
        raise ImportFailed(files.name, "no metadata_*.json found: not an Omnivore export")
    data = ExportData()
    for key in metadata:
        label = f"{files.name}: {'/'.join(k for k in key if k)}"
        raw = files.read(key) or b""
        try:
            items = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError as err:
            raise ImportFailed(label, f"not valid JSON ({err.msg} at line {err.lineno})") from None
        if not isinstance(items, list):
            raise ImportFailed(label, "expected a list of saved items")
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                data.error(f"{label}: item {index}: not an object")
                continue
            if str(item.get("state") or "").lower() == "deleted":
                data.skipped += 1
                continue
            try:
                data.entries.append(_entry(item, f"{label}: item {index}", files))
            except ImportFailed as err:
                data.error(str(err))
            except (TypeError, ValueError, AttributeError) as err:
                data.error(f"{label}: item {index}: unreadable item ({err})")
    return data


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry(item: dict[str, Any], label: str, files: _Files) -> Entry:
    slug = _text(item.get("slug")) or _text(item.get("id"))
    url = _text(item.get("url")) or None
    title = _text(item.get("title")) or url or slug
    entry = Entry(
        label=f"{label} ({title[:60]})" if title else label,
        title=title,
        url=url,
        author=_text(item.get("author")) or None,
        summary=_text(item.get("description")) or None,
        published=to_iso(item.get("publishedAt")),
        tags=split_tags(item.get("labels") or []),
        read=_text(item.get("state")).lower() == "archived",
        added=to_iso(item.get("savedAt")),
    )
    if slug:
        content = files.read(("content", f"{slug}.html"))
        if content is not None:
            html = decode(content, entry.label) if content.strip() else ""
            if has_text(html):
                entry.load = html_loader(html, name=entry.label, title=title, url=url)
        notes = files.read(("highlights", f"{slug}.md"))
        if notes is not None and notes.strip():
            entry.highlights = parse_highlights(decode(notes, entry.label))
    return entry


def parse_highlights(text: str) -> list[HighlightSpec]:
    """Highlight blocks from an Omnivore highlights file: ``> text`` then optional notes."""
    found: list[HighlightSpec] = []
    quote: list[str] = []
    note: list[str] = []

    def finish() -> None:
        if quote:
            body = _BACKLINK.sub("", " ".join(line for line in quote if line)).strip()
            if body:
                found.append(HighlightSpec(body, note="\n".join(note).strip() or None))
        quote.clear()
        note.clear()

    in_quote = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith(">"):
            if not in_quote:
                finish()
                in_quote = True
            quote.append(line.lstrip()[1:].strip())
        elif not line.strip():
            in_quote = False if quote else in_quote
            if note:
                note.append("")
        elif quote:
            in_quote = False
            if not line.startswith("#"):  # a heading is not a note
                note.append(line.strip())
    finish()
    return found
