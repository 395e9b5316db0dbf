"""The tag filter (``f``): every tag with its count; tick some to show only their articles.

Owns ``TagFilter``, a modal returning the chosen tags (or None when cancelled). The app turns
them into ``tag:`` terms of the query. ``space`` ticks, ``enter`` applies, ``escape``
cancels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from reader.tui.dialogs.note_confirm import box_css


class TagList(SelectionList[str]):
    """A selection list where ``enter`` applies instead of toggling."""

    BINDINGS = [Binding("enter", "screen.apply", "Apply", show=False)]
    """``enter`` applies the filter; ``space`` ticks (SelectionList's own)."""


class TagFilter(ModalScreen[list[str] | None]):
    """Choose tags to filter by."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "apply", "Apply"),
    ]
    """Apply or cancel."""

    DEFAULT_CSS = (
        box_css("TagFilter", width=50, centred_title=False)
        + """
    TagFilter TagList {
        height: auto;
        max-height: 20;
        border: none;
        padding: 0;
    }
    TagFilter #filter-help {
        color: $text-muted;
    }
    """
    )

    def __init__(self, counts: Mapping[str, int], chosen: Iterable[str]) -> None:
        super().__init__()
        self._counts = dict(counts)
        self._chosen = set(chosen)

    def compose(self) -> ComposeResult:
        """The tags with their counts, then a line of help."""
        with Vertical() as box:
            box.border_title = "Filter by tag"
            if self._counts:
                width = max(len(tag) for tag in self._counts)
                yield TagList(
                    *[
                        (
                            Content.assemble(f"{tag:<{width}}  ", (f"{count:>5}", "$text-muted")),
                            tag,
                            tag in self._chosen,
                        )
                        for tag, count in self._counts.items()
                    ]
                )
            else:
                yield Static("No tags yet: press t on an article to tag it.")
            yield Static("space tick · enter apply · esc cancel", id="filter-help")

    def action_apply(self) -> None:
        """Filter by the ticked tags (none ticked: no tag filter)."""
        lists = self.query(TagList)
        self.dismiss(list(lists.first().selected) if lists else [])

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
