"""The list pane's model: the library's articles, filtered by the query and sorted.

Owns ``LibraryView``, an in-memory view over a ``Library``: it keeps every article's
metadata, the current sort and the current query text, and answers ``rows`` (the visible
articles in order). Full-text terms of a query go through the ``SearchIndex`` kept beside
the library (``reader.search.index_cache``): ``build_index`` (run by the app in a worker thread at
start) loads it and indexes only the articles that changed since it was saved; a query that
needs it before then loads it on the spot. Until the index is ready, metadata-only queries
(``tag:``, ``is:``...) are answered from the articles' fields.

Per keystroke the work is: parse the query, one index lookup (bitsets), one pass over the
sorted articles. Sorted orders are cached per sort key; a change that keeps an article's
place (bookmark, tags, read) replaces it in place instead of sorting again.
No Textual here: the view is plain Python and can be tested without a terminal.
"""

from __future__ import annotations

import gc
import re
import threading
from typing import Any

from reader.models import Article
from reader.search import index_cache
from reader.search.index import SearchIndex
from reader.search.index_cache import CachedIndex
from reader.search.order import in_order, sort_key
from reader.search.query import Query, matches_metadata, parse_query
from reader.settings.config import SORTS
from reader.store import Library

_TAG_VALUE = r'(?:"[^"]*"|[^\s",]+)'
_TAG_TERM = re.compile(rf"(?:^|\s)-?tag:{_TAG_VALUE}(?:,{_TAG_VALUE})*,?")


def _quoted_tag(tag: str) -> str:
    return f'"{tag}"' if " " in tag or "," in tag else tag


def replace_tag_terms(query_text: str, tags: list[str], *, any_of: bool = False) -> str:
    """``query_text`` with its ``tag:`` terms replaced by the ``tags``: one ``tag:`` term
    per tag (articles with all of them), or with ``any_of`` one ``tag:a,b`` term (articles
    with any of them)."""
    rest = _TAG_TERM.sub(" ", query_text).split()
    if any_of and len(tags) > 1:
        terms = ["tag:" + ",".join(_quoted_tag(t) for t in tags)]
    else:
        terms = [f"tag:{_quoted_tag(t)}" for t in tags]
    return " ".join([*rest, *terms])


def _positive_tag_terms(query_text: str) -> list[list[str]]:
    """The tags of each ``tag:`` term (not ``-tag:``) of ``query_text``, term by term."""
    found = []
    for match in _TAG_TERM.finditer(query_text):
        term = match.group(0).strip()
        if term.startswith("tag:"):
            found.append([v.strip('"') for v in re.findall(_TAG_VALUE, term[4:])])
    return found


def tag_terms(query_text: str) -> list[str]:
    """The tags named by ``tag:`` terms (not ``-tag:``) in ``query_text``."""
    return [tag for term in _positive_tag_terms(query_text) for tag in term]


def tags_any_of(query_text: str) -> bool:
    """Whether the query's tags are one ``tag:a,b`` term (any of them), not ``tag:a tag:b``
    (all of them)."""
    terms = _positive_tag_terms(query_text)
    return len(terms) == 1 and len(terms[0]) > 1


