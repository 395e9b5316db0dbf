"""A list of tags to tick: ``☑`` ticked, ``☐`` not, so the two differ without colour.

Owns ``TickList``, Textual's ``SelectionList`` drawn with a box before each entry instead of
its coloured ``▐X▌`` button (the same ``X`` ticked or not), ticked or unticked with
``space`` or ``x`` (or a click); ``j``/``k`` move as the arrows do. The tag editor and the tag filter use it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "☑"
UNTICKED = "☐"


class TickList(SelectionList[str]):
    """``SelectionList`` with ``☑``/``☐`` boxes; ``space`` or ``x`` ticks and unticks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,x", "select", "Tick / untick", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """``space`` or ``x`` toggles the entry under the cursor; ``j``/``k`` move as the arrows."""

    DEFAULT_CSS = """
    TickList > .selection-list--button-selected {
        color: $text-success;
        text-style: bold;
    }
    TickList > .selection-list--button {
        color: $text-muted;
    }
    """

    def _get_left_gutter_width(self) -> int:
        return 2  # the box and a space

    def render_line(self, y: int) -> Strip:
        """The entry's line after its box (``OptionList``'s line, not the button's)."""
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self._selected
        first = next(iter(line), None)
        underlying = (first.style if first is not None else None) or self.rich_style
        name = "selection-list--button-selected" if ticked else "selection-list--button"
        mark = self.get_component_rich_style(name, partial=True)
        box_style = underlying + Style(color=mark.color, bold=mark.bold, meta={"option": index})
        box = Segment(TICKED if ticked else UNTICKED, box_style)
        return Strip([box, Segment(" ", underlying), *line])
