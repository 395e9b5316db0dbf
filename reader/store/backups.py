"""Rolling backups of the library file, and restoring one.

Backups sit in ``<library stem>.backups/`` beside the library. One is taken before a
schema migration and before a write when the newest is an hour old or the library has
more than doubled since (``backup_due``), so the newest is never far behind; the newest ``KEEP_RECENT`` are kept, and the newest of each of
the last ``KEEP_DAYS`` days. A restore copies files whole or not at all. A backup is a copy of the main file alone: the library folds its
journal into the main file before taking one. Bodies are not copied: they are only ever added or removed whole,
and a restored library ignores bodies it does not know.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import StoreError, describe_os_error
from reader.settings.paths import journal_path_for
from reader.store.atomic_files import atomic_write_bytes
from reader.store.storage import load_json_file

KEEP_RECENT = 6
KEEP_DAYS = 7
BACKUP_EVERY = 3600.0  # seconds: a write takes a backup when the newest is older ...
GROWTH_BYTES = 64 * 1024  # ... or the library grew past twice its size plus this
LOCK_TIMEOUT_SECONDS = 30.0
DAY_SECONDS = 24 * 3600


def backup_folder(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".backups")


def list_backups(db_path: Path) -> list[Path]:
    """Backups, newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.json"), reverse=True)


def take_backup(db_path: Path, reason: str = "daily") -> Path | None:
    """Copy the library file into the backup folder; prune old ones. None if no file."""
    if not db_path.exists():
        return None
    folder = backup_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.json"
    atomic_write_bytes(target, db_path.read_bytes())
    for old in _pruned(list_backups(db_path)):
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _pruned(backups: list[Path]) -> list[Path]:
    """The backups (newest first) to delete: all but the newest ``KEEP_RECENT`` and the
    newest of each of the ``KEEP_DAYS`` most recent days (the day is in the name)."""
    days: set[str] = set()
    gone = []
    for index, backup in enumerate(backups):
        day = backup.name[len(backup.name.split("-")[0]) + 1 :][:8]
        if index < KEEP_RECENT or (day not in days and len(days) < KEEP_DAYS):
            days.add(day)
            continue
        gone.append(backup)
    return gone


def backup_due(db_path: Path) -> bool:
    """True when the newest backup is older than ``BACKUP_EVERY`` seconds, or the library
    (file and journal) has grown to over twice its size plus 64 KB since: a day's work
    is never only in a backup of the day's start."""
    backups = list_backups(db_path)
    if not backups:
        return True
    try:
        newest = backups[0].stat()
        if time.time() - newest.st_mtime > BACKUP_EVERY:
            return True
        size = db_path.stat().st_size
        with contextlib.suppress(FileNotFoundError):
            size += journal_path_for(db_path).stat().st_size
    except OSError:
        return True
    return size > 2 * newest.st_size + GROWTH_BYTES


def before_restore_path(db_path: Path) -> Path:
    """Where the current file is kept by a restore: ``<name>.before-restore``, or
    ``<name>.before-restore-2`` (3, ...) when an earlier restore already kept one."""
    path = db_path.with_name(db_path.name + ".before-restore")
    number = 2
    while path.exists():
        path = db_path.with_name(f"{db_path.name}.before-restore-{number}")
        number += 1
    return path


def restore_backup(db_path: Path, backup: Path | None = None) -> Path:
    """Put a backup (default: the newest valid one) in place of the library file.

    The current file, damaged or not, is kept beside it as ``<name>.before-restore``
    (never overwriting one kept by an earlier restore), and its journal, if any, as
    ``<name>.before-restore.journal``: the restored file must not replay it. Holds the
    library's file lock, so a running reader cannot write over the restored file half-way.
    """
    candidates = [backup] if backup else list_backups(db_path)
    from filelock import FileLock, Timeout  # only a restore needs it: keep start-up light

    lock = FileLock(str(db_path) + ".lock", timeout=LOCK_TIMEOUT_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"{db_path}: locked by another reader process; try again") from None
    except OSError as exc:
        cause = describe_os_error(exc).split(": ")[-1]
        raise StoreError(f"{lock.lock_file}: cannot lock the library ({cause})") from None
    try:
        for candidate in candidates:
            try:
                load_json_file(candidate)
            except StoreError:
                if backup:
                    raise
                continue
            made: list[Path] = []  # copies of the current files, removed if it fails
            try:
                kept = before_restore_path(db_path)
                if db_path.exists():
                    atomic_write_bytes(kept, db_path.read_bytes())
                    made.append(kept)
                journal = journal_path_for(db_path)
                if journal.exists():
                    kept_journal = kept.with_name(kept.name + ".journal")
                    atomic_write_bytes(kept_journal, journal.read_bytes())
                    made.append(kept_journal)
                atomic_write_bytes(db_path, candidate.read_bytes())
            except BaseException:
                for copy in made:
                    with contextlib.suppress(OSError):
                        copy.unlink()
                raise
            with contextlib.suppress(FileNotFoundError):
                journal.unlink()  # a crash before this at worst undoes the restore
            return candidate
    finally:
        lock.release()
    raise StoreError(f"{db_path}: no valid backup found in {backup_folder(db_path)}")
