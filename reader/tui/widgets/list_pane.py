"""The list pane: two lines per article, on the left, drawn only where it shows.

Owns ``ListPane`` (a virtual list: a ``ScrollView`` whose ``render_line`` draws the rows on
screen and nothing else, so 50,000 articles cost what 20 do), ``ArticleOption`` (what
``get_option_at_index`` returns and what the cursor messages carry) and ``article_row`` (the
two-line look of one article). A row shows the bookmark mark, the unread mark or the reading
progress, the title, then a dim line of date, reading time, tags and site.

Rows are Textual ``Content`` assembled from plain strings: a title such as ``[bold]`` or
``[@click=app.quit]`` is shown literally, never interpreted as markup. The store already
cleaned control characters out of every field; the row cleans them again (``clean_line``)
so a title can never reach the terminal as an escape.

Speed: ``show_articles`` only swaps the list and refreshes (O(1) besides finding the kept
article); rendered rows are cached by (article, width, style) and dropped by
``update_article`` when an article changes.

The cursor comes first: a move redraws the two rows it leaves and enters, and the frame
showing it is drawn before anything else the move causes. Only then is the app told
(``on_cursor``, then ``ListPane.OptionHighlighted``), once, for the row the cursor rests on:
moves made before that frame (a key held down, keys queued) cost a row redraw each and
nothing more.

Messages: the pane posts ``ListPane.OptionHighlighted`` after the cursor's frame and
``ListPane.OptionSelected`` on ``enter`` or a click. They subclass ``OptionList``'s
messages of the same names and keep their handler names (``on_option_list_option_...``)
and attributes (``option_list``, ``option`` with ``.id``, ``option_index``), so code
written for the earlier ``OptionList`` pane keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import OptionList

from reader.models import Article
from reader.sanitize import clean_line
from reader.timestamps import local_day
from reader.tui.pending_input import after_input
from reader.tui.scroll_range import set_scroll_range
from reader.tui.widgets.focus_styles import PaneFocusStyles

ANNOUNCE_AT_LATEST = 0.25
"""Seconds after a cursor move by which the app hears of it even if no frame drew it."""
BOOKMARK_MARK = "★"
UNREAD_MARK = "●"
ROW_HEIGHT = 2
"""Every article takes exactly two lines (no wrapping)."""


def progress_mark(article: Article) -> str:
    """``●`` unread, ``37%`` part read, ``✓`` read; always 4 cells wide."""
    if article.read:
        return " ✓  "
    if article.position > 0.005:
        return f"{min(99, round(article.position * 100)):>3d}%"
    return f" {UNREAD_MARK}  "


def article_row(article: Article) -> Content:
    """The list row of one article: marks and title, then a dim line of details.

    Built with ``Content.assemble`` from plain strings, so article data is never markup.
    """
    details = [
        local_day(article.published or article.added),
        f"{article.reading_minutes}m" if article.reading_minutes else "",
        " ".join(f"#{tag}" for tag in article.tags),
        article.site or "",
    ]
    return Content.assemble(
        (BOOKMARK_MARK if article.bookmarked else " ", "$accent bold"),
        (progress_mark(article), "$text-muted" if article.read else "$primary bold"),
        (clean_line(article.title), "" if article.read else "bold"),
        "\n     ",
        (clean_line(" · ".join(d for d in details if d)), "$text-muted"),
    )


class ArticleOption:
    """One row of the list: the article and its id (what ``OptionList`` called an option)."""

    __slots__ = ("article", "id")

    def __init__(self, article: Article) -> None:
        self.article = article
        self.id: str | None = article.id

    @property
    def prompt(self) -> Content:
        """The row as drawn (without the cursor's style)."""
        return article_row(self.article)

    disabled = False


class ListPane(PaneFocusStyles, ScrollView, can_focus=True):
    """The article list. Posts ``OptionHighlighted`` as the cursor moves (the app previews)
    and ``OptionSelected`` on ``enter`` or a click (the app opens the article)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    """Arrows and vim keys move the cursor; ``enter`` selects (the app opens the article).
    ``g``/``G`` are the main screen's ``top``/``bottom`` commands; ``home``/``end`` (bound
    by ``ScrollView``) do the same here."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"list-pane--row", "list-pane--cursor"}
    """``list-pane--row``: every row; ``list-pane--cursor``: the row under the cursor."""

    DEFAULT_CSS = """
    ListPane {
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .list-pane--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .list-pane--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    ROW_HEIGHT = ROW_HEIGHT

    class OptionHighlighted(OptionList.OptionHighlighted, namespace="option_list"):
        """The cursor moved onto an article (``option.id`` is its id)."""

    class OptionSelected(OptionList.OptionSelected, namespace="option_list"):
        """``enter`` or a click on an article (``option.id`` is its id)."""

    highlighted: reactive[int | None] = reactive(None, always_update=True, repaint=False)
    """The row under the cursor (None when the list is empty)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.on_cursor: Callable[[Article], None] | None = None
        """Called with the article under the cursor once the frame showing the cursor's
        move is drawn, just before ``OptionHighlighted`` is posted (see the module doc).
        While it is unset (the app sets it after its first frame) a move is told at once."""
        self._announce_at_frame = False  # the app hears of the cursor once it is drawn
        self._announcing = False  # a call of ``_announce`` waits for the next frame
        self.border_title = "Articles"
        self._rows: Sequence[Article] = ()
        self._cache: LRUCache[tuple[str, int, object], tuple[Article, list[Strip]]] = LRUCache(512)
        self._drawn: int | None = None  # the row drawn with the cursor style
        self._empty_text = ""
        self._empty_strips: tuple[tuple[str, int, object], list[Strip]] | None = None
        self.render_count = 0
        """How many row renders (cache misses) happened; for tests."""

    # -- the rows ----------------------------------------------------------------------
    @property
    def option_count(self) -> int:
        """How many articles the list holds."""
        return len(self._rows)

    @property
    def articles(self) -> Sequence[Article]:
        """The articles shown, in order."""
        return self._rows

    def get_option_at_index(self, index: int) -> ArticleOption:
        """The row at ``index`` (raises ``IndexError`` outside the list)."""
        return ArticleOption(self._rows[index])

    @property
    def highlighted_article(self) -> Article | None:
        """The article under the cursor."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    @property
    def current_id(self) -> str | None:
        """The id of the article under the cursor."""
        article = self.highlighted_article
        return article.id if article is not None else None

    def show_articles(
        self, articles: Sequence[Article], keep: str | None = None, *, empty: str = ""
    ) -> None:
        """Replace the rows; put the cursor on ``keep`` when shown, else the first row.
        ``empty``: what the pane says when there are no rows ("No articles match …").

        The sequence is kept as given (not copied): the caller must not change it later.
        """
        self._rows = articles
        self._empty_text = clean_line(empty)
        self._drawn = None
        self._update_virtual_size()
        self.refresh()
        if not articles:
            self.highlighted = None
            return
        target = 0
        if keep is not None:
            for row, article in enumerate(articles):
                if article.id == keep:
                    target = row
                    break
        self.highlighted = target

    def update_article(self, article: Article) -> None:
        """Redraw one article's row after a change that keeps its place."""
        cached = list(self._cache.keys())
        for key in cached:
            if key[0] == article.id:
                self._cache.discard(key)
        rows = self._rows
        for index, shown in enumerate(rows):
            if shown.id == article.id:
                if shown is not article and isinstance(rows, list):
                    rows[index] = article
                self.refresh_lines(index * ROW_HEIGHT, ROW_HEIGHT)
                return

    def _update_virtual_size(self) -> None:
        set_scroll_range(
            self, Size(self.scrollable_content_region.width, len(self._rows) * ROW_HEIGHT)
        )

    # -- the cursor ---------------------------------------------------------------------
    def validate_highlighted(self, highlighted: int | None) -> int | None:
        """Keep the cursor on a row."""
        if highlighted is None or not self._rows:
            return None
        return max(0, min(len(self._rows) - 1, highlighted))

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Redraw the old and new cursor rows and scroll to the new one; the app hears of
        it after that frame (``_announce``)."""
        if self._drawn is not None and self._drawn != highlighted:
            self.refresh_lines(self._drawn * ROW_HEIGHT, ROW_HEIGHT)
        self._drawn = highlighted
        if highlighted is None:
            return
        self.refresh_lines(highlighted * ROW_HEIGHT, ROW_HEIGHT)
        self.scroll_to_highlight()
        if self.on_cursor is None:  # before the app's first frame: no frame to wait for
            self._announce()
            return
        if self._announce_at_frame or self._announcing:
            return
        if self.display and self.is_mounted and self.screen.is_current:
            # ``render_line`` schedules it while the frame with the cursor is made; the
            # timer is a safety net for a frame that never draws the pane
            self._announce_at_frame = True
            self.set_timer(ANNOUNCE_AT_LATEST, self._announce_if_not_drawn)
        else:  # not on screen (one-pane layout, a dialog on top): after the next frame
            self._announce_after_frame()

    def _announce_if_not_drawn(self) -> None:
        if self._announce_at_frame:
            self._announce_after_frame()

    def _announce_after_frame(self) -> None:
        """Tell the app where the cursor rests after the frame being made (and the keys
        queued by then)."""
        self._announce_at_frame = False
        if not self._announcing:
            self._announcing = True
            # (through the pane's own queue: a message posted from the screen's callback
            # would stop bubbling at the screen, which would count as its sender)
            after_input(self, lambda: self.call_later(self._announce))

    def _announce(self) -> None:
        """Tell the app where the cursor rests (``on_cursor``, ``OptionHighlighted``)."""
        self._announcing = False
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return
        article = self._rows[index]
        if self.on_cursor is not None:
            self.on_cursor(article)
        self.post_message(self.OptionHighlighted(self, ArticleOption(article), index))  # type: ignore[arg-type]

    def scroll_to_highlight(self) -> None:
        """Scroll so the cursor row is on screen."""
        if self.highlighted is None or not self.is_mounted:
            return
        self._update_virtual_size()
        self.scroll_to_region(
            Region(
                0,
                self.highlighted * ROW_HEIGHT,
                self.scrollable_content_region.width,
                ROW_HEIGHT,
            ),
            force=True,
            animate=False,
            immediate=True,
        )

    def _move(self, step: int) -> None:
        if not self._rows:
            return
        current = self.highlighted
        self.highlighted = 0 if current is None else current + step

    def action_cursor_down(self) -> None:
        """Down one article."""
        self._move(1)

    def action_cursor_up(self) -> None:
        """Up one article."""
        self._move(-1)

    def action_first(self) -> None:
        """To the first article."""
        if self._rows:
            self.highlighted = 0

    def action_last(self) -> None:
        """To the last article."""
        if self._rows:
            self.highlighted = len(self._rows) - 1

    def action_scroll_home(self) -> None:
        """``home`` (ScrollView's binding): to the first article, as ``g`` does."""
        self.action_first()

    def action_scroll_end(self) -> None:
        """``end`` (ScrollView's binding): to the last article, as ``G`` does."""
        self.action_last()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_page_down(self) -> None:
        """Down one screen of articles."""
        self._move(self._page())

    def action_page_up(self) -> None:
        """Up one screen of articles."""
        self._move(-self._page())

    def action_select(self) -> None:
        """Post ``OptionSelected`` for the article under the cursor."""
        index = self.highlighted
        if index is None or not self._rows:
            return
        option = ArticleOption(self._rows[index])
        self.post_message(self.OptionSelected(self, option, index))  # type: ignore[arg-type]

    async def _on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the clicked article and selects it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_offset.y) // ROW_HEIGHT
        if 0 <= index < len(self._rows):
            self.highlighted = index
            self.action_select()

    # -- drawing ------------------------------------------------------------------------
    def _on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self.scroll_to_highlight()  # the cursor set before the pane had a size shows too

    def notify_style_update(self) -> None:
        """Styles (theme, focus) changed: redraw (the cache is keyed by style)."""
        self.refresh()
        super().notify_style_update()

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        article = self._rows[index]
        if index == self.highlighted:
            style = self.get_visual_style("list-pane--row", "list-pane--cursor")
        else:
            style = self.get_visual_style("list-pane--row")
        key = (article.id, width, style)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is article:
            return cached[1]
        self.render_count += 1
        visual: Visual = visualize(self, article_row(article), markup=False)
        strips = Visual.to_strips(self, visual, width, ROW_HEIGHT, style)
        rich_style = style.rich_style
        strips = [strip.extend_cell_length(width, rich_style).crop(0, width) for strip in strips]
        while len(strips) < ROW_HEIGHT:
            strips.append(Strip([Segment(" " * width, rich_style)], width))
        self._cache.set(key, (article, strips))
        return strips

    @property
    def empty_text(self) -> str:
        """What the pane says while it has no rows."""
        return self._empty_text if not self._rows else ""

    def _empty_lines(self, width: int) -> list[Strip]:
        """``empty_text`` wrapped to ``width``, in the muted text colour."""
        style = self.get_visual_style("list-pane--row")
        key = (self._empty_text, width, style)
        if self._empty_strips is not None and self._empty_strips[0] == key:
            return self._empty_strips[1]
        content = Content.assemble((self._empty_text, "$text-muted italic"))
        visual: Visual = visualize(self, content, markup=False)
        lines = Visual.to_strips(self, visual, width, None, style)
        rich_style = style.rich_style
        strips = [strip.extend_cell_length(width, rich_style).crop(0, width) for strip in lines]
        self._empty_strips = (key, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        """One line of the list: half of the row at ``y`` (counting from the top shown),
        or a line of ``empty_text`` when there are no rows."""
        if self._announce_at_frame:  # this frame shows where the cursor moved
            self._announce_after_frame()
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, part = divmod(line, ROW_HEIGHT)
        if not 0 <= index < len(self._rows):
            if not self._rows and self._empty_text:
                lines = self._empty_lines(width)
                if y < len(lines):
                    return lines[y]
            return Strip.blank(width, self.get_visual_style("list-pane--row").rich_style)
        return self._row_strips(index, width)[part]