class LibraryView:
    """Sorted, filtered articles of one library. Call ``reload()`` after outside changes.

    Thread use: ``build_index`` may run in a worker thread; everything else runs on the UI
    thread. The index is swapped in (under a lock) only when complete.
    """

    def __init__(self, library: Library, sort: str = "added") -> None:
        self.library = library
        self.sort = sort if sort in SORTS else "added"
        self.query_text = ""
        self._articles: dict[str, Article] = {}
        self._cached: CachedIndex | None = None  # the index, in step with _articles
        self._stale: CachedIndex | None = None  # an earlier index, to catch up (reload)
        self._noted: dict[str, Article] = {}  # changes noted while the index was building
        self._lock = threading.Lock()  # guards _cached, _stale and _noted
        self._build_lock = threading.Lock()  # one build at a time
        self._generation = -1
        self._orders: dict[str, list[Article]] = {}  # sort -> every article in that order
        self._query: Query = parse_query("")
        self._slots: tuple[list[Article], SearchIndex, int, Any] | None = None
        self.rows: list[Article] = []
        self.reload()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every article's metadata from the library and recompute the rows."""
        self._articles = {a.id: a for a in self.library.articles()}
        self._generation = self.library.generation
        with self._lock:
            if self._cached is not None:
                self._stale = self._cached  # caught up by the next build_index
            self._cached = None
            self._noted.clear()
        self._orders.clear()
        self._recompute()

    def refresh(self) -> bool:
        """Re-read the library file; reload and return True when it changed."""
        self.library.refresh()
        if self.library.generation == self._generation:
            return False
        self.reload()
        return True

    def note_changed(self, article: Article) -> bool:
        """Take an article changed through the library (bookmark, tags, read...). True
        when the rows are still the same articles in the same order (only this article's
        fields changed), so the list need only redraw its row."""
        before = self.rows
        old = self._articles.get(article.id)
        self._articles[article.id] = article
        if len(self.library) == len(self._articles):
            # Our own write: nothing else to reload. (When the write also picked up
            # articles added or removed elsewhere, keep the old generation: ``refresh``
            # then reloads.)
            self._generation = self.library.generation
        with self._lock:
            if self._cached is not None:
                self._cached.update_metadata(article)
            else:
                self._noted[article.id] = article
        kept_place = old is not None
        if old is None:
            self._orders.clear()
        else:
            for sort, order in list(self._orders.items()):
                key = sort_key(sort)
                if key(old) != key(article) or not _replace(order, article):
                    del self._orders[sort]  # its place changed: sort again when needed
                    kept_place = kept_place and sort != self.sort
        self._recompute()
        if not kept_place:
            return False
        if self.rows is before:  # no filter: the order itself, changed in place
            return True
        return len(before) == len(self.rows) and all(
            a.id == b.id for a, b in zip(before, self.rows, strict=True)
        )

    # -- sorting and filtering --------------------------------------------------------------
    @property
    def total(self) -> int:
        """How many articles the library holds."""
        return len(self._articles)

    def get(self, article_id: str) -> Article | None:
        """The article with this id, filtered out or not."""
        return self._articles.get(article_id)

    def index_of(self, article_id: str | None) -> int | None:
        """The row of an article, or None when it is not shown."""
        if article_id is None:
            return None
        for row, article in enumerate(self.rows):
            if article.id == article_id:
                return row
        return None

    def set_sort(self, sort: str) -> None:
        """Sort by ``sort`` (one of ``SORTS``)."""
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        self.sort = sort
        self._recompute()

    def cycle_sort(self) -> str:
        """Move to the next sort order; returns it."""
        self.set_sort(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])
        return self.sort

    def set_query(self, text: str) -> None:
        """Filter by a query in the query language (empty shows everything)."""
        text = text.strip()
        if text == self.query_text:
            return
        self.query_text = text
        self._query = parse_query(text)
        self._recompute()

    @property
    def problem(self) -> str | None:
        """What is wrong with the query (unknown operators), in one line, or ``None``."""
        return self._query.problem()

    def describe(self) -> str:
        """The active filter, normalized (``tag:x is:unread word``), or '' when none."""
        if not self.query_text:
            return ""
        return self._query.describe() or ""

    @property
    def index_ready(self) -> bool:
        """True once the full-text index is loaded and caught up."""
        return self._cached is not None

    def build_index(self) -> None:
        """Load the full-text index from its file beside the library, catch it up with the
        articles that changed, and save it when bodies were (re)indexed. Safe to call from
        a worker thread: the index is swapped in only when complete, and dropped if the
        library was reloaded meanwhile. Calling it again while it runs waits for it."""
        with self._build_lock:
            articles = self._articles
            with self._lock:
                if self._cached is not None:
                    return
                stale, self._stale = self._stale, None
            snapshot = dict(articles)  # the UI thread may change ``articles`` meanwhile
            if stale is not None:
                stats = index_cache.sync(stale, snapshot, self.library.body)
                if stats.worth_saving(len(snapshot)):
                    index_cache.save(stale, index_cache.index_path(self.library.path))
                cached = stale
            else:
                cached = index_cache.load_or_build(self.library, articles=snapshot)
            with self._lock:
                if self._articles is not articles:
                    self._stale = cached  # reloaded meanwhile: the next build catches up
                    return
                for article in self._noted.values():  # changed while we were building
                    cached.update_metadata(article)
                self._noted.clear()
                self._cached = cached
            order = self._orders.get(self.sort)
            if order is not None:  # made here, not at the first keystroke
                self._slot_table(cached.index, order)
            # The index is millions of long-lived objects: out of the cyclic collector's
            # sight from now on, or each of its full collections walks them all (a visible
            # stall on whatever key it lands).
            gc.freeze()

    def _ensure_index(self) -> SearchIndex:
        if self._cached is None:
            self.build_index()
        if self._cached is None:  # reloaded while building: try once more
            self.build_index()
        assert self._cached is not None
        return self._cached.index

    def _phrase_text(self, article_id: str) -> str:
        article = self._articles[article_id]
        body = self.library.body(article_id) or ""
        return "\n".join([article.title, article.summary or "", body])

    def ordered(self) -> list[Article]:
        """Every article in the sort order, filtered out or not (do not change it)."""
        return self._order()

    def _order(self) -> list[Article]:
        order = self._orders.get(self.sort)
        if order is None:
            order = in_order(self._articles.values(), self.sort)
            self._orders[self.sort] = order
        return order

    def _filtered(self, articles: list[Article]) -> list[Article]:
        query = self._query
        if query.is_empty():
            return articles
        needs_text = bool(query.words or query.phrases or query.not_words)
        cached = self._cached
        if cached is None and not needs_text:
            return [a for a in articles if matches_metadata(query, a)]
        index = cached.index if cached is not None else self._ensure_index()
        # The index answers metadata terms too (bitsets); articles it lacks are matched on
        # their metadata fields by ``select``.
        return index.select(query, articles, self._slot_table(index, articles), self._phrase_text)

    def _slot_table(self, index: SearchIndex, articles: list[Article]) -> Any:
        """The index slot of each article of ``articles`` (kept while both stay the same)."""
        known = self._slots
        if (
            known is not None
            and known[0] is articles
            and known[1] is index
            and known[2] == index.version
        ):
            return known[3]
        version = index.version  # read first: a change while the table is made voids it
        table = index.slot_table([a.id for a in articles])
        self._slots = (articles, index, version, table)
        return table

    def _resort(self) -> None:
        self._orders.clear()
        self._recompute()

    def _recompute(self) -> None:
        self.rows = self._filtered(self._order())


def _replace(order: list[Article], article: Article) -> bool:
    """Put ``article`` in place of the article with its id in ``order``; False if absent."""
    article_id = article.id
    for i, shown in enumerate(order):
        if shown.id == article_id:
            order[i] = article
            return True
    return False
