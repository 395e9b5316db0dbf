"""A library's tables as stored, read without opening the library.

Owns ``StoredTables`` and ``read_stored_tables``. The start snapshot's child process
(``reader.startup.snapshot_fork``) reads the library this way: the main file and its journal
exactly as ``AtomicJSONStorage`` reads them, but no lock, no write of any kind (``Library``
may migrate the file or remove stale temporary files as it opens), and an object built
only for the few records the first screen shows, not one per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.models import Article, Highlight
from reader.settings.paths import bodies_folder_for
from reader.store.bodies import BodyStore
from reader.store.library import (
    SCHEMA_VERSION,
    highlight_from_record,
    shown_article,
    text_order,
)
from reader.store.storage import AtomicJSONStorage


@dataclass(slots=True)
class StoredTables:
    """The records of a library by id, as stored (read-only use)."""

    articles: dict[str, dict[str, Any]]
    highlight_records: dict[str, dict[str, Any]]
    settings: dict[str, dict[str, Any]]
    suspicious: bool  # the files may hold controls: text is cleaned as the library does
    bodies: BodyStore

    def article(self, article_id: str) -> Article:
        """The article stored under ``article_id``, as ``Library`` shows it."""
        return shown_article(article_id, self.articles[article_id], suspicious=self.suspicious)

    def highlights(self, article_id: str) -> list[Highlight]:
        """The article's highlights in text order, as ``Library.highlights`` gives them."""
        found = [
            highlight_from_record(key, doc)
            for key, doc in self.highlight_records.items()
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
    """The tables of the library file ``path``, or None when it is not a library of this
    schema version (opening it as a ``Library`` migrates it or says what is wrong).
    Raises ``StoreError`` for a damaged file, as opening it would."""
    storage = AtomicJSONStorage(path)
    data = storage.read()
    if not data:
        return None
    meta = data.get("_meta", {}).get("schema")
    if not meta or meta.get("version") != SCHEMA_VERSION:
        return None
    return StoredTables(
        articles=data.get("articles", {}),
        highlight_records=data.get("highlights", {}),
        settings=data.get("settings", {}),
        suspicious=storage.suspicious,
        bodies=BodyStore(bodies_folder_for(path)),
    )
