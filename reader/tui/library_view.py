"""The list pane's model: the library's articles, filtered by the query and sorted.

Owns ``LibraryView``, an in-memory view over a ``Library``: it keeps every article's
metadata, the current sort and the current query text, and answers ``rows`` (the visible
articles in order). Full-text terms of a query go through a ``SearchIndex`` built lazily the
first time a query needs it (so opening a 10,000-article library never reads every body).
No Textual here: the view is plain Python and can be tested without a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reader.models import Article
from reader.query import matches_metadata, parse_query
from reader.search_index import SearchIndex
from reader.store import Library

SORTS: tuple[str, ...] = ("added", "published", "title", "reading")
"""The sort orders, in the order ``s`` cycles them."""

SORT_LABELS = {
    "added": "newest added",
    "published": "newest published",
    "title": "title",
    "reading": "shortest read",
}

_TAG_TERM = re.compile(r"(?:^|\s)-?tag:(?:\"[^\"]*\"|\S+)")


def _sort_key(sort: str) -> Callable[[Article], Any]:
    if sort == "published":
        return lambda a: (a.published or a.added or "", a.id)
    if sort == "title":
        return lambda a: (a.title.casefold(), a.id)
    if sort == "reading":
        return lambda a: (a.reading_minutes, a.title.casefold(), a.id)
    return lambda a: (a.added or "", a.id)


def replace_tag_terms(query_text: str, tags: list[str]) -> str:
    """``query_text`` with its ``tag:`` terms replaced by one ``tag:`` term per tag."""
    rest = _TAG_TERM.sub(" ", query_text).split()
    terms = [f'tag:"{t}"' if " " in t else f"tag:{t}" for t in tags]
    return " ".join([*rest, *terms])


def tag_terms(query_text: str) -> list[str]:
    """The tags named by ``tag:`` terms (not ``-tag:``) in ``query_text``."""
    found = []
    for match in _TAG_TERM.finditer(query_text):
        term = match.group(0).strip()
        if term.startswith("tag:"):
            found.append(term[4:].strip('"'))
    return found


class LibraryView:
    """Sorted, filtered articles of one library. Call ``reload()`` after outside changes."""

    def __init__(self, library: Library, sort: str = "added") -> None:
        self.library = library
        self.sort = sort if sort in SORTS else "added"
        self.query_text = ""
        self._articles: dict[str, Article] = {}
        self._index: SearchIndex | None = None
        self._generation = -1
        self.rows: list[Article] = []
        self._sorted: list[Article] = []
        self.reload()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every article's metadata from the library and recompute the rows."""
        self._articles = {a.id: a for a in self.library.articles()}
        self._generation = self.library.generation
        self._index = None  # rebuilt on next need
        self._resort()

    def refresh(self) -> bool:
        """Re-read the library file; reload and return True when it changed."""
        self.library.refresh()
        if self.library.generation == self._generation:
            return False
        self.reload()
        return True

    def note_changed(self, article: Article) -> None:
        """Take an article changed through the library (bookmark, tags, read...)."""
        self._articles[article.id] = article
        self._generation = self.library.generation
        if self._index is not None:
            self._index.update_metadata(article)
        self._resort()

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
        self._resort()

    def cycle_sort(self) -> str:
        """Move to the next sort order; returns it."""
        self.set_sort(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])
        return self.sort

    def set_query(self, text: str) -> None:
        """Filter by a query in the query language (empty shows everything)."""
        self.query_text = text.strip()
        self._recompute()

    def describe(self) -> str:
        """The active filter, normalized (``tag:x is:unread word``), or '' when none."""
        if not self.query_text:
            return ""
        return parse_query(self.query_text).describe() or ""

    def build_index(self) -> None:
        """Build the full-text index now (safe to call from a worker thread: the index is
        swapped in only when complete, and dropped if the library was reloaded meanwhile)."""
        articles = self._articles
        index = SearchIndex()
        for article in list(articles.values()):
            index.add(article, self.library.body(article.id) or "")
        if self._articles is articles and self._index is None:
            self._index = index

    def _ensure_index(self) -> SearchIndex:
        if self._index is None:
            self.build_index()
        assert self._index is not None
        return self._index

    def _phrase_text(self, article_id: str) -> str:
        article = self._articles[article_id]
        body = self.library.body(article_id) or ""
        return "\n".join([article.title, article.summary or "", body])

    def _filtered(self, articles: list[Article]) -> list[Article]:
        query = parse_query(self.query_text)
        if query.is_empty():
            return articles
        found = [a for a in articles if matches_metadata(query, a)]
        if not (query.words or query.phrases or query.not_words):
            return found
        ids = self._ensure_index().search(query, {a.id: a for a in found}, self._phrase_text)
        if ids is None:
            return found
        return [a for a in found if a.id in ids]

    def _resort(self) -> None:
        self._sorted = sorted(
            self._articles.values(),
            key=_sort_key(self.sort),
            reverse=self.sort in ("added", "published"),
        )
        self._recompute()

    def _recompute(self) -> None:
        self.rows = self._filtered(self._sorted)
