"""Highlights: keeping them (``service``: add, match to the text, import) and writing them
out (``export``: Markdown, Obsidian, JSON, Readwise CSV).

May import ``store``, ``text`` and ``quotes``; never ``ingest``, ``cli`` or ``tui``.
"""
