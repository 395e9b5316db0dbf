"""Showing articles on the main screen: the list's rows, the titles, the article pane and
the quote pane, the reading position and the read state.

Owns ``ArticleDisplay`` (a base of ``MainScreen``). Every change goes to the library at
once; the reading position is written when the article pane reports it settled
(``PositionChanged``), and at once when another article is shown or the app quits (so a
scroll inside the 0.5 s debounce is not lost).

Read state: reaching the end marks an article read only once the user has *opened* it —
the article pane has the focus (enter, tab or a click) or the user scrolled it. A short
article previewed while moving down the list is not marked read; opening it is enough.

The header shows the shown article's title (cleaned with ``clean_line``), then the count,
filter, sort, theme and library, laid out by priority (``widgets.header.fit_header``); the
terminal window shows the title too (``reader.tui.terminal_title``).
"""

from __future__ import annotations

import contextlib

from textual import events
from textual.widgets import OptionList

from reader.errors import ReaderError
from reader.models import Article
from reader.sanitize import clean_line
from reader.search.order import SORT_LABELS
from reader.tui.pending_input import after_input
from reader.tui.screens.pane_layout import NARROW, PaneLayout
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.list_pane import ArticleOption, ListPane
from reader.tui.widgets.quote_pane import QuotePane

TITLE_CHARS = 60  # the article's title in the terminal's window title is cut to this


def unfetched_notice(article: Article) -> str:
    """What the article pane shows for an article saved by its address only."""
    return (
        "This article was saved by its address only; its text has not been fetched yet.\n\n"
        f"{clean_line(article.url) or '(no address)'}\n\n"
        f"Fetch it with `reader fetch {article.id}` (or `reader fetch --all`)."
    )


