"""The errors the core raises on purpose.

Each carries a one-line message fit to show a user as is; the CLI and the TUI print
``str(error)`` and never a traceback for these.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base for every error meant for the user: ``str(err)`` is one clear line."""


class ImportFailed(ReaderError):
    """A file, page or feed could not be imported. Message: ``<source>: <reason>``."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class StoreError(ReaderError):
    """The library file cannot be opened or written (damaged, newer schema, locked)."""


class NotFound(ReaderError):
    """No article or highlight matches the id or prefix given."""


class Ambiguous(ReaderError):
    """An id prefix matches more than one article or highlight."""


class NoLibrary(ReaderError):
    """The library file a command should read does not exist (nothing was created)."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path}: no library there (check --db or READER_DB; `reader add` makes a new library)"
        )


class NothingToExport(ReaderError):
    """An export whose filters match no highlight: nothing is written (not a failure)."""

    def __init__(self) -> None:
        super().__init__("no highlights match: nothing exported")
