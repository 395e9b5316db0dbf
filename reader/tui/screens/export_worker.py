"""The export key of the main screen: ask how, then write the export in a thread.

Owns ``ExportActions`` (a base of ``MainScreen``): ``e`` opens the export dialog; the
highlights are gathered on the UI thread, then written by
``reader.highlights.service.write_export`` in a thread worker, so the reader stays usable.
Quitting during an export waits for it; its closing notice is skipped if the app is gone.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from reader.errors import ReaderError
from reader.sanitize import clean_line
from reader.tui.screens.highlight_actions import HighlightActions

if TYPE_CHECKING:
    from reader.highlights.export import ExportItem
    from reader.tui.dialogs.export import ExportChoice

EXPORT_NOTICE_AT = 1000  # exporting more highlights than this says so when it starts


class ExportActions(HighlightActions):
    """The export action and its worker; see the module's docstring."""

    def action_export(self) -> None:
        """Ask how to export the highlights, then write the export."""
        from reader.tui.dialogs.export import ExportDialog

        dialog = ExportDialog(
            fmt=self.config.export_format,
            folder=self.config.export_folder,
            has_article=self._shown is not None,
        )
        self.app.push_screen(dialog, self._export)

    def _export(self, choice: ExportChoice | None) -> None:
        """Gather the highlights here, then write them in a thread: an Obsidian folder of
        10,000 notes takes seconds, and the reader stays usable meanwhile."""
        if choice is None:
            return
        from reader.highlights.service import export_items

        try:
            if choice.scope == "article" and self._shown is not None:
                items = export_items(self.library, article_ids=[self._shown.id])
            elif choice.scope == "bookmarked":
                items = export_items(self.library, bookmarked=True)
            else:
                items = export_items(self.library)
        except (ReaderError, OSError, ValueError) as err:
            self._export_failed(err)
            return
        count = sum(len(highlights) for _, highlights in items)
        if not count:
            self.notify("No highlights match: nothing exported", timeout=6, markup=False)
            return
        if count > EXPORT_NOTICE_AT:
            self.notify(f"Exporting {count} highlight(s)…", timeout=3, markup=False)
        self.app.run_worker(
            lambda: self._write_export(choice, items, count), thread=True, group="export"
        )

    def _write_export(self, choice: ExportChoice, items: list[ExportItem], count: int) -> None:
        """(A worker thread.) Write the export and say how it went (unless the app has
        quit meanwhile: what was written stays, whole)."""
        from reader.highlights.service import write_export

        try:
            path = write_export(choice.fmt, items, Path(choice.path))
        except (ReaderError, OSError, ValueError) as err:
            with contextlib.suppress(RuntimeError):  # the app is no longer running
                self.app.call_from_thread(self._export_failed, err)
            return
        message = f"Exported {count} highlight(s) from {len(items)} article(s) to {path}"
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self.app.notify, clean_line(message), timeout=6, markup=False)

    def _export_failed(self, err: Exception) -> None:
        self.app.notify(
            clean_line(f"Export failed: {err}"), severity="error", timeout=8, markup=False
        )
