"""The library: articles, highlights and settings over TinyDB. The only code that
touches TinyDB.

Layout on disk, for a library file ``lib.json``:

- ``lib.json``: the TinyDB file (metadata only): tables ``articles``, ``highlights``,
  ``settings``, ``feeds``, ``stamps`` (when each article's ``STAMPED_FIELDS`` last
  changed, for a sync; a highlight's note keeps its own ``note_at``) and ``_meta`` (the
  schema version). Document ids are the
  articles' and highlights' own 8-hex-digit ids.
- ``lib.json.journal``: the documents changed since ``lib.json`` was last rewritten,
  one line per write (see ``storage.py``): a bookmark appends a line, not megabytes.
- ``lib.bodies/<id>.md``: each article's body as Markdown (see ``bodies.py``).
- ``lib.backups/``: rolling backups (see ``backups.py``).
- ``lib.json.lock``: the file lock held around every read-modify-write, so several
  processes (the TUI, ``reader add`` in another terminal) never lose each other's writes.

Every write re-reads what another process changed first, applies the change, and makes
it durable (an fsynced journal line, or an atomic rewrite) before returning: a change
reported done survives a crash. The tables name the documents each write changes to the
storage, so it can journal them (see ``_IdTable``).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import operator
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tinydb import TinyDB
from tinydb.table import Document, Table

from reader.errors import Ambiguous, NotFound, ReaderError, StoreError, describe_os_error
from reader.gc_pause import gc_paused
from reader.limits import check_body
from reader.models import Article, Highlight, ParsedArticle
from reader.sanitize import clean_line, clean_tag, clean_text, text_is_clean
from reader.settings.paths import bodies_folder_for
from reader.store.atomic_files import remove_stale_temp_files
from reader.store.backups import backup_due, backup_folder, take_backup
from reader.store.bodies import BodyStore
from reader.store.storage import AtomicJSONStorage

if TYPE_CHECKING:
    from filelock import FileLock

SCHEMA_VERSION = 1
WORDS_PER_MINUTE = 230
LOCK_TIMEOUT_SECONDS = 30.0

_WORD = re.compile(r"\w+")
# Every ASCII byte that ``\w`` does not match becomes a space (ASCII word counting).
_NOT_WORD_BYTES = bytes(b for b in range(128) if not (chr(b).isalnum() or b == ord("_")))
_NOT_WORD_TO_SPACE = bytes.maketrans(_NOT_WORD_BYTES, b" " * len(_NOT_WORD_BYTES))
_WORD_MARKS = bytes(
    ord(" ") if b in _NOT_WORD_BYTES else ord("x") if b < 0x80 else ord("h") for b in range(256)
)
_FEW_OTHER_BYTES = 256  # above this many bytes >= 0x80, count_words splits the whole text


def doc_id_of(key: str) -> int:
    """A document id for TinyDB's API. Our tables key documents by string ids (``_IdTable``);
    TinyDB's annotations say ``int``."""
    return cast(int, key)


def doc_ids_of(keys: Iterable[str]) -> list[int]:
    """Document ids for TinyDB's API (see ``doc_id_of``)."""
    return cast(list[int], list(keys))


class _IdTable(Table):
    """A TinyDB table whose document ids are our short hex strings, and which tells the
    storage which documents each write changes (so it can journal just those).

    Because ids are already strings, an update can change the stored table in place:
    TinyDB's own ``_update_table`` copies the whole table twice to convert ids, which
    makes a batch of n inserts cost O(n²).

    ``insert``, ``upsert``, ``update`` and ``remove`` given document ids name them to the
    storage; any other write (by query, ``truncate``, ...) makes the next flush rewrite
    the whole main file, so no change can be left out of the journal.
    """

    document_id_class = str  # type: ignore[assignment]
    _naming = 0  # > 0 while a write whose documents were named is running

    @contextlib.contextmanager
    def _named(self, doc_ids: Iterable[Any] | None) -> Iterator[None]:
        storage: AtomicJSONStorage = self._storage  # type: ignore[assignment]
        if doc_ids is None:
            storage.require_full_write()
        else:
            for doc_id in doc_ids:
                storage.note_change(self.name, str(doc_id))
        self._naming += 1
        try:
            yield
        finally:
            self._naming -= 1

    @staticmethod
    def _ids_of(document: Any) -> list[Any] | None:
        return [document.doc_id] if isinstance(document, Document) else None

    def insert(self, document):
        with self._named(self._ids_of(document)):
            return super().insert(document)

    def upsert(self, document, cond=None):
        with self._named(self._ids_of(document)):
            return super().upsert(document, cond)

    def update(self, fields, cond=None, doc_ids=None):
        with self._named(list(doc_ids) if doc_ids is not None else None):
            return super().update(fields, cond, doc_ids)

    def remove(self, cond=None, doc_ids=None):
        with self._named(list(doc_ids) if doc_ids is not None else None):
            return super().remove(cond, doc_ids)

    def _update_table(self, updater):
        tables = self._storage.read()
        if tables is None:
            tables = {}
        table = tables.setdefault(self.name, {})
        if not self._naming:
            self._storage.require_full_write()
        updater(table)
        self._storage.write(tables)
        self.clear_cache()


