"""The main screen's base: its state, its panes, and which of them show and have the focus.

Owns ``PaneLayout``, the base of ``MainScreen`` (``screens/main.py``): the screen's state
(the article shown, its highlights and quotations), the panes by name, the app's library,
list model and config as seen from the screen, and the responsive layout. Below ``WIDE``
columns the quote pane folds away (``\\`` brings it back); below ``NARROW`` columns one
pane shows at a time and ``tab`` moves between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.cache import LRUCache
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from reader.models import Article, Highlight
from reader.tui.widgets.article.frame import ArticleFrame
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.filter_bar import FilterBar
from reader.tui.widgets.list_pane import ListPane
from reader.tui.widgets.quote_pane import QuotePane

if TYPE_CHECKING:
    from reader.quotes import Quotation
    from reader.settings.config import Config
    from reader.store import Library
    from reader.tui.app import ReaderApp
    from reader.tui.idle_gc import IdleCollector
    from reader.tui.library_view import LibraryView

WIDE = 100  # at least this many columns: all three panes
NARROW = 70  # fewer columns than this: one pane at a time
QUOTATIONS_KEPT = 64  # articles whose quotations are remembered


class PaneLayout(Screen[None]):
    """The main screen's state, panes and layout; see the module's docstring."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._shown: Article | None = None
        self._title_timer: Timer | None = None
        self._shown_highlights: list[Highlight] = []
        self._quotations: list[Quotation] = []
        # Quotations found per (article, text): moving back and forth finds them once.
        self._quotations_seen: LRUCache[tuple[str, str], list[Quotation]] = LRUCache(
            QUOTATIONS_KEPT
        )
        self._first_frame_shown = False
        self._quotes_wanted: bool | None = None  # None: fold by width
        self._tags_any_of = False  # the tag filter's last choice: any (else all) ticked tags
        self._current_pane = "list"
        self._end_seen: str | None = None  # article whose end showed before it was opened
        self._article_pane: ArticleView | None = None

    # -- the app's side ----------------------------------------------------------------------
    @property
    def reader_app(self) -> ReaderApp:
        """The app this screen belongs to."""
        return cast("ReaderApp", self.app)

    @property
    def library(self) -> Library:
        """The app's library."""
        return self.reader_app.library

    @property
    def view(self) -> LibraryView:
        """The app's list model (query, order, rows)."""
        return self.reader_app.view

    @property
    def config(self) -> Config:
        """The app's config."""
        return self.reader_app.config

    @property
    def idle_collector(self) -> IdleCollector:
        """The app's idle-time garbage collector."""
        return self.reader_app.idle_collector

    @property
    def shown(self) -> Article | None:
        """The article the article pane shows."""
        return self._shown

    # -- the panes ---------------------------------------------------------------------------
    @property
    def list_pane(self) -> ListPane:
        """The article list."""
        return self.query_one("#list", ListPane)

    @property
    def article_view(self) -> ArticleView:
        """The article pane."""
        return self.query_one("#article-view", ArticleView)

    @property
    def quote_pane(self) -> QuotePane:
        """The quote pane."""
        return self.query_one("#quotes", QuotePane)

    @property
    def filter_bar(self) -> FilterBar:
        """The search box."""
        return self.query_one("#filter", FilterBar)

    # -- layout ----------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        """Fold panes to fit the terminal."""
        self._apply_layout(event.size.width)

    def _pane_order(self) -> list[str]:
        panes = ["list", "article"]
        if self._quotes_visible(self.size.width) or self.size.width < NARROW:
            panes.append("quotes")
        return panes

    def _quotes_visible(self, width: int) -> bool:
        if self._quotes_wanted is not None:
            return self._quotes_wanted
        return width >= WIDE

    def _layout_classes(self, width: int) -> list[str]:
        """The classes of ``#panes`` at ``width`` columns."""
        if width < NARROW:
            return ["-single"]
        return [] if self._quotes_visible(width) else ["-no-quotes"]

    def _apply_layout(self, width: int) -> None:
        panes = self.query_one("#panes")
        wanted = self._layout_classes(width)
        panes.set_class("-single" in wanted, "-single")
        panes.set_class("-no-quotes" in wanted, "-no-quotes")
        # ``-current`` matters in one-pane mode only; wider, moving between panes changes
        # no class (a class change restyles the pane and everything in it)
        single = "-single" in wanted
        for pane_id in ("list", "article", "quotes"):
            current = single and pane_id == self._current_pane
            self.query_one(f"#{pane_id}").set_class(current, "-current")

    def _pane_of(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if widget.id in ("list", "article", "quotes"):
                return widget.id
            widget = widget.parent  # type: ignore[assignment]
        return None

    def _focus_pane(self, pane: str) -> None:
        self._current_pane = pane
        self._apply_layout(self.size.width)
        # The frame's border changes now, in the key's frame (the view's own focus event
        # comes after Textual has drawn the view once more).
        self.query_one("#article", ArticleFrame).show_focus(pane == "article")
        # ``set_focus``, not ``Widget.focus``: that draws the widget anew first, and moves
        # the focus only after the next message.
        self.set_focus(self.article_view if pane == "article" else self.query_one(f"#{pane}"))

    def cycle_pane(self, step: int) -> None:
        """Focus the next (``step`` 1) or previous (-1) pane; on a dialog, its next field."""
        if self.app.screen is not self.app.screen_stack[0]:
            (self.app.screen.focus_next if step > 0 else self.app.screen.focus_previous)()
            return
        if self.focused is self.filter_bar:
            self._focus_pane("list")
            return
        order = self._pane_order()
        current = self._current_pane if self._current_pane in order else "list"
        self._focus_pane(order[(order.index(current) + step) % len(order)])

    def action_toggle_quotes(self) -> None:
        """Show or hide the quote pane (at any width)."""
        self._quotes_wanted = not self._quotes_visible(self.size.width)
        if not self._quotes_wanted and self._current_pane == "quotes":
            self._focus_pane("article")
        self._apply_layout(self.size.width)
