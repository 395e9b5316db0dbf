"""The quote pane, on the right: the article's highlights and the quotations in its text.

Owns ``QuotePane`` (an ``OptionList``) and ``QuoteEntry`` (where one entry points in the
article). Highlights come first (with their notes), then the direct quotations found by
``reader.quotes.find_quotations`` with their speakers ("unattributed" when none). ``w``
switches to the "by speaker" view (speakers with their number of quotations; ``enter``
shows one speaker's quotations, ``w`` or ``backspace`` goes back, ``w`` again returns to
the whole list). Selecting a highlight or quotation posts ``QuotePane.Jump`` so the app
can scroll the article to it. All text is article data and is
assembled as plain strings, never markup. The app acts on ``current`` (the entry under the
cursor): ``h`` keeps a quotation as a highlight, ``d`` deletes a highlight, ``N`` edits its
note, ``y`` copies the entry's words.

Speed: ``show`` leaves the options alone when the entries are the same as shown (moving
through the list mostly shows "no highlights or quotations" again and again), and
``warm_quotations`` compiles ``reader.quotes``' patterns ahead of the first article.
Every option is wrapped to know its height, so ``show`` puts in the first
``FIRST_OPTIONS`` (a screenful) at once and the rest ``MORE_OPTIONS`` at a time in later
frames, each after the keys pressed meanwhile (``reader.tui.pending_input``); a cursor
placed by the app or a key (``keep``, ``select_highlight``) puts them all in first.
``forget`` makes the entries of an article no longer shown stop answering before the pane
is redrawn.
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
from reader.sanitize import clean_line
from reader.tui.pending_input import after_input
from reader.tui.widgets.focus_styles import PaneFocusStyles

if TYPE_CHECKING:  # reader.quotes is loaded when first needed, not at start
    from reader.quotes import Quotation

MAX_QUOTE_CHARS = 280
FIRST_OPTIONS = 8  # options put in by ``show`` itself (about a screenful)
MORE_OPTIONS = 8  # options put in per later frame


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    """Where an entry of the pane sits in the article."""

    kind: str  # "highlight" | "quote" | "heading" | "speaker" (a row of the by-speaker view)
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


def _quotation_option(quote: Quotation, *, with_speaker: bool) -> Option:
    """A quotation's option: its words and, below them, who said it (or "unattributed")."""
    parts: list[str | tuple[str, str]] = [("“", "$accent"), _short(quote.text), ("”", "$accent")]
    if with_speaker and quote.speaker:
        parts += ["\n", ("— " + clean_line(quote.speaker), "$text-muted italic")]
    elif with_speaker:
        parts += ["\n", ("— unattributed", "$text-disabled italic")]
    return Option(Content.assemble(*parts))


