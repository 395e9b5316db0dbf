"""The search index kept on disk beside the library, and brought up to date incrementally.

Owns the file ``<library stem>.index`` (next to ``library.json``), ``CachedIndex`` (a
``SearchIndex`` plus one fingerprint per indexed article) and the functions that load it,
catch it up with the library and save it: a start-up reads one file and indexes only what
changed, instead of every body.

Fingerprints: per article a pair (body, metadata). The body part is the article's
``content_hash`` (``""`` for an article without a body; ``"missing"`` when its body file
could not be read, so it is tried again next time); the metadata part is a short digest of
the fields the index uses (title, summary, author, site, tags, bookmarked, read, has
highlights). ``sync`` compares them with the library: a new or re-bodied article is indexed
from its body, a metadata change costs only ``update_metadata``, a removed one is dropped.
``ImportIndexer`` indexes an import's articles as they are stored, from the body words the
import's workers found (no body is read back), and ``sync`` can take such words too.

File layout: ``READERIC``, version (u32), header length (u64), an orjson header (the ids and
their fingerprints), then ``SearchIndex.to_bytes()``. It is written with
``atomic_write_bytes`` (a crash leaves the old or the new file). A damaged, foreign or
older file is ignored (and replaced at the next save): loading never raises.

The index is a cache: losing it loses nothing but time, and a file a little behind the
library is fine (``sync`` catches up). So the file is rewritten only once enough bodies
changed (``rewrite_threshold``): a few new or removed articles are redone by each reader
from their bodies, which costs less than rewriting the whole file. For the same reason an import of fewer
files than that leaves the file alone, as adding a web page or a feed entry does. No
Textual here; not thread-safe (one thread at a time per ``CachedIndex``).
"""

from __future__ import annotations

import contextlib
import hashlib
import struct
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from reader.errors import ReaderError
from reader.models import Article
from reader.search.index import SearchIndex
from reader.store import Library
from reader.store.atomic_files import atomic_write_bytes

__all__ = [
    "CachedIndex",
    "ImportIndexer",
    "KnownTokens",
    "SyncStats",
    "fingerprint",
    "index_path",
    "load",
    "load_or_build",
    "rewrite_threshold",
    "save",
    "sync",
]

_MAGIC = b"READERIC"
_VERSION = 1
_HEAD = struct.Struct("<IQ")
MISSING_BODY = "missing"
"""Body fingerprint of an article whose body file could not be read."""

Fingerprint = tuple[str, str]
KnownTokens = tuple[str, Collection[str]]
"""An article's ``content_hash`` and ``unique_tokens`` of the body having that hash."""


def index_path(library_path: Path) -> Path:
    """Where the index of the library at ``library_path`` is kept."""
    return library_path.with_name(library_path.stem + ".index")


def _body_print(article: Article) -> str:
    return "" if article.unfetched else article.content_hash


def _meta_print(article: Article) -> str:
    flags = f"{int(article.bookmarked)}{int(article.read)}{int(article.highlight_count > 0)}"
    text = "\x1f".join(
        (
            article.title,
            article.summary or "",
            article.author or "",
            article.site or "",
            "\x1e".join(article.tags),
            flags,
        )
    )
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def fingerprint(article: Article) -> Fingerprint:
    """(body, metadata) fingerprint of an article as the index needs it."""
    return _body_print(article), _meta_print(article)


@dataclass
class SyncStats:
    """What one ``sync`` did."""

    indexed: int = 0  # articles (re)indexed with their body
    updated: int = 0  # metadata-only updates
    removed: int = 0
    pending: int = 0  # left for later (budget or ``only``): matched on metadata meanwhile

    @property
    def complete(self) -> bool:
        """True when the index now covers every article of the library."""
        return self.pending == 0

    def worth_saving(self, articles: int) -> bool:
        """True when the index changed by enough bodies (in a library of ``articles``) that
        rewriting its file costs less than every later reader redoing them."""
        return self.indexed + self.removed >= rewrite_threshold(articles)


