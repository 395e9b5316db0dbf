"""The tag editor (``t``): add tags with completion, remove tags by unticking them.

Owns ``TagEditor``, a modal that returns the article's new tag list (or None when
cancelled). The article's tags show ticked (``☑``) in a ``TickList``; ``up`` from the input
moves to them, ``space`` or ``x`` unticks (``☐``: removed on save) or ticks again, ``enter``
saves from the list as from the input. The input completes from every tag in the library
(``SuggestFromList``, accept with ``right``); typed tags, comma separated, are added.
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
from textual.widgets import Input, Static

from reader.sanitize import clean_tag
from reader.tui.dialogs.note_confirm import box_css
from reader.tui.widgets.tick_list import TickList


def split_tags(text: str) -> list[str]:
    """Tags typed in the input: comma separated, cleaned, empty ones dropped."""
    return [tag for tag in (clean_tag(part) for part in text.split(",")) if tag]


class CurrentTags(TickList):
    """The article's tags: ``enter`` saves, ``down`` past the last one goes to the input."""

    BINDINGS = [Binding("enter", "screen.save", "Save", show=False)]
    """``enter`` saves; ``space`` or ``x`` ticks and unticks (``TickList``'s)."""

    def action_cursor_down(self) -> None:
        """Down the tags, then on to the input."""
        if self.highlighted is not None and self.highlighted >= self.option_count - 1:
            self.screen.query_one("#tag-input", Input).focus()
        else:
            super().action_cursor_down()


class TagInput(Input):
    """The input for new tags: ``up`` goes to the tags above (to untick one)."""

    BINDINGS = [Binding("up", "to_tags", "Tags", show=False)]
    """``up`` moves to the article's tags."""

    def action_to_tags(self) -> None:
        """Focus the last of the article's tags."""
        tags = self.screen.query_one("#tag-current", CurrentTags)
        if tags.option_count:
            tags.focus()
            tags.highlighted = tags.option_count - 1


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
    TagEditor CurrentTags {
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
            yield CurrentTags(*[(Content(tag), tag, True) for tag in self._tags], id="tag-current")
            yield TagInput(
                placeholder="add tags, comma separated",
                suggester=SuggestFromList(self._known, case_sensitive=False),
                id="tag-input",
            )
            yield Static("enter save · → complete · ↑ then x: untick · esc cancel", id="tag-help")

    def on_mount(self) -> None:
        """Start in the input; hide the list when the article has no tags."""
        self.query_one("#tag-current").display = bool(self._tags)
        self.query_one("#tag-input", Input).focus()

    def _result(self) -> list[str]:
        kept = list(self.query_one("#tag-current", CurrentTags).selected)
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