class _TinyDB(TinyDB):
    table_class = _IdTable


@dataclass(slots=True)
class AddResult:
    """What happened to one imported article."""

    status: str  # "added" | "duplicate"
    article: Article


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


#: The article fields whose last change is stamped (``stamps`` table), so that a sync can
#: tell which machine changed a field last (see ``reader.sync.merge``).
STAMPED_FIELDS = ("title", "bookmarked", "read", "position")
_last_stamp = ""


def change_stamp() -> str:
    """The time of a change: ISO 8601 UTC with microseconds, always increasing in one
    process (two changes in the same microsecond still come in order)."""
    global _last_stamp
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if stamp <= _last_stamp:
        last = datetime.strptime(_last_stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        stamp = (last + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    _last_stamp = stamp
    return stamp


# A URL that is only scheme://host/path, in printable ASCII with no spaces: no userinfo,
# IPv6 brackets, query or fragment, so nothing for ``urlsplit`` to check or drop.
_PLAIN_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([A-Za-z0-9._~%!$&'()*+,;=:-]+)(/[^?#\s]*)?")


def normalize_url(url: str | None) -> str | None:
    """A URL as compared for duplicates: no fragment, no tracking parameters.

    The duplicate check of a library normalizes every stored URL once, so the common plain
    URL is done by a pattern (faster than ``urlsplit`` and friends), with exactly the result of ``_normalize_url_by_parts`` (a test checks this).
    """
    if not url:
        return None
    url = url.strip()
    plain = _PLAIN_URL.fullmatch(url) if url.isascii() and url.isprintable() else None
    if plain is not None:
        scheme, host, path = plain.groups()
        return f"{scheme.lower()}://{host.lower()}{(path or '').rstrip('/') or '/'}"
    return _normalize_url_by_parts(url)


def _normalize_url_by_parts(url: str) -> str:
    """``normalize_url`` of a stripped, non-empty URL, with ``urllib.parse``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith("utm_")
        ]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def content_hash(markdown: str) -> str:
    """A hash of the body that ignores whitespace differences."""
    normalized = " ".join(markdown.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def count_words(markdown: str) -> int:
    """The number of words (``\\w+`` runs) in ``markdown``.

    Counted like the pattern, faster: the text is cut into pieces at ASCII non-word
    characters with byte operations (counted, not split, when few pieces hold other
    characters), and only the pieces holding other characters are matched with the pattern.
    """
    ascii_only = markdown.isascii()
    raw = markdown.encode("ascii" if ascii_only else "utf-8", "surrogatepass")
    marks = raw.translate(_WORD_MARKS)  # b"x": ASCII word byte; b" ": other ASCII; b"h": >= 0x80
    starts_piece = marks[:1] not in (b" ", b"")
    if ascii_only:
        return marks.count(b" x") + starts_piece
    if marks.count(b"h") > _FEW_OTHER_BYTES:  # much non-ASCII text: split it all
        split = raw.translate(_NOT_WORD_TO_SPACE).split()
        wide = list(filterfalse(bytes.isascii, split))
        found = len(_WORD.findall(b" ".join(wide).decode("utf-8", "surrogatepass")))
        return len(split) - len(wide) + found
    pieces = marks.count(b" x") + marks.count(b" h") + starts_piece
    other: list[bytes] = []  # the pieces holding a byte >= 0x80
    at = marks.find(b"h")
    while at >= 0:
        end = marks.find(b" ", at)
        if end < 0:
            end = len(marks)
        other.append(raw[marks.rfind(b" ", 0, at) + 1 : end])
        at = marks.find(b"h", end)
    found = len(_WORD.findall(b" ".join(other).decode("utf-8", "surrogatepass")))
    return pieces - len(other) + found


@dataclass(frozen=True, slots=True)
class PreparedBody:
    """An article body as ``add_parsed`` stores it, with the values derived from it."""

    body: str
    content_hash: str
    word_count: int


def prepare_body(markdown: str, name: str = "<article>") -> PreparedBody:
    """The stored form of an imported body (controls dropped, one final newline), its
    ``content_hash`` and word count. Pure: an import may run it in a worker process and
    hand the result to ``Library.add_parsed(..., prepared=...)``. ``ImportFailed`` (naming
    ``name``) for a body over the limits (``limits.check_body``)."""
    check_body(markdown, name)
    body = (markdown if text_is_clean(markdown) else clean_text(markdown)).strip() + "\n"
    return PreparedBody(body, content_hash(body), count_words(body))


def short_id(seed: str, taken: Iterable[str] | set[str] | dict[str, Any]) -> str:
    """An 8-hex-digit id derived from ``seed``, not already in ``taken``."""
    salt = 0
    while True:
        candidate = hashlib.sha1(f"{seed}\x00{salt}".encode()).hexdigest()[:8]
        if candidate not in taken:
            return candidate
        salt += 1


_RECORD_FIELDS = tuple(name for name in Article.__dataclass_fields__ if name != "id")
_record_values = operator.attrgetter(*_RECORD_FIELDS)

_OPTIONAL_TEXT = ("author", "site", "url", "source_path", "published", "summary")
_FLAGS = ("bookmarked", "read", "unfetched")
_COUNTS = ("word_count", "reading_minutes", "highlight_count")
MAX_COUNT = 1 << 31  # a count at or above this is damage (a body is at most 5 M characters)


def _in_range(a: Article) -> bool:
    """Whether the counts and the position are in their ranges (types checked before)."""
    return (
        0 <= a.word_count < MAX_COUNT
        and 0 <= a.reading_minutes < MAX_COUNT
        and 0 <= a.highlight_count < MAX_COUNT
        and 0.0 <= a.position <= 1.0
    )


def _well_typed(a: Article) -> bool:
    """Whether every field has its type (checked on every load: kept cheap)."""
    str_ = str
    return (
        type(a.title) is str_
        and type(a.added) is str_
        and type(a.content_hash) is str_
        and type(a.tags) is list
        and (a.author is None or type(a.author) is str_)
        and (a.site is None or type(a.site) is str_)
        and (a.url is None or type(a.url) is str_)
        and (a.source_path is None or type(a.source_path) is str_)
        and (a.published is None or type(a.published) is str_)
        and (a.summary is None or type(a.summary) is str_)
        and type(a.bookmarked) is bool
        and type(a.read) is bool
        and type(a.unfetched) is bool
        and type(a.word_count) is int
        and type(a.reading_minutes) is int
        and type(a.highlight_count) is int
        and type(a.position) in (float, int)
        and all(type(t) is str_ for t in a.tags)
    )


def _number(value: Any, kind: type, top: float) -> Any:
    """``value`` as ``kind`` within ``0..top``; anything else (text, NaN, infinity, a
    number out of range) is 0: a count or position is recomputed or read again later."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= top:
        return kind(value)
    return kind(0)


def _coerce(a: Article) -> Article:
    """An article read from a hand-edited or foreign file, with every field of its type."""
    a.title = clean_line(str(a.title)) if a.title is not None else "(untitled)"
    for name in ("added", "content_hash"):
        value = getattr(a, name)
        setattr(a, name, value if isinstance(value, str) else "")
    for name in _OPTIONAL_TEXT:
        value = getattr(a, name)
        if value is not None and not isinstance(value, str):
            setattr(a, name, clean_line(str(value)) or None)
    tags = a.tags if isinstance(a.tags, list) else [a.tags] if isinstance(a.tags, str) else []
    a.tags = [clean_tag(str(t)) for t in tags if isinstance(t, str | int | float)]
    for name in _FLAGS:
        setattr(a, name, getattr(a, name) is True)
    for name in _COUNTS:
        setattr(a, name, _number(getattr(a, name), int, MAX_COUNT - 1))
    a.position = _number(a.position, float, 1.0)
    return a


def _clean_fields(a: Article) -> None:
    """Drop controls, bidi and zero-width characters from every text field of ``a``."""
    a.title = clean_line(a.title) or "(untitled)"
    for name in _OPTIONAL_TEXT:
        value = getattr(a, name)
        if value is not None:
            setattr(a, name, clean_line(value) or None)
    a.tags = [t for t in (clean_tag(t) for t in a.tags) if t]


# The stored fields in ``Article.to_dict`` order (as this store writes them), and the
# type tuples of records already found well typed in that order: most records are
# checked by one tuple lookup and built from positional arguments.
_FIELD_ORDER = tuple(name for name in Article.__dataclass_fields__ if name != "id")
_GOOD_SHAPES: set[tuple[type, ...]] = set()
_MAX_SHAPES = 512


def _all_text(items: list[Any]) -> bool:
    """Whether every item is a ``str`` (``str.join`` refuses anything else, in C)."""
    try:
        "".join(items)
    except TypeError:
        return False
    return True


def shown_article(key: str, doc: dict[str, Any], *, suspicious: bool) -> Article:
    """The article stored under ``key`` as the library shows it: from a file that may
    hold controls (``AtomicJSONStorage.suspicious``), its text fields cleaned."""
    article = article_from_record(key, doc)
    if suspicious:
        _clean_fields(article)
    return article


def highlight_from_record(key: str, doc: dict[str, Any]) -> Highlight:
    """The ``Highlight`` stored under ``key``, each field checked: text that is not text
    is made text, an offset that is not a whole number from 0 to ``MAX_COUNT`` is
    dropped (the passage is then found by its text), unknown fields are ignored."""
    known = {k: v for k, v in doc.items() if k in Highlight.__dataclass_fields__}
    known.setdefault("article_id", "")
    known.setdefault("text", "")
    highlight = Highlight(**{**known, "id": key})
    if type(highlight.text) is not str:
        highlight.text = clean_text(str(highlight.text)) if highlight.text is not None else ""
    for name in ("article_id", "created"):
        if type(getattr(highlight, name)) is not str:
            setattr(highlight, name, "")
    for name in ("note", "color"):
        value = getattr(highlight, name)
        if value is not None and type(value) is not str:
            setattr(highlight, name, clean_text(str(value)))
    offsets = (highlight.paragraph, highlight.start, highlight.end)
    if not all(v is None or (type(v) is int and 0 <= v < MAX_COUNT) for v in offsets):
        highlight.paragraph = highlight.start = highlight.end = None
    return highlight


def text_order(highlight: Highlight) -> tuple[int, int]:
    """Sort key of an article's highlights: in the order of the text."""
    paragraph = highlight.paragraph if highlight.paragraph is not None else 1 << 30
    return paragraph, highlight.start or 0


def article_from_record(key: str, doc: dict[str, Any]) -> Article:
    """The ``Article`` stored under ``key``; fields of a wrong type (a hand-edited or
    foreign file) are coerced, unknown fields dropped, so a bad record cannot crash us."""
    if tuple(doc) == _FIELD_ORDER:  # written by this store: fast path
        article = Article(key, *doc.values())
        shape = tuple(map(type, doc.values()))
        if shape in _GOOD_SHAPES and _all_text(article.tags) and _in_range(article):
            return article
        if _well_typed(article) and _in_range(article):
            if len(_GOOD_SHAPES) < _MAX_SHAPES:
                _GOOD_SHAPES.add(shape)
            return article
        return _coerce(article)
    try:
        article = Article(id=key, **doc)
    except TypeError:  # fields from another version: keep what we know
        article = Article.from_dict({**doc, "id": key})
    return article if _well_typed(article) and _in_range(article) else _coerce(article)


class Library:
    """One library file and its bodies. Create with ``Library(path)``; close when done."""

    def __init__(self, path: str | Path) -> None:
        try:
            self.path = Path(path).expanduser().resolve()
        except RuntimeError:  # (Python 3.11) a loop of symbolic links
            raise StoreError(f"{path}: a loop of symbolic links, not a library file") from None
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a library file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.bodies = BodyStore(bodies_folder_for(self.path))
        self._file_lock: FileLock | None = None  # made on the first write (see ``_lock``)
        self._storage: AtomicJSONStorage
        self._db = _TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage = self._db.storage  # type: ignore[assignment]
        self._articles_table = self._db.table("articles", cache_size=0)
        self._highlights_table = self._db.table("highlights", cache_size=0)
        self._settings_table = self._db.table("settings", cache_size=0)
        self._feeds_table = self._db.table("feeds", cache_size=0)
        self._meta_table = self._db.table("_meta", cache_size=0)
        self._stamps_table = self._db.table("stamps", cache_size=0)
        self._cache_generation = -1
        self._tail_seen = 0  # entries of the storage's tail_log applied to the cache
        self._articles: dict[str, Article] = {}
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._duplicate_index_ready = False
        self._unsynced_bodies = 0
        self._open()

    # -- opening, schema -----------------------------------------------------------------
    def _open(self) -> None:
        self._storage.refresh()  # raises StoreError for a damaged file
        # Temporary files of writers killed mid-write (the library itself is never hurt).
        remove_stale_temp_files(self.path.parent, f".{glob.escape(self.path.name)}.*.tmp")
        remove_stale_temp_files(backup_folder(self.path), ".*.tmp")
        meta = self._meta_table.get(doc_id=doc_id_of("schema"))
        version = meta.get("version") if meta else (0 if self.path.exists() else SCHEMA_VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise StoreError(
                f"{self.path}: unreadable schema version {str(version)[:20]!r}; "
                "restore a backup with `reader restore` (the file was left untouched)"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer reader (schema {version}; this one reads "
                f"{SCHEMA_VERSION}); upgrade reader, or restore a backup with `reader restore`"
            )
        if version < SCHEMA_VERSION or meta is None:
            with self._write():
                if version < SCHEMA_VERSION and self.path.exists():
                    self._storage.compact()  # the backup holds everything
                    take_backup(self.path, reason=f"before-migration-v{version}")
                self._migrate(version)
                self._meta_table.upsert(
                    Document({"version": SCHEMA_VERSION}, doc_id="schema")  # type: ignore[arg-type]
                )

    def _migrate(self, from_version: int) -> None:
        """Bring older data up to ``SCHEMA_VERSION`` (nothing to do before version 1)."""

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _lock(self) -> FileLock:
        """The cross-process lock, made (and ``filelock`` imported) at the first write:
        opening a library to read it, as the TUI does at start, never needs it."""
        if self._file_lock is None:
            from filelock import FileLock

            self._file_lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
        return self._file_lock

    _writer: int | None = None  # the thread inside ``_write`` (holding the lock), if any
    _new_bodies: list[str] = []  # noqa: RUF012 - bodies the current write added
    _write_depth = 0  # how many ``_write`` blocks that thread is in

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """Hold the file lock, read fresh data, and write once at the end.

        A write inside one this thread is already in (a batch) takes nothing and reads
        nothing again: the lock is held and the data fresh; the outer block writes."""
        if self._writer == threading.get_ident():
            self._write_depth += 1
            try:
                yield
            finally:
                self._write_depth -= 1
            return
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path}: locked by another reader process for over "
                f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again"
            ) from None
        except OSError as exc:  # a folder in its place, a read-only folder, ...
            cause = describe_os_error(exc, self._lock.lock_file).split(": ")[-1]
            raise StoreError(
                f"{self._lock.lock_file}: cannot lock the library ({cause}); nothing was written"
            ) from None
        self._writer, self._write_depth = threading.get_ident(), 1
        self._new_bodies = []
        try:
            with self._failed_write_undone(), self._storage.deferred():
                if (
                    self._lock.lock_counter == 1
                    and self._storage.path.exists()
                    and backup_due(self.path)
                ):
                    self._storage.compact()  # the backup holds the journal's changes too
                    take_backup(self.path)
                self._sync_cache()
                try:
                    yield
                finally:
                    if self._lock.lock_counter == 1 and self._unsynced_bodies:
                        self.bodies.sync()  # bodies are durable before the metadata names them
                        self._unsynced_bodies = 0
        finally:
            self._writer, self._write_depth = None, 0
            self._lock.release()

    def take_notices(self) -> list[str]:
        """What the user should hear about the library files since the last call (an
        unfinished write cut off and kept aside), each once."""
        notices = list(self._storage.notices)
        self._storage.notices.clear()
        return notices

    @contextlib.contextmanager
    def _failed_write_undone(self) -> Iterator[None]:
        """A write that fails (disk full, read-only, ...) leaves no orphan body file: the
        bodies it wrote are removed, and the articles it added are forgotten (other
        changes stay pending, written with the next write, as the storage does)."""
        try:
            yield
        except BaseException:
            # (What the storage managed to write before the error stays, bodies and all.)
            unwritten = self._storage.unwritten("articles", self._new_bodies)
            for article_id in unwritten:
                with contextlib.suppress(OSError):
                    self.bodies.delete(article_id)
                article = self._articles.pop(article_id, None)
                if article is not None:
                    self._unindex_article(article)
            self._storage.forget_documents("articles", unwritten)
            raise
        finally:
            self._new_bodies = []

    def compact(self) -> bool:
        """Fold the journal of small changes into the library file now (also done as the
        journal grows, and before a backup). True when there was something to fold."""
        with self._write():
            return self._storage.compact()

    def batch(self) -> contextlib.AbstractContextManager[None]:
        """Group many changes into one locked write (e.g. a directory import)."""
        return self._write()

    # -- cache of Article objects -----------------------------------------------------------
    def _sync_cache(self) -> None:
        if self._cache_generation == self._storage.reload_count:
            if len(self._storage.tail_log) > self._tail_seen:
                self._apply_tail()
            return
        raw = (self._storage.read() or {}).get("articles", {})
        with gc_paused():
            articles = {key: article_from_record(key, doc) for key, doc in raw.items()}
        if self._storage.suspicious:  # edited or made elsewhere: clean what we show
            for article in articles.values():
                _clean_fields(article)
        self._articles = articles
        self._by_url = {}
        self._by_hash = {}
        self._duplicate_index_ready = False  # built on first need: start-up stays fast
        self._cache_generation = self._storage.reload_count
        self._tail_seen = len(self._storage.tail_log)

    def _apply_tail(self) -> None:
        """Update the cached articles another process changed (read from the journal)."""
        log = self._storage.tail_log
        raw = (self._storage.read() or {}).get("articles", {})
        for table, key in log[self._tail_seen :]:
            if table != "articles":
                continue
            old = self._articles.get(key)
            if old is not None:
                self._unindex_article(old)
            doc = raw.get(key)
            if doc is None:
                self._articles.pop(key, None)
                continue
            article = shown_article(key, doc, suspicious=self._storage.suspicious)
            self._articles[key] = article
            self._index_article(article)
        self._tail_seen = len(log)

    def _ensure_duplicate_index(self) -> None:
        if self._duplicate_index_ready:
            return
        self._duplicate_index_ready = True
        for article in self._articles.values():
            self._index_article(article)

    def _index_article(self, article: Article) -> None:
        if not self._duplicate_index_ready:
            return
        url = normalize_url(article.url)
        if url:
            self._by_url[url] = article.id
        if article.content_hash:
            self._by_hash[article.content_hash] = article.id

    def _unindex_article(self, article: Article) -> None:
        if not self._duplicate_index_ready:
            return
        url = normalize_url(article.url)
        if url and self._by_url.get(url) == article.id:
            del self._by_url[url]
        if self._by_hash.get(article.content_hash) == article.id:
            del self._by_hash[article.content_hash]

    def refresh(self) -> bool:
        """Pick up changes another process wrote. True when something changed.

        Inside a write (this process holds the file lock) nobody else can write, and the
        data was re-read when the lock was taken: nothing to look at.
        """
        if self._file_lock is not None and self._file_lock.is_locked:
            return False
        changed = self._storage.refresh()
        self._sync_cache()
        return changed

    @property
    def generation(self) -> int:
        """Bumps on every change of the data, ours or another process's."""
        return self._storage.generation

    # -- reading articles ---------------------------------------------------------------------
    def articles(self) -> list[Article]:
        """Every article's metadata (no bodies), in storage order."""
        self.refresh()
        return list(self._articles.values())

    def article_map(self) -> dict[str, Article]:
        self.refresh()
        return self._articles

    def __len__(self) -> int:
        self.refresh()
        return len(self._articles)

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id for an id or an unambiguous prefix of one."""
        self.refresh()
        key = id_or_prefix.strip().lower()
        if key in self._articles:
            return key
        if not key:
            raise NotFound("no article id given")
        matches = [aid for aid in self._articles if aid.startswith(key)]
        if not matches:
            raise NotFound(f"no article with id {id_or_prefix!r}")
        if len(matches) > 1:
            raise Ambiguous(
                f"id prefix {id_or_prefix!r} matches {len(matches)} articles: "
                + ", ".join(sorted(matches)[:5])
            )
        return matches[0]

    def get(self, id_or_prefix: str) -> Article:
        article_id = self.resolve_id(id_or_prefix)
        return self._articles[article_id]

    def body(self, article_id: str) -> str | None:
        """The article's Markdown body, or None when its body file is missing."""
        return self.bodies.read(article_id)

    def find_duplicate(self, url: str | None, markdown_hash: str | None) -> Article | None:
        self.refresh()
        self._ensure_duplicate_index()
        key = normalize_url(url)
        aid = (self._by_url.get(key) if key else None) or (
            self._by_hash.get(markdown_hash) if markdown_hash else None
        )
        return self._articles.get(aid) if aid else None

    def all_tags(self) -> dict[str, int]:
        """Every tag with the number of articles carrying it, by name."""
        counts: dict[str, int] = {}
        for article in self.articles():
            for tag in article.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))

    # -- adding and changing articles ---------------------------------------------------------------
    def add_parsed(
        self,
        parsed: ParsedArticle,
        *,
        tags: Iterable[str] = (),
        unfetched: bool = False,
        prepared: PreparedBody | None = None,
        staged: str | None = None,
    ) -> AddResult:
        """Store an imported article, or report the one already stored (same URL or body).

        ``prepared`` is ``prepare_body(parsed.markdown)`` when the caller already made it
        (in a worker process): the body is then not cleaned, hashed or counted again.
        ``staged`` is a file in ``bodies.staging_dir()`` holding exactly ``prepared.body``
        (see ``BodyStore.write``); it is left where it is when nothing is stored."""
        if unfetched:
            body, digest, words = "", "", 0
        else:
            if prepared is None:
                label = parsed.source_path or parsed.url or parsed.title
                prepared = prepare_body(parsed.markdown, clean_line(label))
            body, digest, words = prepared.body, prepared.content_hash, prepared.word_count
        with self._write():
            existing = self.find_duplicate(parsed.url, digest or None)
            if existing is not None:
                return AddResult("duplicate", existing)
            seed = normalize_url(parsed.url) or digest or parsed.title
            article_id = short_id(seed, self._articles)
            all_tags = [clean_tag(t) for t in [*parsed.tags, *tags]]
            article = Article(
                id=article_id,
                title=clean_line(parsed.title) or "(untitled)",
                author=clean_line(parsed.author) or None,
                site=clean_line(parsed.site) or None,
                url=clean_line(parsed.url) or None,
                source_path=clean_line(parsed.source_path) or None,
                published=clean_line(parsed.published) or None,
                added=now_iso(),
                summary=clean_line(parsed.summary) or None,
                word_count=words,
                reading_minutes=max(1, round(words / WORDS_PER_MINUTE)) if words else 0,
                tags=sorted({t for t in all_tags if t}),
                content_hash=digest,
                unfetched=unfetched,
            )
            if not unfetched:
                in_batch = self._write_depth > 1
                self._new_bodies.append(article_id)
                self.bodies.write(article_id, body, durable=not in_batch, staged=staged)
                self._unsynced_bodies += in_batch
            self._put(article)
            return AddResult("added", article)

    def set_body(self, article_id: str, parsed: ParsedArticle) -> Article:
        """Fill in a fetched body (and missing metadata) for an unfetched article."""
        body = clean_text(parsed.markdown).strip() + "\n"
        with self._write():
            article = self._require(article_id)
            self._new_bodies.append(article_id)  # (an unfetched article had none)
            self.bodies.write(article_id, body)
            self._unindex_article(article)
            article.content_hash = content_hash(body)
            article.word_count = count_words(body)
            article.reading_minutes = max(1, round(article.word_count / WORDS_PER_MINUTE))
            article.unfetched = False
            if article.title in ("", "(untitled)") or article.title == article.url:
                article.title = clean_line(parsed.title) or article.title
            article.author = article.author or clean_line(parsed.author) or None
            article.site = article.site or clean_line(parsed.site) or None
            article.published = article.published or clean_line(parsed.published) or None
            article.summary = article.summary or clean_line(parsed.summary) or None
            self._put(article)
            return article

    def _require(self, article_id: str) -> Article:
        article = self._articles.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    def _put(self, article: Article) -> None:
        data = dict(zip(_RECORD_FIELDS, _record_values(article), strict=True))
        data["tags"] = list(article.tags)  # (what ``Article.to_dict`` gives, without ``id``)
        self._articles_table.upsert(Document(data, doc_id=doc_id_of(article.id)))
        self._articles[article.id] = article
        self._index_article(article)

    def update(self, article_id: str, **fields: Any) -> Article:
        """Change some fields of one article and persist at once."""
        with self._write():
            article = self._require(article_id)
            for name, value in fields.items():
                if name not in Article.__dataclass_fields__ or name == "id":
                    raise ValueError(f"unknown article field {name!r}")
                setattr(article, name, value)
            self._stamp(article_id, [name for name in fields if name in STAMPED_FIELDS])
            self._put(article)
            return article

    def _stamp(self, article_id: str, names: list[str]) -> None:
        """Record now as the time of the last change of the article's fields ``names``."""
        if not names:
            return
        stamps = dict(self._raw_table("stamps").get(article_id) or {})
        now = change_stamp()
        stamps.update(dict.fromkeys(names, now))
        self._stamps_table.upsert(Document(stamps, doc_id=doc_id_of(article_id)))

    def change_stamps(self) -> dict[str, dict[str, str]]:
        """Per article id, when each of its ``STAMPED_FIELDS`` last changed (missing: not
        since this was recorded)."""
        self.refresh()
        return self._raw_table("stamps")

    def set_bookmarked(self, article_id: str, on: bool) -> Article:
        return self.update(article_id, bookmarked=on)

    def set_read(self, article_id: str, on: bool) -> Article:
        return self.update(article_id, read=on)

    def set_position(self, article_id: str, fraction: float) -> Article:
        return self.update(article_id, position=min(1.0, max(0.0, float(fraction))))

    def add_tags(self, article_id: str, tags: Iterable[str]) -> Article:
        with self._write():
            article = self._require(article_id)
            merged = set(article.tags) | {t for t in (clean_tag(x) for x in tags) if t}
            return self.update(article_id, tags=sorted(merged))

    def remove_tags(self, article_id: str, tags: Iterable[str]) -> Article:
        with self._write():
            article = self._require(article_id)
            gone = {clean_tag(t) for t in tags}
            return self.update(article_id, tags=[t for t in article.tags if t not in gone])

    def set_tags(self, article_id: str, tags: Iterable[str]) -> Article:
        return self.update(article_id, tags=sorted({t for t in map(clean_tag, tags) if t}))

    def remove(self, article_id: str) -> Article:
        """Delete an article, its body and its highlights."""
        with self._write():
            article = self._require(article_id)
            self._articles_table.remove(doc_ids=doc_ids_of([article_id]))
            hl_ids = [h.id for h in self.highlights(article_id)]
            if hl_ids:
                self._highlights_table.remove(doc_ids=doc_ids_of(hl_ids))
            if article_id in self._raw_table("stamps"):
                self._stamps_table.remove(doc_ids=doc_ids_of([article_id]))
            del self._articles[article_id]
            self._unindex_article(article)
        self.bodies.delete(article_id)
        return article

    # -- highlights -------------------------------------------------------------------------------
    def _raw_table(self, name: str) -> dict[str, Any]:
        """The stored documents of a table by id (read-only use)."""
        return (self._storage.read() or {}).get(name, {})

    def highlights(self, article_id: str | None = None) -> list[Highlight]:
        """Highlights of one article (in text order) or of all, oldest first."""
        self.refresh()
        raw = self._raw_table("highlights")
        if article_id is not None:
            article = self._articles.get(article_id)
            if article is not None and article.highlight_count == 0:
                return []
        found = [
            highlight_from_record(key, doc)
            for key, doc in raw.items()
            if article_id is None or doc.get("article_id") == article_id
        ]
        if article_id is None:
            found.sort(key=lambda h: (h.created, h.id))
        else:
            found.sort(key=text_order)
        return found

    def add_highlight(
        self,
        article_id: str,
        text: str,
        *,
        note: str | None = None,
        color: str | None = None,
        paragraph: int | None = None,
        start: int | None = None,
        end: int | None = None,
        created: str | None = None,
        highlight_id: str | None = None,
        end_paragraph: int | None = None,
    ) -> Highlight:
        text = clean_text(text).strip()
        if not text:  # an export holding it could not be imported back
            raise ReaderError("the highlight text is empty")
        with self._write():
            article = self._require(article_id)
            taken = self._raw_table("highlights")
            if highlight_id and highlight_id in taken:
                raise StoreError(f"highlight {highlight_id} already exists")
            hid = highlight_id or short_id(
                f"{article_id}:{paragraph}:{start}:{text}:{now_iso()}", taken
            )
            highlight = Highlight(
                id=hid,
                article_id=article_id,
                text=text,
                note=clean_text(note).strip() or None if note else None,
                color=clean_line(color) or None if color else None,
                created=created or now_iso(),
                paragraph=paragraph,
                start=start,
                end=end,
                end_paragraph=end_paragraph if end_paragraph != paragraph else None,
            )
            data = highlight.to_dict()
            del data["id"]
            self._highlights_table.insert(Document(data, doc_id=doc_id_of(hid)))
            article.highlight_count += 1
            self._put(article)
            return highlight

    def resolve_highlight_id(self, id_or_prefix: str) -> str:
        self.refresh()
        key = id_or_prefix.strip().lower()
        ids = [str(doc.doc_id) for doc in self._highlights_table.all()]
        if key in ids:
            return key
        matches = [h for h in ids if key and h.startswith(key)]
        if not matches:
            raise NotFound(f"no highlight with id {id_or_prefix!r}")
        if len(matches) > 1:
            raise Ambiguous(
                f"highlight id prefix {id_or_prefix!r} matches {len(matches)} highlights"
            )
        return matches[0]

    def get_highlight(self, id_or_prefix: str) -> Highlight:
        hid = self.resolve_highlight_id(id_or_prefix)
        doc = self._highlights_table.get(doc_id=doc_id_of(hid))
        assert doc is not None
        return highlight_from_record(hid, doc)

    def remove_highlight(self, highlight_id: str) -> Highlight:
        with self._write():
            highlight = self.get_highlight(highlight_id)
            self._highlights_table.remove(doc_ids=doc_ids_of([highlight.id]))
            article = self._articles.get(highlight.article_id)
            if article is not None:
                article.highlight_count = max(0, article.highlight_count - 1)
                self._put(article)
            return highlight

    def set_highlight_note(self, highlight_id: str, note: str | None) -> Highlight:
        with self._write():
            highlight = self.get_highlight(highlight_id)
            highlight.note = clean_text(note).strip() or None if note else None
            self._highlights_table.update(
                {"note": highlight.note, "note_at": change_stamp()},
                doc_ids=doc_ids_of([highlight.id]),
            )
            return highlight

    # -- settings and feeds -----------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        self.refresh()
        doc = self._settings_table.get(doc_id=doc_id_of(key))
        return doc["value"] if doc else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._write():
            self._settings_table.upsert(Document({"value": value}, doc_id=key))  # type: ignore[arg-type]

    # -- whole tables, for a sync -------------------------------------------------------------
    def copy_tables(self, names: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """A copy of the stored documents of the tables ``names``, by id (as stored: the
        caller cleans what it shows)."""
        self.refresh()
        data = self._storage.read() or {}
        return {name: {k: dict(v) for k, v in data.get(name, {}).items()} for name in names}

    def replace_tables(self, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Replace the tables named in ``tables`` whole (one atomic rewrite of the library
        file, done before this returns, even inside ``batch``); the other tables are kept.
        Bodies are the caller's: write those first."""
        with self._write():
            data = self._storage.read() or {}
            for name, docs in tables.items():
                data[name] = {str(k): dict(v) for k, v in docs.items()}
            self._storage.require_full_write()
            self._storage.write(data)
            self._storage.flush()  # durable before this returns, even inside a batch
            self._storage.reload_count += 1  # every cached article is rebuilt
            self._sync_cache()

    def feeds(self) -> list[dict[str, Any]]:
        self.refresh()
        return [{**doc, "id": str(doc.doc_id)} for doc in self._feeds_table.all()]

    def put_feed(self, feed_id: str, data: dict[str, Any]) -> None:
        with self._write():
            self._feeds_table.upsert(Document(data, doc_id=feed_id))  # type: ignore[arg-type]
