"""The help screen (``?``): every key of the app and of the article pane.

Owns ``HelpScreen``, a modal listing ``reader.tui.commands.COMMANDS``, the list keys and
the article pane's own bindings, so it can never disagree with what the keys do. Keys and
descriptions are two columns (a long description wraps under itself); ``j``/``k``, the
arrows, ``g``/``G`` and the page keys scroll it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui.commands import COMMANDS, LIST_KEYS
from reader.tui.dialogs.note_confirm import box_css

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "backslash": "\\",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "pageup": "pgup",
    "pagedown": "pgdn",
    "space": "space",
}


KEY_CELLS = 18  # the keys column (two spaces, then the keys)


def _key_label(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def _bindings_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            label = binding.key_display or _key_label(binding.key)
            rows.append((label, binding.tooltip or binding.description or binding.action))
        elif isinstance(binding, tuple) and len(binding) >= 2:
            rows.append((_key_label(binding[0]), binding[2] if len(binding) > 2 else binding[1]))
    return rows


def help_sections(
    article_bindings: Iterable[BindingType] = (),
    quote_rows: Iterable[tuple[str, str]] = (),
) -> list[tuple[str, list]]:
    """The help text as (section title, [(keys, description)]) pairs."""
    app_rows = [(c.shown_keys, c.description) for c in COMMANDS]
    sections: list[tuple[str, list]] = [
        ("Everywhere", app_rows),
        ("Moving", list(LIST_KEYS)),
    ]
    article_rows = _bindings_rows(article_bindings)
    if article_rows:
        sections.append(("In the article", article_rows))
    if quote_rows:
        sections.append(("In the quote pane", list(quote_rows)))
    return sections


def section_table(rows: list[tuple[str, str]], key_style: Style | None = None) -> Table:
    """Keys and descriptions in two columns: a long description wraps under itself, not
    under the keys. Plain ``Text``: nothing in it is read as markup."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=KEY_CELLS, no_wrap=True)
    table.add_column(ratio=1)
    for keys, description in rows:
        table.add_row(Text("  " + keys, style=key_style or Style(bold=True)), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, grouped; any of ``escape``, ``q`` or ``?`` closes it; ``j``/``k`` (and
    the arrows, ``g``/``G``, ``space``/page keys) scroll it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=True),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "scroll_to_edge(False)", "Top", show=False),
        Binding("G,end", "scroll_to_edge(True)", "Bottom", show=False),
    ]
    """Keys that close and scroll the help."""

    DEFAULT_CSS = (
        box_css("HelpScreen", width=80, child="VerticalScroll")
        + """
    HelpScreen Static {
        width: 100%;
    }
    HelpScreen .help-keys {
        margin-bottom: 1;
    }
    """
    )

    def __init__(
        self,
        article_bindings: Iterable[BindingType] = (),
        quote_rows: Iterable[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self._sections = help_sections(article_bindings, quote_rows)

    def compose(self) -> ComposeResult:
        """A title and a two-column table per section; text is assembled, never markup."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "j/k scroll · escape to close"
            key_style = Style(bold=True, color=self.app.current_theme.accent)
            for title, rows in self._sections:
                yield Static(Content.assemble((title, "bold $primary")), classes="help-title")
                yield Static(section_table(rows, key_style), classes="help-keys")

    def on_mount(self) -> None:
        """The scroll area takes the focus."""
        self._scroller.focus()

    @property
    def _scroller(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        """Scroll by ``lines``."""
        self._scroller.scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        """Scroll by ``pages`` screens."""
        scroller = self._scroller
        step = max(1, scroller.scrollable_content_region.height - 1)
        scroller.scroll_relative(y=pages * step, animate=False)

    def action_scroll_to_edge(self, bottom: bool) -> None:
        """To the top, or the bottom."""
        scroller = self._scroller
        scroller.scroll_to(y=scroller.max_scroll_y if bottom else 0, animate=False)