def rewrite_threshold(articles: int) -> int:
    """Bodies indexed or dropped from which the index file of a library of ``articles`` is
    rewritten (8, and one per 1,000 articles above 8,000): fewer are redone by each reader."""
    return max(8, articles // 1000)


@dataclass
class CachedIndex:
    """A ``SearchIndex`` and the fingerprint of every article it holds."""

    index: SearchIndex = field(default_factory=SearchIndex)
    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)
    loaded: bool = False  # read from a valid file

    def update_metadata(self, article: Article) -> None:
        """Re-index an article's metadata (after a bookmark, tag or read change)."""
        self.index.update_metadata(article)
        old = self.fingerprints.get(article.id)
        if old is not None:
            self.fingerprints[article.id] = (old[0], _meta_print(article))

    def to_bytes(self) -> bytes:
        """The file's bytes."""
        ids = list(self.fingerprints)
        head = orjson.dumps({"ids": ids, "fps": [self.fingerprints[i] for i in ids]})
        return b"".join((_MAGIC, _HEAD.pack(_VERSION, len(head)), head, self.index.to_bytes()))

    @classmethod
    def from_bytes(cls, data: bytes) -> CachedIndex:
        """Read a file written by ``to_bytes``. Raises ``ValueError`` when damaged."""
        try:
            if data[: len(_MAGIC)] != _MAGIC:
                raise ValueError("not a reader index file")
            pos = len(_MAGIC)
            version, head_len = _HEAD.unpack_from(data, pos)
            if version != _VERSION:
                raise ValueError("reader index file of another version")
            pos += _HEAD.size
            head: Any = orjson.loads(data[pos : pos + head_len])
            ids, prints = head["ids"], head["fps"]
            if len(ids) != len(prints):
                raise ValueError("reader index file header is damaged")
            fingerprints = {
                str(i): (str(p[0]), str(p[1])) for i, p in zip(ids, prints, strict=True)
            }
            index = SearchIndex.from_bytes(memoryview(data)[pos + head_len :])
        except ValueError:
            raise
        except Exception as exc:
            raise ValueError(f"reader index file is damaged: {exc}") from exc
        # Keep the two in step: an id known to one side only is dropped from both.
        for article_id in [i for i in index.ids() if i not in fingerprints]:
            index.remove(article_id)
        for article_id in [i for i in fingerprints if i not in index]:
            del fingerprints[article_id]
        return cls(index, fingerprints, loaded=True)


