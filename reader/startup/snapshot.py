"""The start snapshot: what the first screen of the TUI needs, saved when the app quits.

Owns ``StartSnapshot``, ``read_start_snapshot``/``parse_start_snapshot``, the making of a
snapshot (``snapshot_bytes_of``) and its saving (``write_start_snapshot``,
``refresh_start_snapshot``). Opening a
large library reads and parses its whole metadata file and builds an object per article
(about half a second at 50,000 articles), and showing an article first imports the
Markdown parser. The first screen shows a few dozen rows around the cursor and one
article, so the app saves those when it quits (``<stem>.start``, beside the library file):
the rows, the shown article's highlights and the start of its text already parsed
(``reader.text.article_head``). The next start draws its whole first screen from them, then
opens the library right after that first frame (``reader.tui.app``).

A snapshot is used only while the library file and its journal are exactly the versions it
was taken from (inode, size, modification and change times): any write by any process, a
restore or an edit makes it stale. A missing, stale or unreadable snapshot is never an
error: it is ignored (and one holding control characters, which we never save, too).
The snapshot is a cache: deleting it loses nothing.

A command that changed the library (``reader add``, ``tag``, ``fetch``...) brings the
snapshot up to date (or makes one) as it ends (``refresh_start_snapshot``). When it is
stale all the same (a crash, a restore, another program), a process forked at start
makes one from the library files while the app loads (``reader.startup.snapshot_fork``).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, overload

import orjson

from reader.models import Article, Highlight
from reader.sanitize import bytes_may_be_unsafe
from reader.search.order import in_order
from reader.settings.paths import journal_path_for, snapshot_path
from reader.store.atomic_files import atomic_write_bytes, file_signature
from reader.store.library import article_from_record
from reader.text.article_head import body_digest, head_blocks
from reader.text.document import BLOCK_KINDS, SPAN_STYLES, Block, Span

if TYPE_CHECKING:
    from reader.store import Library

SNAPSHOT_VERSION = 2  # 2: the start of the cursor article's text (``head``)
ROWS_AROUND_CURSOR = 200
"""Rows kept on each side of the cursor: more than any terminal shows at once."""


def library_files_version(library_path: Path) -> list[list[int] | None]:
    """The versions (inode, size, times) of the library file and its journal, as a
    snapshot names them: it is valid only while they are the same."""
    found = (file_signature(library_path), file_signature(journal_path_for(library_path)))
    return [list(sig) if sig is not None else None for sig in found]


class SnapshotRows(Sequence[Article]):
    """The sorted list of every article, as far as the first screen needs it: the rows
    around the cursor are real, the others a blank stand-in (never drawn before the
    library is open)."""

    def __init__(self, total: int, start: int, rows: list[Article]) -> None:
        self._total = total
        self._start = start
        self._rows = rows
        self._blank = Article(id="", title="")

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | Sequence[Article]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._total))]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        offset = index - self._start
        return self._rows[offset] if 0 <= offset < len(self._rows) else self._blank

    def __iter__(self) -> Iterator[Article]:
        after = self._total - self._start - len(self._rows)
        return itertools.chain(
            itertools.repeat(self._blank, self._start),
            self._rows,
            itertools.repeat(self._blank, max(0, after)),
        )


@dataclass(slots=True)
class StartSnapshot:
    """The first screen of a library, as the app left it."""

    sort: str
    rows: SnapshotRows
    articles: dict[str, Article]  # the real rows, by id
    cursor: str | None  # the article the app starts on: the last one shown, or the first
    highlights: list[Highlight]  # the cursor article's
    settings: dict[str, Any]
    head: list[Block] = field(default_factory=list)  # the start of the cursor article's text
    head_digest: str | None = None  # ``body_digest`` of the body ``head`` was parsed from

    @property
    def total(self) -> int:
        """How many articles the library holds."""
        return len(self.rows)

    def head_for(self, article_id: str, markdown: str) -> list[Block] | None:
        """The blocks of the start of ``article_id``'s body ``markdown``, if the snapshot
        has them for exactly that text (``reader.text.article_head``)."""
        if article_id != self.cursor or self.head_digest is None:
            return None
        return self.head if body_digest(markdown) == self.head_digest else None


def _article(record: Any) -> Article:
    """A saved row, type-checked field by field as the library checks its records."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise ValueError("bad row")
    fields = dict(record)
    return article_from_record(fields.pop("id"), fields)


