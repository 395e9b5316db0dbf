"""The highlight keys of the main screen: select, keep, note, delete, jump, copy.

Owns ``HighlightActions`` (a base of ``MainScreen``): ``v`` selects (article pane), ``h``
keeps the selection or the quotation under the quote-pane cursor (asking for a note),
``N``/``d`` edit the note / delete (quote pane), ``[``/``]`` jump, ``y`` copies.
"""

from __future__ import annotations

from reader.errors import ReaderError
from reader.sanitize import clean_line
from reader.tui.screens.article_display import ArticleDisplay
from reader.tui.widgets.quote_pane import QuoteEntry


class HighlightActions(ArticleDisplay):
    """The actions on highlights and the selection; see the module's docstring."""

    def action_start_selection(self) -> None:
        """Open the article and select the sentence at the top of the view."""
        if self._shown is None:
            return
        if not self.article_view.has_focus:
            self._focus_pane("article")
        self.article_view.start_selection()

    def _quote_entry(self) -> QuoteEntry | None:
        """The quote-pane entry under the cursor when the quote pane has the focus."""
        return self.quote_pane.current if self.focused is self.quote_pane else None

    def action_highlight(self) -> None:
        """Keep the selection (or the quotation under the quote-pane cursor) as a highlight,
        after asking for an optional note."""
        article = self._shown
        if article is None:
            return
        entry = self._quote_entry()
        if entry is not None:
            if entry.kind == "highlight":
                self.notify("That is already a highlight", timeout=3)
                return
            anchor: tuple[int | None, int, int, str] | None = (
                entry.paragraph,
                entry.start,
                entry.end,
                entry.text,
            )
            end_paragraph = None
        else:
            anchor = self.article_view.selection
            end_paragraph = self.article_view.selection_end_paragraph
        if anchor is None:
            self.notify(
                "Nothing selected: press v in the article (or drag with the mouse), then h",
                timeout=4,
            )
            return
        paragraph, start, end, text = anchor

        def done(note: str | None) -> None:
            if note is None:
                self.notify("Highlight cancelled", timeout=2)
                return
            try:
                highlight = self.library.add_highlight(
                    article.id,
                    text,
                    note=note or None,
                    paragraph=paragraph,
                    start=start,
                    end=end,
                    end_paragraph=end_paragraph,
                )
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            if entry is None:
                self.article_view.cancel_selection()
            if self._shown is not None and self._shown.id == article.id:
                self._refresh_highlights(select=highlight.id)
            self.notify("Highlight saved" + (" with a note" if note else ""), timeout=2)

        from reader.tui.dialogs.note_confirm import NoteDialog

        self.app.push_screen(NoteDialog(text), done)

    def _highlight_entry(self) -> QuoteEntry | None:
        entry = self._quote_entry()
        if entry is None or entry.kind != "highlight" or entry.highlight_id is None:
            self.notify("Put the quote-pane cursor on a highlight first", timeout=3)
            return None
        return entry

    def action_delete_highlight(self) -> None:
        """Delete the highlight under the quote-pane cursor, after asking."""
        entry = self._highlight_entry()
        if entry is None or entry.highlight_id is None:
            return
        hid = entry.highlight_id
        index = self.quote_pane.highlighted

        def done(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.library.remove_highlight(hid)
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            self._refresh_highlights(keep=index)
            self.notify("Highlight deleted", timeout=2)

        from reader.tui.dialogs.note_confirm import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog("Delete this highlight?", entry.text, title="Delete highlight"), done
        )

    def action_edit_note(self) -> None:
        """Edit the note of the highlight under the quote-pane cursor."""
        entry = self._highlight_entry()
        if entry is None or entry.highlight_id is None:
            return
        hid = entry.highlight_id

        def done(note: str | None) -> None:
            if note is None:
                return
            try:
                self.library.set_highlight_note(hid, note or None)
            except ReaderError as err:
                self.notify(clean_line(str(err)), severity="error", markup=False)
                return
            self._refresh_highlights(select=hid)
            self.notify("Note saved" if note else "Note removed", timeout=2)

        from reader.tui.dialogs.note_confirm import NoteDialog

        self.app.push_screen(NoteDialog(entry.text, entry.note or "", title="Note"), done)

    def action_next_highlight(self) -> None:
        """Scroll the article to the next highlight."""
        self.article_view.next_highlight()

    def action_prev_highlight(self) -> None:
        """Scroll the article to the previous highlight."""
        self.article_view.prev_highlight()

    def action_copy(self) -> None:
        """Copy the quote-pane entry, else the selection, else the article's web address."""
        from reader.tui.dialogs.note_confirm import in_quotes

        entry = self._quote_entry()
        selection = self.article_view.selection
        if entry is not None:
            text, what = entry.text, entry.kind if entry.kind == "highlight" else "quotation"
        elif selection is not None:
            text, what = selection[3], "selection"
        elif self._shown is not None and self._shown.url and clean_line(self._shown.url):
            text, what = clean_line(self._shown.url), "web address"
        else:
            self.notify("Nothing to copy", timeout=2)
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what}: {in_quotes(text, 60)}", timeout=3, markup=False)
