"""Finding and ordering articles: the query language (``query``), the full-text index
(``index``), its file beside the library (``index_cache``), search over a library
(``library_search``) and the list order (``order``, the one owner of sort keys).

May import ``store``, ``text`` and ``settings``; never ``ingest``, ``highlights``, ``cli``, ``tui``.
"""
