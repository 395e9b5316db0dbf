"""Rolling backups of the library file, and restoring one.

Backups sit in ``<library stem>.backups/`` beside the library. One is taken before a
schema migration and at most once a day before the first write of that day; the newest
``KEEP`` are kept. A backup is a copy of the main file alone: the library folds its
journal into the main file before taking one. Bodies are not copied: they are only ever added or removed whole,
and a restored library ignores bodies it does not know.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from reader.errors import StoreError
from reader.settings.paths import journal_path_for
from reader.store.atomic_files import atomic_write_bytes
from reader.store.storage import load_json_file

KEEP = 7
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
    for old in list_backups(db_path)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def backup_due(db_path: Path) -> bool:
    """True when no backup was taken in the last day."""
    backups = list_backups(db_path)
    if not backups:
        return True
    return time.time() - backups[0].stat().st_mtime > DAY_SECONDS


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
    try:
        for candidate in candidates:
            try:
                load_json_file(candidate)
            except StoreError:
                if backup:
                    raise
                continue
            kept = before_restore_path(db_path)
            if db_path.exists():
                shutil.copy2(db_path, kept)
            journal = journal_path_for(db_path)
            if journal.exists():
                shutil.copy2(journal, kept.with_name(kept.name + ".journal"))
            atomic_write_bytes(db_path, candidate.read_bytes())
            with contextlib.suppress(FileNotFoundError):
                journal.unlink()  # a crash before this at worst undoes the restore
            return candidate
    finally:
        lock.release()
    raise StoreError(f"{db_path}: no valid backup found in {backup_folder(db_path)}")
