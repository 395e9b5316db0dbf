"""The tag filter (``f``): every tag with its count; tick some to show only their articles.

Owns ``TagFilter``, a modal returning a ``TagChoice`` (the ticked tags, and whether an
article needs all of them or any of them), or None when cancelled. The app turns it into
``tag:`` terms of the query (``tag:a tag:b`` for all, ``tag:a,b`` for any). ``space``
or ``x`` ticks (``☑``/``☐``), ``a`` switches between all and any (the line under the list says which is in
force), ``enter`` applies, ``escape`` cancels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui.dialogs.note_confirm import box_css
from reader.tui.widgets.tick_list import TickList


@dataclass(frozen=True, slots=True)
class TagChoice:
    """The ticked tags, and whether an article needs any of them (else all of them)."""

    tags: list[str]
    any_of: bool = False


def match_line(any_of: bool) -> str:
    """The line saying which articles the ticked tags show."""
    if any_of:
        return "Articles with ANY ticked tag (a: all of them)"
    return "Articles with ALL ticked tags (a: any of them)"


class TagList(TickList):
    """A tick list where ``enter`` applies instead of toggling."""

    BINDINGS = [Binding("enter", "screen.apply", "Apply", show=False)]
    """``enter`` applies the filter; ``space`` or ``x`` ticks (``TickList``'s)."""


class TagFilter(ModalScreen[TagChoice | None]):
    """Choose tags to filter by, and whether articles need all or any of them."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "apply", "Apply"),
        Binding("a", "toggle_any", "All / any"),
    ]
    """Apply, cancel, and switch between all and any."""

    DEFAULT_CSS = (
        box_css("TagFilter", width=56, centred_title=False)
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
    TagFilter #filter-match {
        color: $text-accent;
        text-style: bold;
    }
    """
    )

    def __init__(
        self, counts: Mapping[str, int], chosen: Iterable[str], *, any_of: bool = False
    ) -> None:
        super().__init__()
        self._counts = dict(counts)
        self._chosen = set(chosen)
        self.any_of = any_of

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
            yield Static(match_line(self.any_of), id="filter-match")
            yield Static("space tick · a all/any · enter apply · esc cancel", id="filter-help")

    def action_toggle_any(self) -> None:
        """Switch between articles with all the ticked tags and with any of them."""
        self.any_of = not self.any_of
        self.query_one("#filter-match", Static).update(match_line(self.any_of))

    def action_apply(self) -> None:
        """Filter by the ticked tags (none ticked: no tag filter)."""
        lists = self.query(TagList)
        tags = list(lists.first().selected) if lists else []
        self.dismiss(TagChoice(tags, self.any_of))

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)