def load(path: Path) -> CachedIndex | None:
    """The index saved at ``path``, or None when it is absent, damaged or foreign."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return CachedIndex.from_bytes(data)
    except (ValueError, MemoryError, RecursionError):
        return None


def save(cached: CachedIndex, path: Path) -> bool:
    """Write the index to ``path`` atomically; False (and nothing raised) when it failed."""
    try:
        atomic_write_bytes(path, cached.to_bytes())
    except (OSError, ValueError):
        return False
    return True


def sync(
    cached: CachedIndex,
    articles: Mapping[str, Article],
    body: Callable[[str], str | None],
    *,
    only: Collection[str] | None = None,
    budget: float | None = None,
    tokens: Mapping[str, KnownTokens] | None = None,
) -> SyncStats:
    """Bring ``cached`` up to date with ``articles`` (the library's id -> metadata).

    Removed articles are dropped and metadata changes applied at once. Articles that are
    new or whose body changed are indexed from ``body(id)``, unless they are not in
    ``only`` (when given) or ``budget`` seconds have passed: those are left out of the
    index for now (``SearchIndex.search`` then matches them on their metadata) and are
    indexed by a later ``sync``.

    ``tokens`` (id -> (content hash, body tokens)) are bodies' words already known (an
    import computed them while parsing): an article whose ``content_hash`` is the one
    given is indexed from them, exactly as from its body, without reading the body.
    """
    stats = SyncStats()
    index, prints = cached.index, cached.fingerprints
    gone = [i for i in prints if i not in articles]
    gone += [i for i in index.ids() if i not in articles and i not in prints]
    if len(gone) > max(64, len(articles)):  # mostly another library's: start afresh
        cached.index, cached.fingerprints = SearchIndex(), {}
        index, prints = cached.index, cached.fingerprints
        stats.removed = len(gone)
    else:
        for article_id in gone:
            index.remove(article_id)
            prints.pop(article_id, None)
            stats.removed += 1
    deadline = None if budget is None else time.monotonic() + budget
    for article_id, article in articles.items():
        want_body = _body_print(article)
        have = prints.get(article_id)
        if have is not None and have[0] == want_body:
            want_meta = _meta_print(article)
            if have[1] != want_meta:
                index.update_metadata(article)
                prints[article_id] = (have[0], want_meta)
                stats.updated += 1
            continue
        allowed = only is None or article_id in only
        if not allowed or (deadline is not None and time.monotonic() > deadline):
            if have is not None:  # its indexed body is out of date: forget it for now
                index.remove(article_id)
                del prints[article_id]
            stats.pending += 1
            continue
        known = tokens.get(article_id) if tokens is not None and want_body else None
        if known is not None and known[0] == want_body:
            index.add(article, body_tokens=known[1])
            got = want_body
        else:
            text = body(article_id) if want_body else None
            index.add(article, text)
            got = want_body if (text is not None or not want_body) else MISSING_BODY
        prints[article_id] = (got, _meta_print(article))
        stats.indexed += 1
    return stats


def load_or_build(
    library: Library,
    *,
    articles: Mapping[str, Article] | None = None,
    budget: float | None = None,
    only: Collection[str] | None = None,
    write: bool = True,
    tokens: Mapping[str, KnownTokens] | None = None,
) -> CachedIndex:
    """The library's index: loaded from its file, caught up (``sync``, which may take
    ``tokens``) with ``articles`` (default: the library's), and saved back when bodies
    were indexed or removed (when ``write``). Never raises for a bad or unwritable file."""
    path = index_path(library.path)
    cached = load(path) or CachedIndex()
    if articles is None:
        articles = library.article_map()
    stats = sync(cached, articles, library.body, only=only, budget=budget, tokens=tokens)
    if write and (stats.worth_saving(len(articles)) or not cached.loaded):
        save(cached, path)
    return cached


class ImportIndexer:
    """Indexes the articles an import stores as it stores them, from body words found
    elsewhere (the import's workers), so the index work overlaps the parsing; ``finish``
    catches the index up with the library (``sync`` with ``only`` the added ids, which
    are up to date by then) and saves it. An import of fewer ``files`` than
    ``rewrite_threshold`` does nothing here. Index trouble never raises from here."""

    def __init__(self, library: Library, files: int) -> None:
        self.library = library
        self.path = index_path(library.path)
        self.cached: CachedIndex | None = None  # loaded at the first ``add``
        self.added: set[str] = set()
        # Fewer files than this: the file is left to the next reader (see the module doc).
        self.active = files >= rewrite_threshold(len(library))

    def add(self, article: Article, words: Collection[str]) -> None:
        """Index a just-stored article whose body's ``unique_tokens`` are ``words``."""
        if not self.active:
            return
        if self.cached is None:
            self.cached = load(self.path) or CachedIndex()
        self.cached.index.add(article, body_tokens=words)
        self.cached.fingerprints[article.id] = fingerprint(article)
        self.added.add(article.id)

    def finish(self) -> None:
        """Catch up with the library (another process may have changed it) and save."""
        if self.cached is None:
            return
        with contextlib.suppress(OSError, ValueError, ReaderError):
            sync(self.cached, self.library.article_map(), self.library.body, only=self.added)
            save(self.cached, self.path)
