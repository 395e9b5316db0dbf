"""Filtering a library with the query language: the one entry point the CLI uses.

Owns ``search_library``: parse the query, and answer it with the ``SearchIndex`` kept
beside the library (``reader.search.index_cache``): loaded, caught up with the articles that
changed since it was saved (only their bodies are read), and saved back when it changed.
A metadata-only query (``tag:x is:unread``) needs no index.
"""

from __future__ import annotations

from reader.models import Article
from reader.search.query import matches_metadata, parse_query
from reader.store import Library


def search_library(library: Library, text: str) -> list[Article]:
    """The articles matching the query ``text``, in storage order."""
    query = parse_query(text)
    articles = library.article_map()
    if query.is_empty():
        return list(articles.values())
    if not (query.words or query.phrases or query.not_words):
        return [a for a in articles.values() if matches_metadata(query, a)]
    from reader.search.index_cache import load_or_build

    index = load_or_build(library, articles=articles).index

    def phrase_text(article_id: str) -> str:
        article = articles[article_id]
        return "\n".join([article.title, article.summary or "", library.body(article_id) or ""])

    matched = index.search(query, articles, phrase_text)
    if matched is None:
        return list(articles.values())
    return [a for aid, a in articles.items() if aid in matched]
