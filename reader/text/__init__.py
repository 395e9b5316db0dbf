"""Article text as data: the Markdown document model (``document``), the article head and
its digest (``article_head``), search tokens (``tokens``), passage matching for highlights
(``passages``) and terminal cell widths (``cells``).

Pure functions over strings: imports only ``models`` and ``sanitize``; no I/O, no Rich.
"""
