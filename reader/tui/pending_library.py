"""Stand-ins for the library and its view while the app draws its first screen from a
start snapshot (``reader.startup.snapshot``).

Owns ``PendingLibrary`` (what ``reader.launch`` hands the app: the library's path and its
snapshot), and ``SnapshotLibrary`` / ``SnapshotView``, which answer the few questions the
first screen asks (settings, the rows, the shown article, its body and highlights) from the
snapshot. Anything else they are asked first opens the real library (``load``) and then
answers from it, so a code path that was not foreseen is slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.models import Article, Highlight
from reader.settings.paths import bodies_folder_for
from reader.startup.snapshot import SnapshotRows, StartSnapshot
from reader.store.bodies import BodyStore

if TYPE_CHECKING:
    from reader.store import Library
    from reader.tui.library_view import LibraryView

Loader = Callable[[], "tuple[Library, LibraryView]"]


@dataclass(slots=True)
class PendingLibrary:
    """A library to open once the first screen is drawn from its snapshot."""

    path: Path
    snapshot: StartSnapshot

    def open(self) -> Library:
        """The real library (may raise ``ReaderError`` like ``Library(path)``)."""
        from reader.store import Library

        return Library(self.path)


class SnapshotLibrary:
    """The library as the snapshot knows it: settings, bodies and the cursor article's
    highlights. Everything else opens the real library first."""

    def __init__(self, pending: PendingLibrary, load: Loader) -> None:
        self.path = pending.path
        self._snapshot = pending.snapshot
        self._bodies = BodyStore(bodies_folder_for(pending.path))
        self._load = load

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting as it was when the snapshot was taken."""
        return self._snapshot.settings.get(key, default)

    def body(self, article_id: str) -> str | None:
        """The article's Markdown body (bodies are files of their own: read as usual)."""
        return self._bodies.read(article_id)

    def highlights(self, article_id: str | None = None) -> list[Highlight]:
        """The cursor article's highlights; any other question opens the library."""
        if article_id is not None and article_id == self._snapshot.cursor:
            return list(self._snapshot.highlights)
        return self._load()[0].highlights(article_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load()[0], name)


class SnapshotView:
    """The list as the snapshot knows it: unfiltered, in the saved sort order."""

    query_text = ""

    def __init__(self, snapshot: StartSnapshot, load: Loader) -> None:
        self.sort = snapshot.sort
        self.rows: SnapshotRows = snapshot.rows
        self._articles = snapshot.articles
        self._load = load

    @property
    def total(self) -> int:
        """How many articles the library holds."""
        return len(self.rows)

    def describe(self) -> str:
        """No filter is active at start."""
        return ""

    def get(self, article_id: str) -> Article | None:
        """An article of the saved rows; any other opens the library."""
        found = self._articles.get(article_id)
        if found is not None:
            return found
        return self._load()[1].get(article_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._load()[1], name)
