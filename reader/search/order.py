"""The orders the article list can be sorted in: the one owner of the sort keys, used by
the TUI's list, ``reader list --sort`` and the start snapshot (which must save the rows
in exactly the list's order).

Owns ``SORT_LABELS``, ``sort_key``, ``in_order``, ``ids_in_order`` (the same order over
stored records, for the start snapshot made without building the articles) and
``start_sort``. The sorts are ``reader.settings.config.SORTS``: newest added, newest published,
title, shortest read. Dates are compared as instants (``reader.timestamps.instant``), so
``+05:30`` and ``Z`` dates interleave rightly. "Newest published" puts undated articles
last (newest added first among them). Ties are broken by the added instant, then by id,
so an order never depends on the order articles happen to be stored in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from reader.models import Article
from reader.settings.config import SORTS
from reader.timestamps import instant

NEWEST_FIRST = ("added", "published")

SORT_LABELS = {
    "added": "newest added",
    "published": "newest published",
    "title": "title",
    "reading": "shortest read",
}
"""How the app names each sort (header, notifications)."""


def _added_key(added: str | None, article_id: str) -> tuple[float, str]:
    moment = instant(added)
    return (moment if moment is not None else float("-inf"), article_id)


def _published_key(
    published: str | None, added: str | None, article_id: str
) -> tuple[bool, float, float, str]:
    """Dated articles by their instant, then undated ones (last when newest first)."""
    moment = instant(published)
    return (moment is not None, moment or 0.0, *_added_key(added, article_id))


def sort_key(sort: str) -> Callable[[Article], Any]:
    """The key of ``sort`` (``added`` for an unknown name)."""
    if sort == "published":
        return lambda a: _published_key(a.published, a.added, a.id)
    if sort == "title":
        return lambda a: (a.title.casefold(), a.id)
    if sort == "reading":
        return lambda a: (a.reading_minutes, a.title.casefold(), a.id)
    return lambda a: _added_key(a.added, a.id)


def in_order(articles: Iterable[Article], sort: str) -> list[Article]:
    """``articles`` sorted as the list shows them with ``sort``."""
    return sorted(articles, key=sort_key(sort), reverse=sort in NEWEST_FIRST)


def _utc_stamps(records: dict[str, dict[str, Any]]) -> list[str] | None:
    """Every record's ``added``, when all are UTC times written alike (as the library
    writes them: ``2026-01-31T09:30:00Z``, one length): such strings sort as their
    instants do. None when any is not."""
    stamps = [d.get("added") for d in records.values()]
    first = stamps[0] if stamps else None
    if type(first) is not str:
        return None
    width = len(first)
    if not all(type(s) is str and len(s) == width for s in stamps):
        return None
    checked = cast(list[str], stamps)
    return checked if _UTC_STAMPS.fullmatch("\n".join(checked)) else None


_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"
_UTC_STAMPS = re.compile(rf"(?:{_UTC}\n)*{_UTC}")


def _record_keys(records: dict[str, dict[str, Any]], sort: str) -> list[Any]:
    """``sort_key`` of every stored record (the same key for a well-typed one)."""
    items = records.items()
    if sort == "published":
        return [_published_key(d.get("published"), d.get("added"), i) for i, d in items]
    if sort == "title":
        return [(d["title"].casefold(), i) for i, d in items]
    if sort == "reading":
        return [(d["reading_minutes"], d["title"].casefold(), i) for i, d in items]
    return [_added_key(d.get("added"), i) for i, d in items]


def ids_in_order(records: dict[str, dict[str, Any]], sort: str) -> list[str]:
    """The ids of the stored ``records`` (by id) in the order ``in_order`` puts their
    articles, without building the articles. A record of a wrong shape (a hand-edited
    file) may raise ``KeyError``, ``TypeError`` or ``AttributeError``."""
    reverse = sort in NEWEST_FIRST
    if sort not in ("published", "title", "reading"):
        stamps = _utc_stamps(records)
        if stamps is not None:  # the same order, sooner: one string per record
            width = len(stamps[0])
            joined = list(map(str.__add__, stamps, records))
            joined.sort(reverse=reverse)
            return [key[width:] for key in joined]
    keys = _record_keys(records, sort)
    keys.sort(reverse=reverse)
    return [key[-1] for key in keys]


def start_sort(saved: Any, configured: str) -> str:
    """The order the list starts in: the one the library remembers (``saved``, the
    user's last choice), else the config's, else ``added``."""
    sort = saved or configured
    return sort if sort in SORTS else "added"
