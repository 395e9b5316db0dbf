"""reader: a terminal reader for saved articles.

The package root owns nothing but the version. The core (store, importers, query,
quotes, export) lives in plain modules and never imports Textual; the TUI lives in
``reader.tui``.
"""

__version__ = "0.1.0"
