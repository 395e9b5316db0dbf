"""The store: the library file (TinyDB), article bodies and backups.

Only this package touches TinyDB. Use ``Library``.
"""

from reader.store.library import SCHEMA_VERSION, AddResult, Library, normalize_url

__all__ = ["SCHEMA_VERSION", "AddResult", "Library", "normalize_url"]
