"""The export dialog (``e``): choose a format, which highlights, and where to write.

Owns ``ExportDialog`` (a modal returning an ``ExportChoice`` or ``None``), the scopes it
offers (``SCOPES``) and ``default_export_path``. The dialog only asks; the app writes the
export with ``reader.highlights.service.write_export`` and reports where it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from reader.highlights.export import FORMATS
from reader.tui.dialogs.note_confirm import box_css

EXTENSIONS = {"markdown": "md", "json": "json", "csv": "csv"}
FORMAT_LABELS = {
    "markdown": "Markdown",
    "obsidian": "Obsidian folder",
    "json": "JSON",
    "csv": "Readwise CSV",
}
SCOPES = ("all", "article", "bookmarked")
SCOPE_LABELS = {
    "all": "All highlights",
    "article": "This article",
    "bookmarked": "Bookmarked articles",
}
BASE_NAME = "reader-highlights"
HINT = "type a path · enter export · tab format, which · esc cancel"
"""The dialog's line of help; the dialog opens in the path, as it says."""


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the user asked for: a format, a scope (one of ``SCOPES``) and a path."""

    fmt: str
    scope: str
    path: str


def default_export_path(fmt: str, folder: Path | None = None) -> str:
    """Where an export goes unless the user types another path.

    Obsidian writes a folder: ``folder`` itself, or ``~/reader-highlights``. The other
    formats write ``reader-highlights.<ext>`` inside ``folder`` (or the home folder).
    """
    if fmt == "obsidian":
        return str(folder) if folder else f"~/{BASE_NAME}"
    name = f"{BASE_NAME}.{EXTENSIONS.get(fmt, fmt)}"
    return str(folder / name) if folder else f"~/{name}"


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Ask how to export; ``enter`` in the path (or the Export button, or ``ctrl+s``)
    exports, ``escape`` cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export"),
    ]
    """Cancel and export; ``enter`` in the path input also exports."""

    DEFAULT_CSS = (
        box_css("ExportDialog", width=72, max_height="95%")
        + """
    ExportDialog Horizontal {
        height: auto;
    }
    ExportDialog RadioSet {
        width: 1fr;
        border: round $border-blurred;
    }
    ExportDialog RadioSet:focus-within {
        border: round $border;
    }
    ExportDialog Label {
        margin-top: 1;
        color: $text-muted;
    }
    ExportDialog #export-buttons {
        margin-top: 1;
        align-horizontal: right;
    }
    ExportDialog .dialog-help {
        color: $text-muted;
    }
    """
    )

    def __init__(
        self,
        *,
        fmt: str = "markdown",
        scope: str = "all",
        folder: Path | None = None,
        has_article: bool = True,
    ) -> None:
        super().__init__()
        self._fmt = fmt if fmt in FORMATS else "markdown"
        self._scope = scope if scope in SCOPES else "all"
        self._folder = folder
        self._has_article = has_article

    def compose(self) -> ComposeResult:
        """Format and scope side by side, the path below, then the buttons."""
        with Vertical() as box:
            box.border_title = "Export highlights"
            with Horizontal():
                with RadioSet(id="export-format"):
                    for fmt in FORMATS:
                        yield RadioButton(FORMAT_LABELS[fmt], value=fmt == self._fmt, name=fmt)
                with RadioSet(id="export-scope"):
                    for scope in SCOPES:
                        yield RadioButton(
                            SCOPE_LABELS[scope],
                            value=scope == self._scope,
                            name=scope,
                            disabled=scope == "article" and not self._has_article,
                        )
            yield Label("Save to (a folder for Obsidian)")
            yield Input(default_export_path(self._fmt, self._folder), id="export-path")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")
            yield Static(HINT, classes="dialog-help")

    def on_mount(self) -> None:
        """Start in the path (what the hint says: type a path, enter exports)."""
        self.query_one("#export-format", RadioSet).border_title = "Format"
        self.query_one("#export-scope", RadioSet).border_title = "Which"
        self.query_one("#export-path", Input).focus()

    @property
    def choice(self) -> ExportChoice:
        """What is chosen now."""
        return ExportChoice(self._fmt, self._scope, self.query_one("#export-path", Input).value)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Follow the format (updating an untouched default path) and the scope."""
        event.stop()
        name = event.pressed.name or ""
        if event.radio_set.id == "export-scope":
            self._scope = name
            return
        path_input = self.query_one("#export-path", Input)
        if path_input.value == default_export_path(self._fmt, self._folder):
            path_input.value = default_export_path(name, self._folder)
        self._fmt = name

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the path exports."""
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Export and Cancel buttons."""
        event.stop()
        if event.button.id == "export-go":
            self.action_export()
        else:
            self.action_cancel()

    def action_export(self) -> None:
        """Close with the choice (an empty path is refused with a notification)."""
        choice = self.choice
        if not choice.path.strip():
            self.notify("Give a path to export to", severity="warning")
            return
        self.dismiss(ExportChoice(choice.fmt, choice.scope, choice.path.strip()))

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
