"""A library's shared state (``shared_file.State``) read from, and written to, the store.

``state_of`` reads the articles (with their change stamps), highlights and feeds, cleaned
by the same loader as a file from another machine, so both sides of a merge are alike.
``store_state`` replaces those tables in one atomic rewrite of the library file; the
settings (theme, sort, last article) are the machine's own and stay as they are.
"""

from __future__ import annotations

from typing import Any

from reader.store import Library
from reader.store.library import STAMPED_FIELDS
from reader.sync.shared_file import State, clean_feed, clean_highlight


def state_of(library: Library) -> State:
    """The shared state of ``library`` (read fresh): its records as the store loaded them
    (cleaned then, if its files held anything unsafe), each checked for its types."""
    articles = library.article_map()
    tables = library.copy_tables(["highlights", "feeds", "stamps"])
    stamps = tables["stamps"]
    shared: dict[str, dict[str, Any]] = {}
    for aid, article in articles.items():
        record = article.to_dict()
        del record["id"]
        changed = stamps.get(aid)
        record["changed"] = (
            {k: v for k, v in sorted(changed.items()) if k in STAMPED_FIELDS and isinstance(v, str)}
            if isinstance(changed, dict)
            else {}
        )
        shared[aid] = record
    return {
        "articles": shared,
        "highlights": {
            k: clean_highlight(k, v, suspicious=False) for k, v in tables["highlights"].items()
        },
        "feeds": {k: clean_feed(k, v, suspicious=False) for k, v in tables["feeds"].items()},
    }


def store_state(library: Library, state: State) -> None:
    """Make ``state`` the library's articles, highlights and feeds (bodies: the caller's)."""
    articles: dict[str, dict[str, Any]] = {}
    stamps: dict[str, dict[str, Any]] = {}
    for aid, doc in state["articles"].items():
        record = {k: v for k, v in doc.items() if k != "changed"}
        articles[aid] = record
        if doc.get("changed"):
            stamps[aid] = dict(doc["changed"])
    library.replace_tables(
        {
            "articles": articles,
            "stamps": stamps,
            "highlights": state["highlights"],
            "feeds": state["feeds"],
        }
    )
