"""A library's tables as stored, read without opening the library.

Owns ``StoredTables`` and ``read_stored_tables``. The start snapshot's child process
(``reader.startup.snapshot_fork``) reads the library this way: the main file and its journal
as ``AtomicJSONStorage`` reads them, but no lock, no write of any kind (``Library`` may
migrate the file or remove stale temporary files as it opens), and an object built only
for the few records the first screen shows, not one per article. For speed on a large
library, the highlights table is parsed only if an article asked about has highlights
(``split_off_table``), and the files are not scanned for control characters: each record
built is checked, and cleaned if it holds one (the others are never shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.errors import StoreError
from reader.models import Article, Highlight
from reader.sanitize import bytes_may_be_unsafe, clean_tree
from reader.settings.paths import bodies_folder_for, journal_path_for
from reader.store.bodies import BodyStore
from reader.store.library import (
    SCHEMA_VERSION,
    highlight_from_record,
    shown_article,
    text_order,
)
from reader.store.storage import (
    Change,
    apply_changes,
    parse_journal,
    parse_main_bytes,
    read_file_buffer,
    read_journal_bytes,
    split_off_table,
)

TABLES = ("_meta", "articles", "stamps", "highlights", "settings", "feeds")
"""The tables a library file holds (``Library``'s)."""


@dataclass(slots=True)
class UnparsedRecords:
    """A table's records left unparsed (``split_off_table``), with the journal's changes
    to them: parsed all at once, or only those of one article."""

    path: Path
    raw: bytearray
    span: slice  # the records' object in ``raw``
    changes: list[Change]

    def all(self) -> dict[str, dict[str, Any]]:
        """Every record, by id (``StoreError`` when the bytes are not a set of records)."""
        try:
            records = orjson.loads(memoryview(self.raw)[self.span])
        except orjson.JSONDecodeError:
            records = None
        if not isinstance(records, dict) or not all(type(v) is dict for v in records.values()):
            raise StoreError(f"{self.path}: the highlights table could not be read on its own")
        return self._changed(records)

    def of_article(self, article_id: str, count: int) -> dict[str, dict[str, Any]] | None:
        """The ``count`` records whose ``article_id`` is ``article_id``, found by searching
        for them as this program writes them (that field first), or None when the search
        does not find exactly ``count`` (the caller then parses them ``all``)."""
        raw, found = self.raw, {}
        needle = b':{"article_id":' + orjson.dumps(article_id) + b","
        at = raw.find(needle, self.span.start, self.span.stop)
        while at >= 0:
            key_start = raw.rfind(b',"', self.span.start, at) + 1 or self.span.start + 1
            end = raw.find(b'},"', at, self.span.stop)
            end = self.span.stop - 1 if end < 0 else end + 1
            try:
                key = orjson.loads(raw[key_start:at])
                doc = orjson.loads(raw[at + 1 : end])
            except orjson.JSONDecodeError:
                return None
            if type(key) is not str or type(doc) is not dict:
                return None
            found[key] = doc
            at = raw.find(needle, end, self.span.stop)
        found = {k: d for k, d in self._changed(found).items() if d.get("article_id") == article_id}
        return found if len(found) == count else None

    def _changed(self, records: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        data = {"highlights": records}
        apply_changes(data, self.changes)
        return data["highlights"]


@dataclass(slots=True)
class StoredTables:
    """The records of a library by id, as stored (read-only use)."""

    articles: dict[str, dict[str, Any]]
    highlight_records: dict[str, dict[str, Any]] | None
    """None while they are ``unparsed``."""
    settings: dict[str, dict[str, Any]]
    suspicious: bool
    """The files may hold controls: text is cleaned as the library does. (Files not
    scanned as a whole are not suspicious: each record built is checked instead.)"""
    bodies: BodyStore
    unparsed: UnparsedRecords | None = field(default=None)
    """The highlights, not parsed yet (``read_stored_tables``)."""

    def article(self, article_id: str) -> Article:
        """The article stored under ``article_id``, as ``Library`` shows it."""
        doc = self.articles[article_id]
        if self.suspicious or _unsafe(doc):  # as the storage cleans it, then the library
            return shown_article(article_id, clean_tree(dict(doc)), suspicious=True)
        return shown_article(article_id, doc, suspicious=False)

    def highlights(self, article_id: str) -> list[Highlight]:
        """The article's highlights in text order, as ``Library.highlights`` gives them."""
        records = self.highlight_records
        if records is None and self.unparsed is not None:
            count = self.articles.get(article_id, {}).get("highlight_count")
            if type(count) is int:
                records = self.unparsed.of_article(article_id, count)
            if records is None:
                records = self.highlight_records = self.unparsed.all()
        found = [
            highlight_from_record(
                key, clean_tree(dict(doc)) if self.suspicious or _unsafe(doc) else doc
            )
            for key, doc in (records or {}).items()
            if doc.get("article_id") == article_id
        ]
        found.sort(key=text_order)
        return found

    def body(self, article_id: str) -> str | None:
        """The article's Markdown body, as ``Library.body`` reads it."""
        return self.bodies.read(article_id)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting, as ``Library.get_setting`` reads it."""
        doc = self.settings.get(key)
        return doc["value"] if doc and "value" in doc else default


def read_stored_tables(path: Path) -> StoredTables | None:
    """The tables of the library file ``path`` (and its journal), or None when it is not a
    library of this schema version (opening it as a ``Library`` migrates it or says what is
    wrong). Raises ``StoreError`` for a damaged file, as opening it would."""
    raw = read_file_buffer(path)
    highlights: slice | None = None
    data: dict[str, Any] | None = None
    epoch: str | None = None
    split = split_off_table(raw, "highlights", tuple(t for t in TABLES if t != "highlights"))
    if split is not None:
        before, after, highlights = split
        try:
            data, epoch = parse_main_bytes(path, before)
            data.update(parse_main_bytes(path, after)[0])
        except StoreError:  # cut in the wrong place: the whole file, as it was
            data, highlights = None, None
            raw = read_file_buffer(path)
    if data is None:
        data, epoch = parse_main_bytes(path, raw)
    meta = data.get("_meta", {}).get("schema")
    if not meta or meta.get("version") != SCHEMA_VERSION:
        return None
    changes: list[Change] = []
    if epoch is not None:
        journal_path = journal_path_for(path)
        journal = read_journal_bytes(journal_path) or b""
        journal_epoch, changes, _ = parse_journal(journal_path, journal, at_start=True)
        if journal_epoch != epoch:
            changes = []  # left over from before the main file's last rewrite
    later = [c for c in changes if c[0] == "highlights"] if highlights is not None else []
    apply_changes(data, [c for c in changes if highlights is None or c[0] != "highlights"])
    return StoredTables(
        articles=data.get("articles", {}),
        highlight_records=None if highlights is not None else data.get("highlights", {}),
        settings=data.get("settings", {}),
        suspicious=False,  # not scanned: each record built is checked (``_unsafe``)
        bodies=BodyStore(bodies_folder_for(path)),
        unparsed=UnparsedRecords(path, raw, highlights, later) if highlights is not None else None,
    )


def _unsafe(doc: dict[str, Any]) -> bool:
    """Whether a record may hold a control character (see ``bytes_may_be_unsafe``)."""
    return bytes_may_be_unsafe(orjson.dumps(doc))
