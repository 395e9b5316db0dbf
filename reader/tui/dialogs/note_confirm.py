"""Small modal dialogs: a one-line note editor and a yes/no confirmation.

Owns ``NoteDialog`` (returns the typed note, ``""`` for none, or ``None`` when cancelled)
and ``ConfirmDialog`` (returns ``True`` or ``False``). Text shown in them may come from an
article, so it is passed as ``Content`` built from plain strings, never markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.sanitize import clean_line
from reader.text.document import trim_unpaired_quotes

QUOTE_CHARS = 200


def box_css(
    name: str,
    *,
    width: int,
    max_height: str = "90%",
    child: str = "Vertical",
    centred_title: bool = True,
) -> str:
    """The CSS every modal of ours shares: the screen ``name`` centres one bordered box
    (its ``child`` container) of ``width`` columns on the surface colour."""
    title = "\n        border-title-align: center;" if centred_title else ""
    return f"""
    {name} {{
        align: center middle;
    }}
    {name} > {child} {{
        width: {width};
        max-width: 100%;
        height: auto;
        max-height: {max_height};
        border: round $primary;{title}
        background: $surface;
        padding: 0 1;
    }}
"""


DIALOG_CSS = """
    {name} .dialog-help {{
        color: $text-muted;
    }}
    {name} .dialog-quote {{
        color: $text;
        text-style: italic;
        margin-bottom: 1;
    }}
"""


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = clean_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def in_quotes(text: str, limit: int = QUOTE_CHARS) -> str:
    """``short_quote(text, limit)`` in quotation marks, without doubling the marks of a
    passage that is itself one quotation, nor keeping a mark it opens and never closes."""
    start, end = trim_unpaired_quotes(text, 0, len(text))
    line = short_quote(text[start:end], limit)
    if len(line) > 1 and _PAIRS.get(line[0]) == line[-1]:
        return line
    return f"“{line}”"


_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"'}


class NoteDialog(ModalScreen[str | None]):
    """Ask for a highlight's note: ``enter`` keeps what is typed (empty: no note),
    ``escape`` cancels (dismisses with ``None``)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    """Escape cancels; enter in the input saves."""

    DEFAULT_CSS = box_css("NoteDialog", width=64) + DIALOG_CSS.format(name="NoteDialog")

    def __init__(self, quote: str, note: str = "", *, title: str = "Highlight") -> None:
        super().__init__()
        self._quote = quote
        self._note = note
        self._title = title

    def compose(self) -> ComposeResult:
        """The passage, the note input and a line of help."""
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Content(in_quotes(self._quote)), classes="dialog-quote")
            yield Input(
                value=self._note,
                placeholder="note (optional)",
                select_on_focus=False,
                id="note-input",
            )
            yield Static("enter save · empty = no note · esc cancel", classes="dialog-help")

    def on_mount(self) -> None:
        """Start in the input, the cursor after any note already there."""
        note_input = self.query_one("#note-input", Input)
        note_input.focus()
        note_input.cursor_position = len(note_input.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves the note (stripped; may be empty)."""
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without saving anything."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: ``y``/``enter`` confirm, ``n``/``escape`` cancel."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    """Keys that answer."""

    DEFAULT_CSS = box_css("ConfirmDialog", width=64) + DIALOG_CSS.format(name="ConfirmDialog")

    def __init__(self, question: str, detail: str = "", *, title: str = "Confirm") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._title = title

    def compose(self) -> ComposeResult:
        """The question, the detail (article text, shown literally) and the keys."""
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Content(self._question))
            if self._detail:
                yield Static(Content(in_quotes(self._detail)), classes="dialog-quote")
            yield Static("y / enter yes · n / esc no", classes="dialog-help")

    def action_answer(self, yes: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(yes)
