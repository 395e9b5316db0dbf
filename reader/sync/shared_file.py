"""The shared file: the part of a library that is synced, as git stores it.

``<stem>.shared.jsonl`` beside the library file: a header line, then one line per record,
``{"t": table, "id": id, "doc": {...}}``, sorted by table and id, each with sorted keys, so
the same state always gives the same bytes and a one-article change is a one-line diff.
Tables: ``articles`` (each with ``changed``, the stamps of ``STAMPED_FIELDS``),
``highlights`` and ``feeds``. Settings (theme, sort, ...) are machine-local: not here.

A ``State`` read from bytes (a file another machine wrote) passes through the store's own
record loader (``article_from_record``, coercing wrong types) and ``reader.sanitize``: no
control character, bidi mark or wrong type gets into the library through a sync.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from reader.errors import StoreError
from reader.models import Highlight
from reader.sanitize import clean_line, clean_text
from reader.store.library import STAMPED_FIELDS, shown_article

State = dict[str, dict[str, dict[str, Any]]]
TABLES = ("articles", "highlights", "feeds")
HEADER = b'{"reader-shared":1}\n'
SHARED_SUFFIX = ".shared.jsonl"


def shared_path_for(library_path: Path) -> Path:
    """The shared file of the library file ``library_path``."""
    return library_path.with_name(library_path.stem + SHARED_SUFFIX)


def empty_state() -> State:
    return {name: {} for name in TABLES}


def dump_state(state: State) -> bytes:
    """The canonical bytes of ``state`` (equal states give equal bytes)."""
    lines = [HEADER]
    for table in TABLES:
        docs = state.get(table, {})
        for doc_id in sorted(docs):
            record = {"t": table, "id": doc_id, "doc": docs[doc_id]}
            lines.append(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
    return b"".join(lines)


def load_state(name: str, raw: bytes) -> State:
    """The state in the bytes of a shared file (``name`` is named in errors); empty bytes
    are an empty state (no merge base). Every record is cleaned as the store cleans a
    foreign file; a line that is not a record raises a one-line ``StoreError``."""
    state = empty_state()
    if not raw.strip():
        return state
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or (number == 1 and line.startswith(b'{"reader-shared"')):
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            record = None
        if (
            not isinstance(record, dict)
            or record.get("t") not in TABLES
            or not isinstance(record.get("id"), str)
            or not record["id"].isalnum()
            or not isinstance(record.get("doc"), dict)
        ):
            raise StoreError(f"{name}: line {number} is not a library record; nothing was merged")
        table, doc_id, doc = record["t"], record["id"].lower(), record["doc"]
        state[table][doc_id] = _CLEANERS[table](doc_id, doc)
    return state


def clean_article(doc_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    """An article record as the store loads it from a foreign file, with its stamps."""
    fields = {k: v for k, v in doc.items() if k != "changed"}
    article = shown_article(doc_id, fields, suspicious=True).to_dict()
    del article["id"]
    changed = doc.get("changed")
    if isinstance(changed, dict):
        article["changed"] = {
            k: v for k, v in sorted(changed.items()) if k in STAMPED_FIELDS and isinstance(v, str)
        }
    else:
        article["changed"] = {}
    return article


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 53:
        return value
    return None


def clean_highlight(doc_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    text = doc.get("text")
    note = doc.get("note")
    color = doc.get("color")
    highlight = Highlight(
        id=doc_id,
        article_id=str(doc.get("article_id") or "").lower(),
        text=clean_text(text).strip() if isinstance(text, str) else "",
        note=(clean_text(note).strip() or None) if isinstance(note, str) else None,
        color=(clean_line(color) or None) if isinstance(color, str) else None,
        created=doc["created"] if isinstance(doc.get("created"), str) else "",
        paragraph=_int_or_none(doc.get("paragraph")),
        start=_int_or_none(doc.get("start")),
        end=_int_or_none(doc.get("end")),
    )
    record = highlight.to_dict()
    del record["id"]
    if isinstance(doc.get("note_at"), str):
        record["note_at"] = doc["note_at"]
    return record


def clean_feed(doc_id: str, doc: dict[str, Any]) -> dict[str, Any]:
    seen = doc.get("seen")
    seen_list = (
        [clean_line(s) for s in seen if isinstance(s, str)] if isinstance(seen, list) else []
    )
    record: dict[str, Any] = {
        "url": clean_line(doc["url"]) if isinstance(doc.get("url"), str) else "",
        "title": clean_line(doc["title"]) if isinstance(doc.get("title"), str) else "",
        "seen": list(dict.fromkeys(s for s in seen_list if s)),
    }
    record["entries_seen"] = len(record["seen"])
    for key in ("last_refresh", "added"):
        if isinstance(doc.get(key), str):
            record[key] = doc[key]
    return record


_CLEANERS = {"articles": clean_article, "highlights": clean_highlight, "feeds": clean_feed}