def _well_formed(highlight: Highlight) -> bool:
    """Whether each field of a highlight read back has its type (the file is ours, but a
    cache file must never be able to break the screen drawn from it)."""
    texts = (highlight.id, highlight.article_id, highlight.text, highlight.created)
    optional_texts = (highlight.note, highlight.color)
    numbers = (highlight.paragraph, highlight.start, highlight.end)
    return (
        all(isinstance(t, str) for t in texts)
        and all(t is None or isinstance(t, str) for t in optional_texts)
        and all(n is None or (isinstance(n, int) and not isinstance(n, bool)) for n in numbers)
    )


def _block_data(block: Block) -> list[Any]:
    spans = [[span.start, span.end, span.style, span.url] for span in block.spans]
    return [block.kind, block.text, spans, block.level, block.marker, block.quote]


def _block(data: Any) -> Block:
    """A saved block, type-checked (a cache file must not break the screen drawn)."""
    kind, text, spans, level, marker, quote = data
    if kind not in BLOCK_KINDS or not isinstance(text, str) or not isinstance(marker, str):
        raise ValueError("bad block")
    numbers = [level, quote]
    made: list[Span] = []
    for start, end, style, url in spans:
        if style not in SPAN_STYLES or not (url is None or isinstance(url, str)):
            raise ValueError("bad span")
        numbers += [start, end]
        made.append(Span(start, end, style, url))
    if not all(type(n) is int and n >= 0 for n in numbers):
        raise ValueError("bad number")
    return Block(kind, text, made, level, marker, quote)


def read_start_snapshot(library_path: Path) -> StartSnapshot | None:
    """The snapshot of ``library_path``, or None when there is none, it is stale (the
    library changed since) or it cannot be read."""
    try:
        raw = snapshot_path(library_path).read_bytes()
    except OSError:
        return None
    return parse_start_snapshot(raw, library_path)


