"""Files written so that a crash leaves the old version or the new, never a mix.

Owns ``atomic_write_bytes`` (one file), ``AtomicWrites`` (many files made durable together),
``file_signature`` (a file version's identity, to notice another process's change),
``shared_file_mode`` (permission bits for a file shared with other tools) and
``remove_stale_temp_files``. Any package may use it: exports, the search index cache and the
start snapshot write through it, as the store does.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

FileSignature = tuple[int, ...]


def file_signature(path: Path) -> FileSignature | None:
    """Identity of the file's current version, or None if it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def shared_file_mode(path: Path) -> int:
    """The permission bits for a file the user shares with other tools (an export): the
    existing file's, else ``0o644``. (Library files keep the private ``0o600``.)"""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    The file gets ``mode`` when given, else the temporary file's private ``0o600``. An
    ``OSError`` (disk full, read-only, ...) names ``path``, not the temporary file, and
    leaves no temporary file behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise naming(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise naming(exc, path) from None
        raise
    fsync_folder(path.parent)


def naming(exc: OSError, path: Path) -> OSError:
    """``exc`` as an error about ``path`` (the file the caller meant to write)."""
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


class AtomicWrites:
    """Many files written so that a crash leaves each one old or new, made durable together.

    ``atomic_write_bytes`` costs two fsyncs per file (the file, then its folder). Here
    each new content goes to a temporary file beside its target; ``commit``
    flushes them all with one ``os.sync``, then renames each into place and syncs each
    folder once. Used as a context manager it commits on success; on an error nothing is
    renamed and the temporary files are removed.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []  # (temporary file, target)

    def add(self, path: Path, data: bytes, *, mode: int | None = None) -> None:
        """Write ``data`` for ``path`` (renamed into place by ``commit``)."""
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            self._pending.append((tmp_name, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if mode is not None:
                os.chmod(tmp_name, mode)
        except OSError as exc:
            raise naming(exc, path) from None

    def commit(self) -> None:
        """Make every added file durable, then put each in place."""
        if not self._pending:
            return
        if hasattr(os, "sync"):
            os.sync()
        else:  # (Windows) one fsync per file
            for tmp_name, _ in self._pending:
                with open(tmp_name, "rb+") as handle:
                    os.fsync(handle.fileno())
        folders: dict[Path, None] = {}
        done = 0
        try:
            for tmp_name, path in self._pending:
                os.replace(tmp_name, path)
                folders[path.parent] = None
                done += 1
        finally:
            del self._pending[:done]
        for folder in folders:
            fsync_folder(folder)

    def discard(self) -> None:
        """Remove the temporary files not yet in place."""
        for tmp_name, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        self._pending.clear()

    def __enter__(self) -> AtomicWrites:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            try:
                self.commit()
            finally:
                self.discard()
        else:
            self.discard()


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
