"""Article bodies: one Markdown file per article, kept apart from the metadata.

Bodies live in ``<library stem>.bodies/<id>.md`` beside the library file, so that the
metadata document stays small (toggling a bookmark rewrites kilobytes, not the text of
every article) and a body is read only when its article is opened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from reader.sanitize import clean_text
from reader.store.atomic_files import (
    STALE_TEMP_SECONDS,
    atomic_write_bytes,
    naming,
    remove_stale_temp_files,
)


class BodyStore:
    """Reads and writes the Markdown bodies of one library."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._folder_made = False

    def path_for(self, article_id: str) -> Path:
        if not article_id.isalnum():
            raise ValueError(f"invalid article id {article_id!r}")
        return self.folder / f"{article_id}.md"

    def write(
        self, article_id: str, markdown: str, *, durable: bool = True, staged: str | None = None
    ) -> None:
        """Write a body atomically. ``durable=False`` skips the fsync: the caller must
        call ``sync()`` before it reports the article stored (one sync for a batch).

        ``staged`` is a file in ``staging_dir()`` that already holds exactly ``markdown``
        (written by an import worker): with ``durable=False`` it is renamed into place,
        which costs the storing process far less than creating the file."""
        path = self.path_for(article_id)
        if staged is not None and not durable:
            try:
                os.replace(staged, path)
            except OSError as exc:
                raise naming(exc, path) from None
            return
        data = markdown.encode("utf-8")
        if durable:
            atomic_write_bytes(path, data)
            return
        if not self._folder_made:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._folder_made = True
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise naming(exc, path) from None

    def staging_dir(self) -> Path:
        """A new, private folder inside the bodies folder (so a rename moves a file from
        it into place) where import workers write the bodies they prepare. The caller
        removes it when the import ends; what is left in it was never stored. Folders and
        temporary files that killed imports left behind (untouched for an hour) go first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._folder_made = True
        cutoff = time.time() - STALE_TEMP_SECONDS
        for old in self.folder.glob(".import-*"):
            with contextlib.suppress(OSError):
                if old.is_dir() and not old.is_symlink() and old.stat().st_mtime < cutoff:
                    shutil.rmtree(old, ignore_errors=True)
        remove_stale_temp_files(self.folder, ".*.tmp")
        return Path(tempfile.mkdtemp(prefix=".import-", dir=self.folder))

    @staticmethod
    def sync() -> None:
        """Make every body written with ``durable=False`` durable (one system-wide sync)."""
        os.sync()

    def read(self, article_id: str) -> str | None:
        """The body, or None when its file is missing or unreadable.

        A body file may have been edited by hand: control characters are dropped on
        every read, so what was written by another tool cannot reach a terminal.
        """
        try:
            raw = self.path_for(article_id).read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return None
        return clean_text(raw)

    def delete(self, article_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(article_id).unlink()
