"""The orders the article list can be sorted in, shared by the TUI's list and the start
snapshot (which must save the rows in exactly the list's order).

Owns ``sort_key`` and ``in_order``. The sorts are ``reader.config.SORTS``: newest added,
newest published, title, shortest read; ties are broken by id, so an order never depends
on the order articles happen to be stored in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reader.models import Article

NEWEST_FIRST = ("added", "published")


def sort_key(sort: str) -> Callable[[Article], Any]:
    """The key of ``sort`` (``added`` for an unknown name)."""
    if sort == "published":
        return lambda a: (a.published or a.added or "", a.id)
    if sort == "title":
        return lambda a: (a.title.casefold(), a.id)
    if sort == "reading":
        return lambda a: (a.reading_minutes, a.title.casefold(), a.id)
    return lambda a: (a.added or "", a.id)


def in_order(articles: Iterable[Article], sort: str) -> list[Article]:
    """``articles`` sorted as the list shows them with ``sort``."""
    return sorted(articles, key=sort_key(sort), reverse=sort in NEWEST_FIRST)
