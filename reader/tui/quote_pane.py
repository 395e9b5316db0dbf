"""The quote pane, on the right: the article's highlights and the quotations in its text.

Owns ``QuotePane`` (an ``OptionList``) and ``QuoteEntry`` (where one entry points in the
article). Highlights come first (with their notes), then the direct quotations found by
``reader.quotes.find_quotations`` with their speakers. Selecting an entry posts
``QuotePane.Jump`` so the app can scroll the article to it. All text is article data and is
assembled as plain strings, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Highlight
from reader.quotes import Quotation

MAX_QUOTE_CHARS = 280


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    """Where an entry of the pane sits in the article."""

    kind: str  # "highlight" | "quote"
    paragraph: int | None
    start: int


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1] + "…"


class QuotePane(OptionList):
    """Highlights and quotations of the shown article."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """Vim keys besides the arrows; ``enter`` jumps to the entry."""

    class Jump(Message):
        """The user chose an entry: scroll the article to ``paragraph`` at ``start``."""

        def __init__(self, paragraph: int, start: int) -> None:
            super().__init__()
            self.paragraph = paragraph
            self.start = start

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Quotes"
        self._entries: list[QuoteEntry] = []

    def show(self, highlights: Sequence[Highlight], quotations: Sequence[Quotation]) -> None:
        """Fill the pane for one article."""
        options: list[Option | None] = []
        entries: list[QuoteEntry] = []
        if highlights:
            options.append(Option(Content.styled("Highlights", "bold $primary"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
        for highlight in highlights:
            parts: list[str | tuple[str, str]] = [("▌", "$accent"), _short(highlight.text)]
            if highlight.note:
                parts += ["\n", ("✎ " + _short(highlight.note), "$text-secondary italic")]
            options.append(Option(Content.assemble(*parts)))
            entries.append(QuoteEntry("highlight", highlight.paragraph, highlight.start or 0))
        if quotations:
            options.append(Option(Content.styled("Quotations", "bold $primary"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
        for quote in quotations:
            parts = [("“", "$accent"), _short(quote.text), ("”", "$accent")]
            if quote.speaker:
                parts += ["\n", ("— " + quote.speaker, "$text-muted italic")]
            options.append(Option(Content.assemble(*parts)))
            entries.append(QuoteEntry("quote", quote.paragraph, quote.start))
        if not options:
            options.append(
                Option(Content.styled("No highlights or quotations", "$text-muted"), disabled=True)
            )
            entries.append(QuoteEntry("heading", None, 0))
        self._entries = entries
        self.set_options(options)
        self.border_subtitle = f"{len(highlights)} hl · {len(quotations)} q"

    def clear(self) -> None:
        """Empty the pane (no article shown)."""
        self._entries = []
        self.clear_options()
        self.border_subtitle = ""

    def entry(self, index: int) -> QuoteEntry | None:
        """The entry at option ``index``."""
        return self._entries[index] if 0 <= index < len(self._entries) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a chosen entry into a ``Jump``."""
        event.stop()
        entry = self.entry(event.option_index)
        if entry is not None and entry.paragraph is not None:
            self.post_message(self.Jump(entry.paragraph, entry.start))