class ArticleDisplay(PaneLayout):
    """Rows, titles, the shown article, its position and read state; see the module doc."""

    # -- titles ----------------------------------------------------------------------------
    def _update_window_title(self) -> None:
        """The header's title: the article shown (cleaned; the header cuts it to fit)."""
        if self._shown is None:
            self.app.title = "reader"
            return
        name = clean_line(self._shown.title) or "(untitled)"
        self.app.title = name
        if len(name) > TITLE_CHARS:
            name = name[: TITLE_CHARS - 1] + "…"
        self.reader_app.terminal_title.set(f"{name} — reader")

    def _header_parts(self) -> list[str]:
        """What the header shows after the title, highest priority first (see
        ``widgets.header.fit_header``): count, filter, sort, theme, library."""
        shown, total = len(self.view.rows), self.view.total
        described = self.view.describe() or self.view.query_text
        return [
            f"{shown} of {total} articles" if described else f"{total} articles",
            f"filter: {described}" if described else "",
            f"sort: {SORT_LABELS[self.view.sort]}",
            f"theme: {self.app.theme}",
            self.reader_app.library_label,
        ]

    def _update_titles(self, *, typing: bool = False) -> None:
        """Header: title, count, filter, sort, theme and library. While the user types a
        filter the header follows a moment later (a header change lays out the whole
        screen)."""
        self._update_window_title()
        text = " · ".join(part for part in self._header_parts() if part)
        border_title = f"Articles ({len(self.view.rows)})"
        if self.list_pane.border_title != border_title:  # (setting it redraws the pane)
            self.list_pane.border_title = border_title
        if self._title_timer is not None:
            self._title_timer.stop()
            self._title_timer = None
        if typing:
            self._title_timer = self.set_timer(0.3, lambda: setattr(self.app, "sub_title", text))
        else:
            self.app.sub_title = text

    # -- the list ----------------------------------------------------------------------------
    def _show_rows(self, keep: str | None = None, *, typing: bool = False) -> None:
        """Refill the list from the view, keeping the cursor on ``keep`` (or where it was).
        No rows: the list says why, and the article and quote panes are cleared."""
        pane = self.list_pane
        keep = keep or pane.current_id or (self._shown.id if self._shown else None)
        pane.show_articles(self.view.rows, keep, empty=self._empty_list_text())
        self._update_titles(typing=typing)
        if not self.view.rows and self._shown is not None:
            self._show_article(None)

    def _empty_list_text(self) -> str:
        """What the list says when it shows no article."""
        if self.view.total == 0:
            return "No articles yet: add some with `reader add FILE-OR-URL`."
        described = self.view.describe() or self.view.query_text
        return f"No articles match {described}" if described else "No articles match"

    def _article_changed(self, article: Article) -> None:
        """Redraw after a change to one article that the library already saved."""
        if self.view.note_changed(article):  # same rows: redraw this one's only
            self.list_pane.update_article(article)
            self._update_titles()
        else:
            self._show_rows(keep=article.id)
        if self._shown is not None and self._shown.id == article.id:
            self._shown = article
            self.article_view.update_article(article)  # its header shows the tags

    def library_replaced(self) -> None:
        """The app put the opened library in place of its start snapshot: the same rows,
        from the real list (the article shown stays, or goes if it is gone)."""
        if self._article_pane is None:
            return
        shown = self._shown
        self._show_rows(keep=shown.id if shown is not None else None)
        if shown is not None:
            fresh = self.view.get(shown.id)
            if fresh is None:
                self._show_article(None)
            else:
                self._shown = fresh

    def _preview(self, article: Article) -> None:
        """Show the article under the list cursor (``ListPane.on_cursor``, set once the
        first frame is drawn: the panes have their sizes by then)."""
        if self._shown is None or self._shown.id != article.id:
            self._show_article(self.view.get(article.id) or article)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Preview the article under the list cursor, if ``_preview`` has not yet."""
        # (by type, not ``self.list_pane``: a message may arrive as the app tears down)
        if isinstance(event.option_list, ListPane) and isinstance(event.option, ArticleOption):
            self._preview(event.option.article)

    def _current(self) -> Article | None:
        current_id = self.list_pane.current_id
        return self.view.get(current_id) if current_id else None

    # -- the article -----------------------------------------------------------------------------
    def _show_article(self, article: Article | None) -> None:
        self.save_unsaved_position()
        if (article is None) != (self._shown is None):
            self.refresh_bindings()  # footer keys that need an article (re-lays out the footer)
        self._shown = article
        self._end_seen = None
        self._update_window_title()
        self.idle_collector.note_activity()
        if article is None:
            self._quotations = []
            self._shown_highlights = []
            self.article_view.clear()
            self.quote_pane.clear()
            return
        markdown = self.library.body(article.id)
        if markdown is None and article.unfetched:
            markdown = unfetched_notice(article)
        highlights = self.library.highlights(article.id)
        self._shown_highlights = highlights
        # The start snapshot may have the start of this text parsed (the first screen).
        head = None
        pending = self.reader_app.pending
        if pending is not None and markdown is not None:
            head = pending.snapshot.head_for(article.id, markdown)
        self.article_view.show(article, markdown, highlights, article.position, head=head)
        # The quote pane follows in a later frame (``_fill_quote_pane``): its quotations
        # are found once the text is laid out, unless they were found before.
        self._quotations = self._quotations_seen.get((article.id, article.content_hash), [])
        self.quote_pane.forget()
        article_id = article.id
        after_input(self, lambda: self._fill_quote_pane(article_id))

    def _fill_quote_pane(self, article_id: str) -> None:
        """(A frame after the article.) The shown article's highlights, and its quotations
        when its text is laid out (else they come with ``ArticleView.Ready``)."""
        if self._shown is None or self._shown.id != article_id:
            return  # another article is shown by now
        if self.article_view.ready and not self._quotations:
            self._find_quotations(article_id)
        self.quote_pane.show(self._shown_highlights, self._quotations)

    def on_article_view_ready(self, event: ArticleView.Ready) -> None:
        """The article is laid out: find its quotations for the quote pane, after the
        frame that shows the text and the keys pressed meanwhile (``after_input``)."""
        article_id = event.article_id
        after_input(self, lambda: self._find_quotations(article_id))

    def _find_quotations(self, article_id: str) -> None:
        if self._shown is None or self._shown.id != article_id or self._quotations:
            return  # another article is shown by now, or this one's are found
        key = (article_id, self._shown.content_hash)
        found = self._quotations_seen.get(key)
        if found is None:
            from reader.quotes import find_quotations

            found = find_quotations(self.article_view.paragraphs)
            self._quotations_seen.set(key, found)
        self._quotations = found
        self.quote_pane.show(self._shown_highlights, self._quotations)

    def _refresh_highlights(self, *, keep: int | None = None, select: str | None = None) -> None:
        """Show the shown article's highlights again (article marks and quote pane)."""
        article = self._shown
        if article is None:
            return
        highlights = self.library.highlights(article.id)
        self._shown_highlights = highlights
        self.article_view.set_highlights(highlights)
        self.quote_pane.show(highlights, self._quotations, keep=keep)
        if select is not None:
            self.quote_pane.select_highlight(select)
        fresh = self.view.get(article.id)
        if fresh is not None:
            with contextlib.suppress(ReaderError):
                self._article_changed(self.library.get(article.id))

    def on_quote_pane_jump(self, event: QuotePane.Jump) -> None:
        """Scroll the article to the chosen highlight or quotation."""
        if self.size.width < NARROW:  # one pane at a time: show the article, then scroll it
            self._focus_pane("article")
            jump = self.article_view.scroll_to_paragraph
            self.call_after_refresh(jump, event.paragraph, event.start)
            return
        self.article_view.scroll_to_paragraph(event.paragraph, event.start)

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        """The footer shows "cancel selection" only while there is one."""
        self.refresh_bindings()

    # -- position and read state -------------------------------------------------------------
    def save_unsaved_position(self) -> None:
        """Save the reading place the article pane has not reported yet (debounced)."""
        view = self._article_pane
        unsaved = view.take_unsaved_position() if view is not None else None
        if unsaved is None:
            return
        article = self.view.get(unsaved[0])
        if article is None or abs(article.position - unsaved[1]) < 1e-4:
            return
        try:
            changed = self.library.set_position(article.id, float(unsaved[1]))
        except (ReaderError, OSError):
            return
        if self.app.is_running and self._article_pane is not None:
            self._article_changed(changed)

    def on_article_view_position_changed(self, event: ArticleView.PositionChanged) -> None:
        """Save the reading position (the view posts it once scrolling settles)."""
        article = self.view.get(event.article_id)
        if article is None or abs(article.position - event.progress) < 1e-4:
            return
        self._article_changed(self.library.set_position(article.id, float(event.progress)))

    def _article_opened(self) -> bool:
        """The user is reading the shown article, not just previewing it from the list."""
        view = self.article_view
        return view.has_focus or view.scroll_y > 0

    def on_article_view_reached_end(self, event: ArticleView.ReachedEnd) -> None:
        """Reading to the end of an opened article marks it read (see the module doc)."""
        if self._article_opened():
            self._mark_read(event.article_id)
        else:
            self._end_seen = event.article_id

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Track which pane is current (the one shown in one-pane mode); opening an
        article whose end showed in the preview marks it read."""
        pane = self._pane_of(event.widget)
        if pane is not None and pane != self._current_pane:
            self._current_pane = pane
            self._apply_layout(self.size.width)
        if (
            pane == "article"
            and self._shown is not None
            and self._end_seen == self._shown.id
            and self.article_view.end_visible
        ):
            self._mark_read(self._shown.id)

    def _mark_read(self, article_id: str) -> None:
        self._end_seen = None
        article = self.view.get(article_id)
        if article is not None and not article.read:
            self._article_changed(self.library.set_read(article.id, True))
