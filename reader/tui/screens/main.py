"""The app's main screen: the three panes, and the actions behind the keys of ``COMMANDS``.

Owns ``MainScreen`` (and ``open_in_browser``). Layout: header (title, count, filter, sort,
theme, library: ``widgets.header``), then the list pane (left), the
article pane (centre, widest) and the quote pane (right), the filter bar and the footer.
Its bindings come from ``commands.COMMANDS`` (``command_bindings``); their actions are
methods of this screen or of its bases, one job each: ``PaneLayout`` (panes, layout,
focus), ``ArticleDisplay`` (rows, titles, the shown article, position, read state),
``HighlightActions`` and ``ExportActions``. This module holds the list's actions, the
filter and reload.

When a screen resumes, Textual restyles every node of it if the event asks to
(``ScreenResume.refresh_styles``: ``switch_screen`` asks, in case the stylesheet changed
meanwhile). The main screen's *first* resume asks too, yet comes right after the mount that
styled every node, so the first resume skips it; every later one restyles as asked.

``Screen.focused`` repaints the whole screen when it changes (``enter`` into the article,
``escape`` back, ``tab``): every widget's lines composed and the whole screen written to
the terminal. The widgets that gain and lose the focus are restyled and repaint
themselves, so here the focus changes without that repaint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList

from reader.sanitize import clean_line, is_web_url
from reader.search.order import SORT_LABELS
from reader.tui.commands import command_bindings
from reader.tui.pending_input import after_input
from reader.tui.screens.export_worker import ExportActions
from reader.tui.widgets.article.frame import ArticleFrame
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.filter_bar import FilterBar
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.header import ReaderHeader
from reader.tui.widgets.list_pane import ListPane
from reader.tui.widgets.quote_pane import QuotePane

if TYPE_CHECKING:
    from reader.tui.dialogs.tag_filter import TagChoice


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the user's web browser; False when none could be started."""
    import webbrowser  # loaded on first use: start-up stays quick

    try:
        return bool(webbrowser.open(url))
    except (webbrowser.Error, OSError):
        return False


