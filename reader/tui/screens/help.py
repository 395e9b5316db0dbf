"""The help screen (``?``): every key of the app and of the article pane.

Owns ``HelpScreen``, a modal listing ``reader.tui.commands.COMMANDS``, the list keys and
the article pane's own bindings, so it can never disagree with what the keys do.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def help_sections(article_bindings: Iterable[BindingType] = ()) -> list[tuple[str, list]]:
    """The help text as (section title, [(keys, description)]) pairs."""
    app_rows = [(c.shown_keys, c.description) for c in COMMANDS]
    sections: list[tuple[str, list]] = [
        ("Everywhere", app_rows),
        ("Moving", list(LIST_KEYS)),
    ]
    article_rows = _bindings_rows(article_bindings)
    if article_rows:
        sections.append(("In the article", article_rows))
    return sections


class HelpScreen(ModalScreen[None]):
    """Every key, grouped; any of ``escape``, ``q`` or ``?`` closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=True),
    ]
    """Keys that close the help."""

    DEFAULT_CSS = (
        box_css("HelpScreen", width=80, child="VerticalScroll")
        + """
    HelpScreen Static {
        width: 100%;
    }
    """
    )

    def __init__(self, article_bindings: Iterable[BindingType] = ()) -> None:
        super().__init__()
        self._sections = help_sections(article_bindings)

    def compose(self) -> ComposeResult:
        """One Static per section; text is assembled, never markup."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "escape to close"
            for title, rows in self._sections:
                parts: list[str | tuple[str, str]] = [(title, "bold $primary"), "\n"]
                for keys, description in rows:
                    parts += [(f"  {keys:<16}", "bold $accent"), f"{description}\n"]
                yield Static(Content.assemble(*parts))