def parse_start_snapshot(raw: bytes, library_path: Path) -> StartSnapshot | None:
    """The snapshot saved as ``raw``, or None when it is stale (``library_path`` changed
    since it was taken) or not a well-formed snapshot."""
    if bytes_may_be_unsafe(raw):
        return None  # controls or bidi marks: not written by us (we save cleaned text)
    try:
        data = orjson.loads(raw)
        if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
            return None
        if data.get("files") != library_files_version(library_path):
            return None
        total, start = data["total"], data["start"]
        rows = [_article(record) for record in data["rows"]]
        highlights = [Highlight.from_dict(h) for h in data["highlights"]]
        settings = data["settings"]
        sort, cursor = data["sort"], data["cursor"]
        head = [_block(b) for b in data["head"]]
        head_digest = data["head_digest"]
        if not (
            isinstance(total, int)
            and isinstance(start, int)
            and 0 <= start <= total
            and start + len(rows) <= total
            and isinstance(settings, dict)
            and isinstance(sort, str)
            and (cursor is None or isinstance(cursor, str))
            and (head_digest is None or isinstance(head_digest, str))
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    articles = {a.id: a for a in rows}
    if cursor is not None and cursor not in articles:
        return None
    if any(h.article_id != cursor or not _well_formed(h) for h in highlights):
        return None
    return StartSnapshot(
        sort=sort,
        rows=SnapshotRows(total, start, rows),
        articles=articles,
        cursor=cursor,
        highlights=highlights,
        settings=settings,
        head=head,
        head_digest=head_digest,
    )


def window_around(ids: list[str], cursor: str | None) -> slice:
    """Where the rows a snapshot keeps are in the list of ``ids`` (every article's, in
    order): around ``cursor``, or from the top."""
    index = 0
    if cursor is not None:
        with contextlib.suppress(ValueError):
            index = ids.index(cursor)
    return slice(max(0, index - ROWS_AROUND_CURSOR), index + ROWS_AROUND_CURSOR + 1)


def _saved_head(library_path: Path, digest: str) -> list[Any] | None:
    """The head blocks (as saved) that the snapshot on disk keeps for exactly the body
    whose ``body_digest`` is ``digest``, stale or not: a new snapshot for an article whose
    text did not change (a ``reader`` command that added or tagged other articles, a
    start after a crash) then parses nothing, and does not import the Markdown parser.
    None when there is none to take."""
    try:
        raw = snapshot_path(library_path).read_bytes()
        if bytes_may_be_unsafe(raw):
            return None
        data = orjson.loads(raw)
        if data.get("version") != SNAPSHOT_VERSION or data.get("head_digest") != digest:
            return None
        head = data["head"]
        for block in head:
            _block(block)  # each one well-formed, as parse_start_snapshot checks them
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return head if isinstance(head, list) else None


def save_snapshot_bytes(library_path: Path, raw: bytes) -> None:
    """Save the snapshot ``raw`` (made by ``snapshot_bytes_of``) of ``library_path``.
    Best effort: a snapshot that cannot be written is simply not there next time."""
    with contextlib.suppress(OSError):
        atomic_write_bytes(snapshot_path(library_path), raw, mode=0o600)


class SnapshotSource(Protocol):
    """What a snapshot is made from: a ``Library``, or its ``StoredTables``."""

    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def highlights(self, article_id: str) -> list[Highlight]: ...
    def body(self, article_id: str) -> str | None: ...


SAVED_SETTINGS = ("sort", "theme", "last_article")
"""The settings the first screen reads, kept in the snapshot."""


def snapshot_bytes_of(
    source: SnapshotSource,
    library_path: Path,
    sort: str,
    ids: list[str],
    row: Callable[[int], Article],
) -> bytes:
    """The snapshot of a library, as saved: ``ids`` are every article's in ``sort`` order
    (no filter), ``row`` gives the article at an index of them (asked only for the rows
    kept). The cursor is the last article shown if it is still there, else the first
    row; the snapshot keeps the rows around it, its highlights and the start of its text
    (``reader.text.article_head``). It names the library files' versions as they are now and
    takes no lock: the caller makes sure the files are still the versions the data was
    read from (``write_start_snapshot`` holds the lock; ``reader.startup.snapshot_fork``
    compares the versions)."""
    cursor = source.get_setting("last_article")
    kept = window_around(ids, cursor if isinstance(cursor, str) else None)
    rows = [row(i) for i in range(len(ids))[kept]]
    if not any(a.id == cursor for a in rows):  # none, or gone: the list starts at the top
        cursor = rows[0].id if rows else None
    head: list[Any] = []
    digest = None
    markdown = source.body(cursor) if cursor is not None else None
    if markdown is not None:
        digest = body_digest(markdown)
        saved = _saved_head(library_path, digest)
        head = saved if saved is not None else [_block_data(b) for b in head_blocks(markdown)]
    data = {
        "version": SNAPSHOT_VERSION,
        "files": library_files_version(library_path),
        "sort": sort,
        "total": len(ids),
        "start": kept.start,
        "rows": [a.to_dict() for a in rows],
        "cursor": cursor,
        "highlights": [h.to_dict() for h in source.highlights(cursor)] if cursor else [],
        "settings": {k: source.get_setting(k) for k in SAVED_SETTINGS},
        "head": head,
        "head_digest": digest,
    }
    return orjson.dumps(data)


def write_start_snapshot(library: Library, sort: str) -> None:
    """Save the snapshot of ``library`` as it is now (see ``snapshot_bytes_of``).
    Holds the library's lock and re-reads what another process changed, so no write
    comes between reading the data and naming the files' versions."""
    with library.batch():  # the lock, and the data re-read if another process wrote
        order = in_order(library.articles(), sort)
        ids = [a.id for a in order]
        raw = snapshot_bytes_of(library, library.path, sort, ids, order.__getitem__)
        save_snapshot_bytes(library.path, raw)


def refresh_start_snapshot(library: Library, sort: str = "added") -> None:
    """Bring the library's snapshot up to date with the library as it is now, or make one
    (in ``sort`` order) when it has none. Call it when a process has changed the library,
    so the TUI's next start draws its first screen at once."""
    try:
        saved = orjson.loads(snapshot_path(library.path).read_bytes())["sort"]
    except (OSError, ValueError, KeyError, TypeError):
        saved = None
    write_start_snapshot(library, saved if isinstance(saved, str) else sort)
