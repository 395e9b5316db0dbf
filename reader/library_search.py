"""Filtering a library with the query language: the one entry point the CLI uses.

Owns ``search_library``: parse the query, filter on metadata, and match words and
phrases against the ``SearchIndex``. The index is built from the articles' bodies the
first time it is needed in a process.
"""

from __future__ import annotations

from reader.models import Article
from reader.query import matches_metadata, parse_query
from reader.store import Library


def search_library(library: Library, text: str) -> list[Article]:
    """The articles matching the query ``text``, in storage order."""
    from reader.search_index import SearchIndex

    query = parse_query(text)
    articles = library.article_map()
    if query.is_empty():
        return list(articles.values())
    candidates = {aid: a for aid, a in articles.items() if matches_metadata(query, a)}
    index = SearchIndex()
    for article in candidates.values():
        index.add(article, library.body(article.id) or "")

    def phrase_text(article_id: str) -> str:
        article = candidates[article_id]
        return "\n".join([article.title, article.summary or "", library.body(article_id) or ""])

    matched = index.search(query, candidates, phrase_text)
    if matched is None:
        return list(candidates.values())
    return [a for aid, a in candidates.items() if aid in matched]
