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


# What an operating-system error means to a user, by errno (the rest: its strerror).
_CAUSES = {
    "ENOSPC": "disk full",
    "EDQUOT": "disk quota exceeded",
    "EROFS": "read-only file system",
    "EACCES": "permission denied",
    "EPERM": "permission denied",
    "EISDIR": "is a folder, not a file",
    "ENOTDIR": "a part of the path is not a folder",
    "ELOOP": "a loop of symbolic links",
    "ENOENT": "no such file or folder",
    "EIO": "input/output error (a failing disk?)",
    "ENAMETOOLONG": "the name is too long",
    "EMFILE": "too many open files",
    "EFBIG": "file too large for this file system",
}


def describe_os_error(err: OSError, path: object = None) -> str:
    """One line for an operating-system error: ``<file>: <cause>`` (``disk full``,
    ``permission denied``, ...), naming ``path`` when the error names no file."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    cause = _CAUSES.get(name) or (err.strerror or str(err) or type(err).__name__).lower()
    where = err.filename if err.filename is not None else path
    if err.filename2 is not None:
        where = f"{where} -> {err.filename2}"
    return f"{where}: {cause}" if where is not None else cause
