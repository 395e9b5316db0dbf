"""Pocket exports: the CSV (``title,url,time_added,tags,status``), the zip or folder of
such CSVs Pocket sends (``part_000000.csv``...), and the older ``ril_export.html``.

Entries carry a URL and no text, so they are stored unfetched; ``status`` ``archive``
means read, ``time_added`` (Unix seconds) is kept as the added time, and tags are
``|``- or ``,``-separated.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.errors import ImportFailed
from reader.ingest.migrate.common import (
    Entry,
    ExportData,
    ZipMembers,
    csv_rows,
    decode,
    read_bytes,
    split_tags,
    to_iso,
)
from reader.sanitize import is_web_url

REQUIRED = ("url",)


def read(path: Path) -> ExportData:
    """Read a Pocket export (CSV file, zip of CSVs, folder of CSVs, or the old HTML)."""
    data = ExportData()
    for name, raw in _files(path):
        text = decode(raw, name)
        if text.lstrip()[:200].lower().startswith(("<!doctype", "<html", "<ul", "<h1")):
            from reader.ingest.migrate.bookmarks_html import read_text as read_html

            found = read_html(text, name, pocket=True)
            data.entries += found.entries
            data.errors += found.errors
            data.skipped += found.skipped
            continue
        _read_csv(text, name, data)
    return data


def _files(path: Path) -> Iterator[tuple[str, bytes]]:
    """Each CSV (or HTML) file of the export, read one at a time."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.csv") if not p.name.startswith(".") and p.is_file())
        if not found:
            raise ImportFailed(str(path), "no Pocket CSV files in this folder")
        for file in found:
            yield str(file), read_bytes(file)
        return
    if path.suffix.lower() == ".zip":
        with ZipMembers(path) as archive:
            csvs = sorted(n for n in archive.names if n.lower().endswith(".csv"))
            if not csvs:
                raise ImportFailed(str(path), "no CSV files in this zip: not a Pocket export")
            for member in csvs:
                yield f"{path}:{member}", archive.read(member)
        return
    yield str(path), read_bytes(path)


def _read_csv(text: str, name: str, data: ExportData) -> None:
    _header, rows = csv_rows(text, name, REQUIRED)
    for line, row in rows:
        url = row.get("url", "")
        if not is_web_url(url):
            data.error(f"{name}: line {line}: not a web address: {url[:80]!r}")
            continue
        title = row.get("title", "")
        data.entries.append(
            Entry(
                label=f"{name}: line {line}",
                title=title if title and title != url else url,
                url=url,
                tags=split_tags(row.get("tags", "")),
                read=row.get("status", "").lower() in {"archive", "archived", "read"},
                added=to_iso(row.get("time_added")),
            )
        )
