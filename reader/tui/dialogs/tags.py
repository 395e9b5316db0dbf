"""The tag editor (``t``): add tags with completion, remove tags by unticking them.

Owns ``TagEditor``, a modal that returns the article's new tag list (or None when
cancelled). The article's tags show ticked in a ``SelectionList`` (untick to remove); the
input below completes from every tag in the library (``SuggestFromList``, accept with
``right``). ``enter`` in the input saves (typed tags, comma separated, are added);
``ctrl+s`` saves from anywhere; ``escape`` cancels.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, SelectionList, Static

from reader.sanitize import clean_tag
from reader.tui.dialogs.note_confirm import box_css


def split_tags(text: str) -> list[str]:
    """Tags typed in the input: comma separated, cleaned, empty ones dropped."""
    return [tag for tag in (clean_tag(part) for part in text.split(",")) if tag]


class TagEditor(ModalScreen[list[str] | None]):
    """Edit one article's tags; dismisses with the new list, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    """Cancel and save; ``enter`` in the input also saves."""

    DEFAULT_CSS = (
        box_css("TagEditor", width=60, centred_title=False)
        + """
    TagEditor SelectionList {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
    }
    TagEditor #tag-help {
        color: $text-muted;
    }
    """
    )

    def __init__(self, title: str, tags: Iterable[str], known: Iterable[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = list(tags)
        self._known = sorted(set(known))

    def compose(self) -> ComposeResult:
        """Title, ticked tags, the input and a line of help."""
        with Vertical() as box:
            box.border_title = "Tags"
            yield Static(Content(self._title), id="tag-title")
            yield SelectionList[str](
                *[(Content(tag), tag, True) for tag in self._tags], id="tag-current"
            )
            yield Input(
                placeholder="add tags, comma separated",
                suggester=SuggestFromList(self._known, case_sensitive=False),
                id="tag-input",
            )
            yield Static("enter save · → complete · untick to remove · esc cancel", id="tag-help")

    def on_mount(self) -> None:
        """Start in the input; hide the list when the article has no tags."""
        self.query_one("#tag-current").display = bool(self._tags)
        self.query_one("#tag-input", Input).focus()

    def _result(self) -> list[str]:
        kept = list(self.query_one("#tag-current", SelectionList).selected)
        typed = split_tags(self.query_one("#tag-input", Input).value)
        return sorted(set(kept) | set(typed))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the input saves."""
        event.stop()
        self.dismiss(self._result())

    def action_save(self) -> None:
        """Save the tags."""
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
