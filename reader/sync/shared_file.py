"""The shared files: the part of a library that is synced, as git stores it.

``<stem>.shared/`` beside the library file holds 16 shard files, ``0.jsonl`` to
``f.jsonl`` (by the first hex digit of the article id; an article's highlights go with it)
and ``feeds.jsonl``. Each is a header line, then one line per record,
``{"t": table, "id": id, "doc": {...}}`` (in that order, the document's keys sorted), by
table and id:
the same state always gives the same bytes, a one-article change is a one-line diff in a
file of a sixteenth of the library (so git hashes, packs and sends little). Tables:
``articles`` (each with ``changed``, the stamps of ``STAMPED_FIELDS``), ``highlights`` and
``feeds``. Settings (theme, sort, ...) are machine-local: not here. ``dump_state`` is the
same records as one file (what the merge driver writes for one shard).

A ``State`` read from bytes (a file another machine wrote) passes through the store's own
record loader (``article_from_record``, coercing wrong types) and ``reader.sanitize``: no
control character, bidi mark or wrong type gets into the library through a sync.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from reader.errors import StoreError
from reader.sanitize import bytes_may_be_unsafe, clean_line, clean_tree
from reader.store.library import STAMPED_FIELDS, highlight_from_record, shown_article

State = dict[str, dict[str, dict[str, Any]]]
TABLES = ("articles", "highlights", "feeds")
HEADER = b'{"reader-shared":1}\n'
SHARED_SUFFIX = ".shared"
_HEX = "0123456789abcdef"
SHARD_NAMES = (*(f"{digit}.jsonl" for digit in _HEX), "feeds.jsonl")


def shared_folder_for(library_path: Path) -> Path:
    """The folder of shared files of the library file ``library_path``."""
    return library_path.with_name(library_path.stem + SHARED_SUFFIX)


def _shard(article_id: str) -> str:
    first = article_id[:1]
    return f"{first if first in _HEX else '0'}.jsonl"


def empty_state() -> State:
    return {name: {} for name in TABLES}


def _lines(state: State) -> list[tuple[str, bytes]]:
    """(shard file, line) of every record, in the canonical order."""
    lines = []
    for table in TABLES:
        docs = state.get(table, {})
        for doc_id in sorted(docs):
            doc = docs[doc_id]
            if table == "articles":
                shard = _shard(doc_id)
            elif table == "highlights":
                shard = _shard(str(doc.get("article_id") or ""))
            else:
                shard = "feeds.jsonl"
            head = b'{"t":"%s","id":"%s","doc":' % (table.encode(), doc_id.encode())
            lines.append((shard, head + orjson.dumps(doc, option=orjson.OPT_SORT_KEYS) + b"}\n"))
    return lines


def dump_state(state: State) -> bytes:
    """The canonical bytes of ``state`` as one file (equal states give equal bytes)."""
    return HEADER + b"".join(line for _, line in _lines(state))


def dump_shards(state: State) -> dict[str, bytes]:
    """The canonical bytes of each shard file of ``state`` (``SHARD_NAMES``)."""
    parts: dict[str, list[bytes]] = {name: [HEADER] for name in SHARD_NAMES}
    for shard, line in _lines(state):
        parts[shard].append(line)
    return {name: b"".join(lines) for name, lines in parts.items()}


def join_shards(shards: dict[str, bytes]) -> bytes:
    """Shard files as the bytes of one file ``load_state`` reads (sorted by name)."""
    return b"".join(shards[name] for name in sorted(shards))


def load_state(name: str, raw: bytes) -> State:
    """The state in the bytes of a shared file (``name`` is named in errors); empty bytes
    are an empty state (no merge base). Every record is checked and coerced as the store
    loads a stored file: when the bytes may hold an unsafe character
    (``sanitize.bytes_may_be_unsafe``) every string is cleaned (``sanitize.clean_tree``),
    then each record is checked field by field (``article_from_record``,
    ``highlight_from_record``); a line that is not a record raises a one-line
    ``StoreError``."""
    state = empty_state()
    if not raw.strip():
        return state
    suspicious = bytes_may_be_unsafe(raw)
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith(b'{"reader-shared"'):
            continue
        table, doc_id, doc = _record(name, number, line)
        state[table][doc_id] = _CLEANERS[table](doc_id, doc, suspicious)
    return state


def _record(name: str, number: int, line: bytes) -> tuple[str, str, dict[str, Any]]:
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
    return record["t"], record["id"].lower(), record["doc"]


_KEY = re.compile(rb'\{"t":"(\w+)","id":"(\w+)","doc":')


def keyed_lines(name: str, raw: bytes) -> dict[tuple[str, str], bytes]:
    """Each record's line by (table, id), without parsing the records (``load_state``
    parses the ones that are used); a line that does not start like a record raises the
    one-line ``StoreError``."""
    found: dict[tuple[str, str], bytes] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith(b'{"reader-shared"'):
            continue
        match = _KEY.match(line)
        if match is None:
            raise StoreError(f"{name}: line {number} is not a library record; nothing was merged")
        found[(match.group(1).decode(), match.group(2).decode().lower())] = line
    return found


def state_of_lines(name: str, lines: list[bytes]) -> State:
    """The state of some records' lines (as ``keyed_lines`` gives them)."""
    return load_state(name, HEADER + b"\n".join(lines))


def changed_records(old: bytes, new: bytes) -> tuple[State, State]:
    """The records that differ between two shared files, as (old, new) partial states:
    enough to count the changes (``describe.count_changes``) without reading every record
    of a large library (the files are canonical: an unchanged record is an equal line)."""
    old_lines, new_lines = set(old.splitlines()), set(new.splitlines())
    return (
        load_state("old", HEADER + b"\n".join(sorted(old_lines - new_lines))),
        load_state("new", HEADER + b"\n".join(sorted(new_lines - old_lines))),
    )


def clean_article(doc_id: str, doc: dict[str, Any], suspicious: bool = True) -> dict[str, Any]:
    """An article record as the store loads it from a stored file, with its stamps."""
    if suspicious:
        doc = clean_tree(dict(doc))
    fields = {k: v for k, v in doc.items() if k != "changed"}
    article = shown_article(doc_id, fields, suspicious=suspicious).to_dict()
    del article["id"]
    changed = doc.get("changed")
    if isinstance(changed, dict):
        article["changed"] = {
            k: v for k, v in sorted(changed.items()) if k in STAMPED_FIELDS and isinstance(v, str)
        }
    else:
        article["changed"] = {}
    return article


def clean_highlight(doc_id: str, doc: dict[str, Any], suspicious: bool = True) -> dict[str, Any]:
    """A highlight record as the store loads it from a stored file, with its ``note_at``."""
    if suspicious:
        doc = clean_tree(dict(doc))
    highlight = highlight_from_record(doc_id, doc)
    color = clean_line(highlight.color) if suspicious and highlight.color else highlight.color
    record: dict[str, Any] = {
        "article_id": highlight.article_id.lower(),
        "text": highlight.text.strip(),
        "note": (highlight.note.strip() or None) if highlight.note else None,
        "color": color or None,
        "created": highlight.created,
        "paragraph": highlight.paragraph,
        "start": highlight.start,
        "end": highlight.end,
    }
    if isinstance(doc.get("note_at"), str):
        record["note_at"] = doc["note_at"]
    return record


def clean_feed(doc_id: str, doc: dict[str, Any], suspicious: bool = True) -> dict[str, Any]:
    """A feed record: its subscription and the links it has seen, each of its type."""
    if suspicious:
        doc = clean_tree(dict(doc))
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
