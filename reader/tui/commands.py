"""Every user action of the app, defined once.

Owns ``COMMANDS``: one ``Command`` per action with its key(s), its description and the
action it runs. The same list drives the app's ``BINDINGS`` (and so the footer), the help
screen and the command palette (``ReaderCommands``), so no action is defined twice. Keys
that belong to the article pane (scrolling, text width, selection) live in
``ArticleView.BINDINGS``; the help screen lists those from there.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True, slots=True)
class Command:
    """One action: the keys that run it, what it does, and the app action it calls."""

    keys: str  # Textual key names, comma separated ("j,down")
    action: str  # an app action, without the "action_" prefix
    title: str  # short name, for the footer and the palette
    description: str  # one line, for the help screen and the palette
    footer: bool = False  # shown in the footer
    palette: bool = True  # offered in the command palette
    key_display: str | None = None  # how the help screen writes the keys
    priority: bool = False  # handled before the focused widget sees the key (see screens/main.py)
    on_app: bool = False  # an action of the app (quitting), not of the main screen

    @property
    def target(self) -> str:
        """The action string, resolved on the main screen (``app.`` names the app's)."""
        return f"app.{self.action}" if self.on_app else self.action

    @property
    def shown_keys(self) -> str:
        """The keys as the help screen shows them."""
        return self.key_display or " / ".join(self.keys.split(","))


COMMANDS: tuple[Command, ...] = (
    Command("enter", "open_article", "Open", "Open the article under the cursor", True),
    Command(
        "tab", "focus_next", "Next pane", "Move to the next pane", palette=False, key_display="tab"
    ),
    Command(
        "shift+tab",
        "focus_previous",
        "Prev pane",
        "Move to the previous pane",
        palette=False,
    ),
    Command("escape", "back", "Back", "Go back to the list, or clear the filter"),
    Command(
        "g,home",
        "top",
        "Top",
        "Go to the top of the pane: the first article, quotation or line",
        key_display="g / home",
    ),
    Command(
        "G,end",
        "bottom",
        "Bottom",
        "Go to the bottom of the pane: the last article, quotation or line",
        key_display="G / end",
    ),
    Command("n", "next_article", "Next", "Show the next article in the list"),
    Command("p", "previous_article", "Previous", "Show the previous article in the list"),
    Command("b", "toggle_bookmark", "Bookmark", "Bookmark or un-bookmark the article", True),
    Command("t", "edit_tags", "Tags", "Add or remove the article's tags", True),
    Command(
        "slash",
        "filter",
        "Filter",
        "Search and filter the list",
        True,
        key_display="/",
        priority=True,  # so that "/herr" typed fast lands in the bar, "herr" included
    ),
    Command("f", "tag_filter", "Tag filter", "Filter the list by tags"),
    Command("s", "cycle_sort", "Sort", "Sort by added, published, title or reading time"),
    Command("r", "toggle_read", "Read", "Mark the article read or unread"),
    Command("o", "open_url", "Open URL", "Open the article's web address in the browser"),
    Command(
        "v",
        "start_selection",
        "Select",
        "Select the sentence at the top of the article (j/k or J/K grow and shrink it)",
    ),
    Command(
        "h",
        "highlight",
        "Highlight",
        "Keep the selection, or the quotation under the cursor, as a highlight (with a note)",
        True,
    ),
    Command("N", "edit_note", "Note", "Edit the note of the highlight under the cursor"),
    Command("d", "delete_highlight", "Delete", "Delete the highlight under the cursor"),
    Command(
        "left_square_bracket",
        "prev_highlight",
        "Prev highlight",
        "Scroll the article to the previous highlight",
        key_display="[",
    ),
    Command(
        "right_square_bracket",
        "next_highlight",
        "Next highlight",
        "Scroll the article to the next highlight",
        key_display="]",
    ),
    Command("e", "export", "Export", "Export highlights (Markdown, Obsidian, JSON, CSV)", True),
    Command(
        "y",
        "copy",
        "Copy",
        "Copy the quotation or highlight, else the selection, else the article's web address",
    ),
    Command(
        "backslash",
        "toggle_quotes",
        "Quotes",
        "Show or hide the quote pane",
        key_display="\\",
    ),
    Command("ctrl+r", "reload", "Reload", "Reload the library from disk"),
    Command("ctrl+s", "sync", "Sync", "Sync the library with your other machines"),
    Command("question_mark", "help", "Help", "Show every key", True, key_display="?"),
    Command("q", "quit", "Quit", "Quit reader", True, on_app=True),
)
"""Every app-level action, in the order the help screen lists them."""

LIST_KEYS: tuple[tuple[str, str], ...] = (
    ("j / down", "Move down the list, or scroll down in the article"),
    ("k / up", "Move up the list, or scroll up in the article"),
    ("ctrl+p", "Command palette: every action, and the theme switch"),
)
"""Keys handled by the focused widget rather than the app, for the help screen."""


def command_bindings() -> list[Binding]:
    """The main screen's ``BINDINGS``, made from ``COMMANDS``; each binding's ``id`` is its
    action name, which is what ``[keys]`` in config.toml names (``toggle_bookmark = "B"``)."""
    return [
        Binding(
            command.keys,
            command.target,
            command.title,
            show=command.footer,
            key_display=command.key_display,
            tooltip=command.description,
            id=command.action,
            priority=command.priority,
        )
        for command in COMMANDS
        if command.action not in ("focus_next", "focus_previous")  # the App already binds these
    ]


class ReaderCommands(Provider):
    """The command palette's entries: every action of ``COMMANDS``."""

    def _entries(self) -> list[tuple[str, str, Command]]:
        return [
            (f"{command.title} ({command.shown_keys})", command.description, command)
            for command in COMMANDS
            if command.palette
        ]

    def _runner(self, command: Command) -> partial[Coroutine[Any, Any, bool]]:
        app: App[object] = self.app
        # on the main screen (the bottom of the stack), whatever screen is on top now
        return partial(app.run_action, command.target, app.screen_stack[0])

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, help_text, command in self._entries():
            yield DiscoveryHit(name, self._runner(command), help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose name fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for name, help_text, command in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._runner(command), help=help_text)