class QuotePane(PaneFocusStyles, OptionList):
    """Highlights and quotations of the shown article."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("w", "by_speaker", "By speaker", show=False),
        Binding("backspace", "all_speakers", "All speakers", show=False),
    ]
    """Vim keys besides the arrows; ``enter`` jumps to the entry (or opens a speaker);
    ``w`` toggles the by-speaker view."""

    HELP_ROWS = (
        ("w", "By speaker: speakers with their number of quotations (w again: back)"),
        ("enter", "On a speaker: only their quotations; on a quotation: show it in the article"),
        ("backspace", "From one speaker's quotations back to the speakers"),
    )
    """The pane's own keys, for the help screen."""

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
        self._highlights: Sequence[Highlight] = ()
        self._quotations: Sequence[Quotation] = ()
        self._view = "all"  # "all" | "speakers" | "speaker" (one speaker's quotations)
        self._speaker: str | None = None  # the speaker shown in the "speaker" view
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
        quoted = tuple(
            (q.paragraph, q.start, q.end, q.text, q.speaker, q.speaker_mention) for q in quotations
        )
        if self._shown is not None and quoted != self._shown[1] and self._view == "speaker":
            self._view, self._speaker = "speakers", None  # another article: its speakers
        shown = (
            tuple((h.id, h.text, h.note, h.paragraph, h.start, h.end) for h in highlights),
            quoted,
            self._view,
            self._speaker,
        )
        if shown == self._shown:
            if keep is not None:
                self._put_cursor_near(keep)
            return
        self._shown = shown
        self._waiting = []
        self._highlights, self._quotations = highlights, quotations
        self.rebuilds += 1
        if self._view == "all":
            options, entries = self._all_options(highlights, quotations)
        else:
            options, entries = self._speaker_options(quotations)
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
        if self._view == "speaker":  # another article: its speakers
            self._view, self._speaker = "speakers", None

    def _all_options(
        self, highlights: Sequence[Highlight], quotations: Sequence[Quotation]
    ) -> tuple[list[Option | None], list[QuoteEntry]]:
        """Highlights, then quotations with their speakers (the usual view)."""
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
            title = "Quotations · w: by speaker"
            options.append(Option(Content.styled(title, "bold $primary"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
        for quote in quotations:
            options.append(_quotation_option(quote, with_speaker=True))
            entries.append(QuoteEntry("quote", quote.paragraph, quote.start, quote.end, quote.text))
        if not options:
            options.append(
                Option(Content.styled("No highlights or quotations", "$text-muted"), disabled=True)
            )
            entries.append(QuoteEntry("heading", None, 0))
        return options, entries

    def _speaker_options(
        self, quotations: Sequence[Quotation]
    ) -> tuple[list[Option | None], list[QuoteEntry]]:
        """The by-speaker view: speakers with counts, or one speaker's quotations."""
        from reader.quotes import by_speaker

        options: list[Option | None] = []
        entries: list[QuoteEntry] = []
        groups = by_speaker(quotations)
        if self._view == "speaker":
            group = next((g for s, g in groups if s == self._speaker), [])
            name = self._speaker or "Unattributed"
            title = f"{name} · {len(group)} · w: back"
            options.append(Option(Content.styled(title, "bold $primary"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
            for quote in group:
                options.append(_quotation_option(quote, with_speaker=False))
                entries.append(
                    QuoteEntry("quote", quote.paragraph, quote.start, quote.end, quote.text)
                )
            return options, entries
        title = "Speakers · w: back"
        options.append(Option(Content.styled(title, "bold $primary"), disabled=True))
        entries.append(QuoteEntry("heading", None, 0))
        for speaker, group in groups:
            label: list[str | tuple[str, str]] = (
                [speaker] if speaker else [("unattributed", "$text-muted italic")]
            )
            options.append(Option(Content.assemble(*label, (f"  {len(group)}", "$accent"))))
            entries.append(QuoteEntry("speaker", None, 0, text=speaker or ""))
        if not groups:
            options.append(Option(Content.styled("No quotations", "$text-muted"), disabled=True))
            entries.append(QuoteEntry("heading", None, 0))
        return options, entries

    @property
    def view(self) -> str:
        """``"all"``, ``"speakers"`` or ``"speaker"`` (one speaker's quotations)."""
        return self._view

    def _switch(self, view: str, speaker: str | None = None) -> None:
        self._view, self._speaker = view, speaker
        self.show(self._highlights, self._quotations, keep=0)

    def action_by_speaker(self) -> None:
        """``w``: the by-speaker view; from it (or one speaker) back one step."""
        if self._view == "all":
            self._switch("speakers")
        elif self._view == "speakers":
            self._switch("all")
        else:
            self._switch("speakers")

    def action_all_speakers(self) -> None:
        """``backspace``: from one speaker's quotations back to the list of speakers."""
        if self._view == "speaker":
            self._switch("speakers")

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
        return entry if entry is not None and entry.kind in ("highlight", "quote") else None

    def clear(self) -> None:
        """Empty the pane (no article shown)."""
        self._entries = []
        self._shown = None
        self._waiting = []
        self._highlights, self._quotations = (), ()
        self.clear_options()
        self.border_subtitle = ""

    def entry(self, index: int) -> QuoteEntry | None:
        """The entry at option ``index``."""
        return self._entries[index] if 0 <= index < len(self._entries) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a chosen entry into a ``Jump``."""
        event.stop()
        entry = self.entry(event.option_index)
        if entry is not None and entry.kind == "speaker":
            self._switch("speaker", entry.text or None)
            return
        if entry is not None and entry.paragraph is not None:
            self.post_message(self.Jump(entry.paragraph, entry.start))
