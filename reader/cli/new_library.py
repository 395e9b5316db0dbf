"""A library made by a command that adds (``add``, ``migrate``): kept and announced when
something went in, removed again when nothing did.

``NewLibrary.note(path)`` is taken before the library is opened; at the end
``settle(library)`` gives the message "created a new library at PATH" (said once) or, when
the library is empty, ``None``: then ``discard()`` removes exactly what the command made, so a failed ``reader --db typo add x``
leaves nothing behind. Only names beside the library that did not exist before are
removed; nothing that was there is touched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from reader.store import Library


@dataclass(slots=True)
class NewLibrary:
    """What existed where a new library is about to be made."""

    path: Path
    top_new_folder: Path | None  # the highest folder the library's making will create
    before: frozenset[str]  # names in the library's folder before (when it existed)

    @classmethod
    def note(cls, path: Path) -> NewLibrary:
        path = path.expanduser().absolute()
        top: Path | None = None
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            top = folder
            folder = folder.parent
        before = (
            frozenset() if top is not None else frozenset(p.name for p in path.parent.iterdir())
        )
        return cls(path, top, before)

    def settle(self, library: Library) -> str | None:
        """The message to print when the (open) library holds something, else ``None``:
        call ``discard`` once it is closed."""
        if library.articles() or library.feeds() or library.highlights():
            return f"created a new library at {library.path}"
        return None

    def discard(self) -> None:
        """Remove what making the library made (its files, and any folders above it)."""
        if self.top_new_folder is not None:
            shutil.rmtree(self.top_new_folder, ignore_errors=True)
            return
        stem = self.path.stem
        for entry in self.path.parent.iterdir():
            if entry.name in self.before or not entry.name.startswith(stem):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
