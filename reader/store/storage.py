"""The TinyDB storage class: all data in memory, every write atomic and durable.

TinyDB's own JSONStorage rewrites its file in place (a crash mid-write leaves a broken
file) and parses the whole file on every read. ``AtomicJSONStorage`` instead:

- reads the file once with orjson and serves reads from memory;
- notices when another process replaced the file (inode, size, mtime) and re-reads it;
- writes to a temporary file in the same folder, fsyncs it, and renames it over the old
  one, so the file on disk is always either the old or the new complete version;
- can defer writes inside a batch (``deferred()``), flushing once at the end.

A file that is not valid JSON is never overwritten: opening it raises ``StoreError``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from reader.errors import StoreError

FileSignature = tuple[int, int, int]


def file_signature(path: Path) -> FileSignature | None:
    """Identity of the file's current version, or None if it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


STALE_TEMP_SECONDS = 3600.0


def remove_stale_temp_files(folder: Path, pattern: str) -> int:
    """Delete temporary files matching ``pattern`` in ``folder`` that a killed writer left
    behind (untouched for an hour: no live write takes that long). Returns how many."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = 0
    for tmp in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if tmp.is_file() and not tmp.is_symlink() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
    return removed


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a library file, raising a one-line ``StoreError`` when unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the library ({exc.strerror or exc})") from None


def load_json_file(path: Path) -> dict[str, Any]:
    """Parse a library file, raising a one-line ``StoreError`` when it is damaged."""
    return parse_library_bytes(path, read_file_bytes(path))


def parse_library_bytes(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the bytes of the library file at ``path`` (named in errors)."""
    if not raw.strip():
        raise StoreError(
            f"{path}: the library file is empty or truncated; "
            "restore a backup with `reader restore` (the file was left untouched)"
        )
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreError(
            f"{path}: the library file is damaged (not valid JSON: {exc}); "
            "restore a backup with `reader restore` (the file was left untouched)"
        ) from None
    if not isinstance(data, dict):
        raise StoreError(
            f"{path}: not a reader library (top level is not an object); "
            "restore a backup with `reader restore` (the file was left untouched)"
        )
    for name, table in data.items():
        # Every table is an object of records; anything else would crash TinyDB later.
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise StoreError(
                f"{path}: not a reader library (table {str(name)[:40]!r} is not a set of "
                "records); restore a backup with `reader restore` (the file was left untouched)"
            )
    return data


# What a control, bidi or zero-width character looks like in JSON bytes written by orjson
# (C0 escaped as \u00XX or \b \f \r; DEL, C1 and the rest as raw UTF-8). Text the
# store writes never holds these, so a match means a file edited or made elsewhere.
_SUSPICIOUS = re.compile(
    rb"\\u00[01][0-9a-fA-F]|\\[bfr]|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\x8b-\x8f\xa8-\xae]"
    rb"|\xe2\x81[\xa0\xa6-\xa9]|\xd8\x9c|\xef\xbb\xbf"
)


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the data in memory and writes atomically."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._data: dict[str, Any] | None = None
        self._signature: FileSignature | None = None
        self._defer_depth = 0
        self._dirty = False
        self.generation = 0  # bumps whenever the data changes (here or on disk)
        self.reload_count = 0  # bumps whenever the data was (re)loaded from disk
        self._digest = b""  # of the bytes last read or written
        self.suspicious = False  # the file last read may hold controls (not written by us)

    # -- TinyDB's Storage interface ---------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        if self._defer_depth == 0:
            self.refresh()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.generation += 1
        if self._defer_depth:
            self._dirty = True
            return
        self._flush()

    def close(self) -> None:
        if self._dirty:
            self._flush()

    # -- ours ---------------------------------------------------------------------------
    def refresh(self, *, verify: bool = False) -> bool:
        """Re-read the file if another process replaced it. True if the data changed.

        A replaced file is noticed by its (inode, size, mtime). With ``verify`` (used
        under the write lock, before a read-modify-write) an unchanged signature is not
        trusted: the bytes are compared too, because an inode number can be reused and
        a file system may keep coarse modification times.
        """
        signature = file_signature(self.path)
        if signature == self._signature and self._data is not None:
            if not verify or signature is None:
                return False
            raw = read_file_bytes(self.path)
            if _digest(raw) == self._digest:
                return False
            self._load(raw, file_signature(self.path))
            return True
        if signature is None:
            # No file (yet): a new library, or one deleted under us; the next write
            # creates it again from what is in memory.
            self._signature = None
            return False
        self._load(read_file_bytes(self.path), signature)
        return True

    def _load(self, raw: bytes, signature: FileSignature | None) -> None:
        self._data = parse_library_bytes(self.path, raw)
        self._signature = signature
        self._digest = _digest(raw)
        self.suspicious = _SUSPICIOUS.search(raw) is not None
        self.generation += 1
        self.reload_count += 1

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Collect writes and flush them once when the outermost block ends."""
        if self._defer_depth == 0:
            self.refresh(verify=True)
        self._defer_depth += 1
        try:
            yield
        finally:
            self._defer_depth -= 1
            if self._defer_depth == 0 and self._dirty:
                self._flush()

    def _flush(self) -> None:
        assert self._data is not None
        raw = orjson.dumps(self._data)
        atomic_write_bytes(self.path, raw)
        self._signature = file_signature(self.path)
        self._digest = _digest(raw)
        self._dirty = False