class MainScreen(ExportActions):
    """The default screen of ``ReaderApp``; see the module's docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [*command_bindings()]
    """Every action of ``commands.COMMANDS`` (quitting runs on the app)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """As ``Screen.focused``, without repainting the whole screen."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.restyled_on_resume = 0  # resumes that restyled every node (for tests)
        self._resumed_before = False

    # -- building ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """Header, the three panes, the filter bar and the footer."""
        yield ReaderHeader(icon="≡", parts=self._header_parts, extras=2)  # theme, library
        # The classes ``_apply_layout`` sets, set before the first styling pass (setting
        # them after mounting restyles every pane once more before the first frame).
        width = self.app.size.width
        classes = self._layout_classes(width)
        with Horizontal(id="panes", classes=" ".join(classes)):
            yield ListPane(id="list", classes="-current" if "-single" in classes else None)
            with ArticleFrame(id="article"):
                yield ArticleView(id="article-view")
            yield QuotePane(id="quotes")
        yield FilterBar(id="filter")
        yield ReaderFooter()

    def on_mount(self) -> None:
        """The list (on the last article shown), and focus on the list."""
        self._article_pane = self.article_view
        self.article_view.set_measure(self.config.text_width)
        remembered = self.reader_app.last_article
        last = remembered if isinstance(remembered, str) else None
        self._show_rows(keep=last if last and self.view.get(last) else None)
        self._show_first_article()
        self.list_pane.focus()
        self._apply_layout(self.app.size.width)
        # The first frame comes first; the library (if drawn from its snapshot) and the
        # search index load after it.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self._first_frame_shown = True
        self.list_pane.on_cursor = self._preview
        self.reader_app.first_frame_shown()

    def _show_first_article(self) -> None:
        """Show the article under the cursor in the first frame, when the start snapshot
        has the start of its text parsed; else it comes in the frame after (the Markdown
        parser loads then)."""
        current = self.list_pane.current_id
        pending = self.reader_app.pending
        if pending is None or current is None or pending.snapshot.cursor != current:
            return
        article = self.view.get(current)
        if article is not None and pending.snapshot.head_digest is not None:
            self._show_article(article)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before ``Screen``'s own handler (Textual calls the subclass's first)."""
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False  # just mounted: every node is styled
        if event.refresh_styles:
            self.restyled_on_resume += 1

    # -- the list's actions ----------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """``enter`` on a row opens the article."""
        if isinstance(event.option_list, ListPane):
            self.action_open_article()

    def action_open_article(self) -> None:
        """Open the article under the cursor: focus the article pane."""
        article = self._current()
        if article is not None:
            self._focus_pane("article")
            if article.id != self.reader_app.last_article:  # written after the frame
                article_id = article.id
                after_input(self, lambda: self.reader_app.remember_last_article(article_id))

    async def action_back(self) -> None:
        """Back to the list; on the list, clear the filter."""
        if self._current_pane != "list" or self.focused is self.filter_bar:
            self.filter_bar.close()
            self._focus_pane("list")
        elif self.view.query_text:
            self._set_query("")

    def _move(self, step: int) -> None:
        pane = self.list_pane
        if pane.option_count == 0:
            return
        current = pane.highlighted if pane.highlighted is not None else 0
        pane.highlighted = max(0, min(pane.option_count - 1, current + step))

    def action_top(self) -> None:
        """To the top of the focused pane: the first article, quotation or line."""
        self._to_end(last=False)

    def action_bottom(self) -> None:
        """To the bottom of the focused pane: the last article, quotation or line."""
        self._to_end(last=True)

    def _to_end(self, *, last: bool) -> None:
        focused = self.focused
        if focused is self.article_view:
            (self.article_view.action_bottom if last else self.article_view.action_top)()
        elif focused is self.quote_pane:
            (self.quote_pane.action_last if last else self.quote_pane.action_first)()
        elif focused is self.list_pane or focused is None:
            (self.list_pane.action_last if last else self.list_pane.action_first)()

    def action_next_article(self) -> None:
        """Show the next article in the list."""
        self._move(1)

    def action_previous_article(self) -> None:
        """Show the previous article in the list."""
        self._move(-1)

    def action_toggle_bookmark(self) -> None:
        """Bookmark or un-bookmark the current article."""
        article = self._current()
        if article is not None:
            self._article_changed(self.library.set_bookmarked(article.id, not article.bookmarked))

    def action_toggle_read(self) -> None:
        """Mark the current article read or unread."""
        article = self._current()
        if article is not None:
            self._article_changed(self.library.set_read(article.id, not article.read))

    def action_edit_tags(self) -> None:
        """Open the tag editor for the current article."""
        article = self._current()
        if article is None:
            return

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != article.tags:
                self._article_changed(self.library.set_tags(article.id, tags))

        from reader.tui.dialogs.tags import TagEditor

        self.app.push_screen(TagEditor(article.title, article.tags, self.library.all_tags()), done)

    def action_tag_filter(self) -> None:
        """Choose tags to filter by."""

        def done(choice: TagChoice | None) -> None:
            if choice is not None:
                self._tags_any_of = choice.any_of
                query = replace_tag_terms(self.view.query_text, choice.tags, any_of=choice.any_of)
                self._set_query(query)

        counts = self.library.all_tags()
        from reader.tui.dialogs.tag_filter import TagFilter
        from reader.tui.library_view import replace_tag_terms, tag_terms, tags_any_of

        query = self.view.query_text
        chosen = tag_terms(query)
        any_of = tags_any_of(query) if len(chosen) > 1 else self._tags_any_of
        self.app.push_screen(TagFilter(counts, chosen, any_of=any_of), done)

    def action_cycle_sort(self) -> None:
        """Sort by the next order; remembered in the library's settings."""
        sort = self.view.cycle_sort()
        self.library.set_setting("sort", sort)
        self._show_rows()
        self.notify(f"Sorted by {SORT_LABELS[sort]}", timeout=2)

    def action_open_url(self) -> None:
        """Open the article's web address (http and https only) in the browser."""
        article = self._current()
        if article is None:
            return
        if not article.url:
            self.notify("This article has no web address", severity="warning")
        elif not is_web_url(article.url):
            self.notify("Not a web address: only http and https open", severity="warning")
        else:
            url = clean_line(article.url)
            if open_in_browser(url):
                self.notify("Opened in the browser", timeout=2)
                return

            def done(copy: bool | None) -> None:
                if copy:
                    self.app.copy_to_clipboard(url)
                    self.notify(f"Copied web address: {url}", timeout=3, markup=False)

            from reader.tui.dialogs.note_confirm import ConfirmDialog

            self.app.push_screen(
                ConfirmDialog(
                    "No web browser could be opened from here. Copy the address instead?",
                    url,
                    title="Open in the browser",
                ),
                done,
            )

    def action_help(self) -> None:
        """Show every key."""
        from reader.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(ArticleView.BINDINGS, QuotePane.HELP_ROWS))

    # -- the filter --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is a priority key (it must move the focus before the keys typed after it
        are handed out); it still types a ``/`` into an input or a dialog."""
        if action == "open_article":  # the article is open already: enter does nothing
            return self.focused is not self.article_view
        busy = isinstance(self.focused, Input) or len(self.app.screen_stack) > 1
        return not (action == "filter" and busy)

    def action_filter(self) -> None:
        """Open the filter bar."""
        self.filter_bar.open(self.view.query_text)

    def _set_query(self, text: str, *, typing: bool = False) -> None:
        self.idle_collector.note_activity()
        self.view.set_query(text)
        self.filter_bar.show_problem(self.view.problem)
        self._show_rows(typing=typing)

    def on_filter_bar_query_changed(self, event: FilterBar.QueryChanged) -> None:
        """Filter as the user types."""
        self._set_query(event.text, typing=True)

    def on_filter_bar_query_done(self, event: FilterBar.QueryDone) -> None:
        """Keep the filter and go back to the list."""
        self.filter_bar.close()
        self._update_titles()
        if not self.view.rows:
            self._show_article(None)
        self._focus_pane("list")

    def on_filter_bar_query_cancelled(self, event: FilterBar.QueryCancelled) -> None:
        """Clear the filter and go back to the list."""
        self.filter_bar.close()
        self._set_query("")
        self._focus_pane("list")

    # -- reload, sync ------------------------------------------------------------------------
    def action_sync(self) -> None:
        """Sync the library with the other machines, in the background."""
        self.save_unsaved_position()
        self.reader_app.syncer.start()

    def action_reload(self) -> None:
        """Re-read the library file now."""
        changed = self.reload()
        self.notify(f"Reloaded: {self.view.total} articles" if changed else "Up to date")

    def reload(self) -> bool:
        """Re-read the library file; whether it had changed."""
        if not self.view.refresh():
            return False
        self.reader_app.index_in_background()
        self._show_rows()
        if self._shown is not None:
            fresh = self.view.get(self._shown.id)
            if fresh is None:
                self._show_article(None)
            else:
                self._shown = fresh
        return True
