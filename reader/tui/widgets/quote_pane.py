"""The quote pane, on the right: the article's highlights and the quotations in its text.

Owns ``QuotePane`` (an ``OptionList``) and ``QuoteEntry`` (where one entry points in the
article). Highlights come first (with their notes), then the direct quotations found by
``reader.quotes.find_quotations`` with their speakers. Selecting an entry posts
``QuotePane.Jump`` so the app can scroll the article to it. All text is article data and is
assembled as plain strings, never markup. The app acts on ``current`` (the entry under the
cursor): ``h`` keeps a quotation as a highlight, ``d`` deletes a highlight, ``N`` edits its
note, ``y`` copies the entry's words.

Speed: ``show`` leaves the options alone when the entries are the same as shown (moving
through the list mostly shows "no highlights or quotations" again and again), and
``warm_quotations`` compiles ``reader.quotes``' patterns ahead of the first article.
Every option is wrapped to know its height, so ``show`` puts in the first
``FIRST_OPTIONS`` (a screenful) at once and the rest ``MORE_OPTIONS`` at a time in later
frames, each after the keys pressed meanwhile (``reader.tui.pending_input``); a cursor
placed by the app (``keep``, ``select_highlight``) puts them all in first. ``forget``
makes the entries of an article no longer shown stop answering before the pane is redrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Highlight
from reader.tui.pending_input import after_input

if TYPE_CHECKING:  # reader.quotes is loaded when first needed, not at start
    from reader.quotes import Quotation

MAX_QUOTE_CHARS = 280
FIRST_OPTIONS = 8  # options put in by ``show`` itself (about a screenful)
MORE_OPTIONS = 8  # options put in per later frame


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    """Where an entry of the pane sits in the article."""

    kind: str  # "highlight" | "quote" | "heading"
    paragraph: int | None
    start: int
    end: int = 0
    text: str = ""  # the highlight's or the quotation's words
    highlight_id: str | None = None
    note: str | None = None


_WARM_UP_TEXT = (
    "“We will keep the light burning every night,” said Ana Rossi, the harbour master. "
    "Her deputy, Tom Hale, added: “The boats come home at dusk.”"
)


def warm_quotations() -> None:
    """Run ``find_quotations`` once on a made-up paragraph, so its patterns are compiled
    before the first article needs them. Meant for a thread worker at start."""
    from reader.quotes import find_quotations

    find_quotations([_WARM_UP_TEXT])


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

    _scroll_range_only = False  # inside ``_update_lines`` (see there)
    _appending = False  # adding options below the screen: no repaint

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
        self._shown: tuple[object, ...] | None = None  # what the options show now
        self._waiting: list[Option] = []  # options ``show`` has not put in yet
        self.rebuilds = 0
        """How many times the options were rebuilt (for tests and profiling)."""

    def _update_lines(self) -> None:
        # OptionList sets a new ``virtual_size`` here, which asks for a layout of the whole
        # screen; the pane's size comes from the CSS alone (never from its options), so a
        # repaint and the scrollbars' update (done by OptionList) are all it needs.
        self._scroll_range_only = True
        try:
            super()._update_lines()
        finally:
            self._scroll_range_only = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Textual's ``refresh``, without the layout a new scroll range would ask for."""
        if self._scroll_range_only:
            layout = False
        if self._appending and not regions:
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def warm_up(self) -> None:
        """Compile the quotation patterns in a thread worker (see ``warm_quotations``)."""
        self.run_worker(warm_quotations, thread=True, group="quotes-warm-up")

    def show(
        self,
        highlights: Sequence[Highlight],
        quotations: Sequence[Quotation],
        *,
        keep: int | None = None,
    ) -> None:
        """Fill the pane for one article; ``keep`` puts the cursor back on that option
        (clamped to the nearest selectable one). Nothing is rebuilt when the entries are
        the ones already shown."""
        shown = (
            tuple((h.id, h.text, h.note, h.paragraph, h.start, h.end) for h in highlights),
            tuple((q.paragraph, q.start, q.end, q.text, q.speaker) for q in quotations),
        )
        if shown == self._shown:
            if keep is not None:
                self._put_cursor_near(keep)
            return
        self._shown = shown
        self._waiting = []
        self.rebuilds += 1
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
            entries.append(
                QuoteEntry(
                    "highlight",
                    highlight.paragraph,
                    highlight.start or 0,
                    highlight.end or 0,
                    highlight.text,
                    highlight.id,
                    highlight.note,
                )
            )
        if quotations:
            options.append(Option(Content.styled("Quotations", "bold $primary"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
        for quote in quotations:
            parts = [("“", "$accent"), _short(quote.text), ("”", "$accent")]
            if quote.speaker:
                parts += ["\n", ("— " + quote.speaker, "$text-muted italic")]
            options.append(Option(Content.assemble(*parts)))
            entries.append(QuoteEntry("quote", quote.paragraph, quote.start, quote.end, quote.text))
        if not options:
            options.append(
                Option(Content.styled("No highlights or quotations", "$text-muted"), disabled=True)
            )
            entries.append(QuoteEntry("heading", None, 0))
        self._entries = entries
        first = options if keep is not None else options[:FIRST_OPTIONS]
        self.set_options(first)
        self.border_subtitle = f"{len(highlights)} hl · {len(quotations)} q"
        if len(first) < len(options):
            self._waiting = [o for o in options[len(first) :] if o is not None]
            after_input(self, lambda: self._add_waiting(shown))
        if keep is not None:
            self._put_cursor_near(keep)

    def _add_waiting(self, shown: tuple[object, ...]) -> None:
        """Put in the next ``MORE_OPTIONS`` options of ``show`` (if it still shows the
        same entries), then the next in a later frame."""
        if shown != self._shown or not self._waiting:
            return
        chunk, self._waiting = self._waiting[:MORE_OPTIONS], self._waiting[MORE_OPTIONS:]
        self._add_options_below(chunk)
        if self._waiting:
            after_input(self, lambda: self._add_waiting(shown))

    def _add_options_below(self, options: list[Option]) -> None:
        """Add options; when the screen is already full, they are below it: only the
        scroll range changes, nothing on screen is drawn again."""
        height = self.scrollable_content_region.height
        self._appending = len(self._lines) >= int(self.scroll_y) + height
        try:
            self.add_options(options)
        finally:
            self._appending = False

    def _add_all_waiting(self) -> None:
        """Every option ``show`` held back, now (before the cursor is placed)."""
        if self._waiting:
            waiting, self._waiting = self._waiting, []
            self._add_options_below(waiting)

    def forget(self) -> None:
        """The article shown changed: the entries stop answering at once (``current`` is
        ``None``); the options on screen stay until the next ``show`` replaces them."""
        self._entries = []
        self._shown = None
        self._waiting = []

    def _put_cursor_near(self, index: int) -> None:
        self._add_all_waiting()
        count = len(self._entries)
        if count == 0:
            return
        index = max(0, min(count - 1, index))
        for candidate in [*range(index, count), *range(index - 1, -1, -1)]:
            if self._entries[candidate].kind != "heading":
                self.highlighted = candidate
                return

    def select_highlight(self, highlight_id: str) -> None:
        """Put the cursor on the highlight with ``highlight_id`` (if listed)."""
        self._add_all_waiting()
        for index, entry in enumerate(self._entries):
            if entry.highlight_id == highlight_id:
                self.highlighted = index
                return

    @property
    def current(self) -> QuoteEntry | None:
        """The highlight or quotation under the cursor (``None`` on a heading or nothing)."""
        if self.highlighted is None:
            return None
        entry = self.entry(self.highlighted)
        return entry if entry is not None and entry.kind != "heading" else None

    def clear(self) -> None:
        """Empty the pane (no article shown)."""
        self._entries = []
        self._shown = None
        self._waiting = []
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
