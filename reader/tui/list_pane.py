"""The list pane: one row per article, on the left.

Owns ``ListPane`` (an ``OptionList``, which renders only the rows on screen) and
``article_row`` (the two-line prompt of one article). A row shows the bookmark mark, the
unread mark or the reading progress, the title, then date, reading time, tags and site.
Rows are Textual ``Content`` assembled from plain strings: a title such as ``[bold]`` or
``[@click=app.quit]`` is shown literally, never interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.models import Article

BOOKMARK_MARK = "★"
UNREAD_MARK = "●"


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
        (article.published or article.added or "")[:10],
        f"{article.reading_minutes}m" if article.reading_minutes else "",
        " ".join(f"#{tag}" for tag in article.tags),
        article.site or "",
    ]
    return Content.assemble(
        (BOOKMARK_MARK if article.bookmarked else " ", "$accent bold"),
        (progress_mark(article), "$text-muted" if article.read else "$primary bold"),
        (article.title, "" if article.read else "bold"),
        "\n     ",
        (" · ".join(d for d in details if d), "$text-muted"),
    )


class ArticleOption(Option):
    """An option for one article (its id is the option id); the row is built when first
    drawn, so filling the list with 10,000 articles builds only the rows on screen."""

    def __init__(self, article: Article) -> None:
        super().__init__("", id=article.id)
        self._prompt = None
        self.article = article

    @property
    def prompt(self) -> Content:
        """The row, built on first use."""
        if self._prompt is None:
            self._prompt = article_row(self.article)
        return self._prompt  # type: ignore[return-value]


class ListPane(OptionList):
    """The article list. Posts ``OptionHighlighted`` as the cursor moves (the app previews)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    """Vim keys besides the arrows; ``enter`` (select) is the option list's own."""

    DEFAULT_CSS = """
    ListPane {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    ROW_HEIGHT = 2
    """Every row is exactly two lines (no wrapping), which lets ``_update_lines`` skip
    measuring 10,000 rows one by one."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height of all rows, without measuring each."""
        return len(self.options) * self.ROW_HEIGHT

    def _update_lines(self) -> None:
        """OptionList's line table, filled knowing every row is ``ROW_HEIGHT`` lines.

        The stock method renders each option to learn its height: ~0.5 s for 10,000 rows.
        """
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        height = self.ROW_HEIGHT
        for index in range(next_index, len(self.options)):
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = height
            lines.extend([(index, line) for line in range(height)])
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Articles"

    @property
    def current_id(self) -> str | None:
        """The id of the article under the cursor."""
        option = self.highlighted_option
        return option.id if option is not None else None

    def show_articles(self, articles: Sequence[Article], keep: str | None = None) -> None:
        """Replace the rows; put the cursor on ``keep`` when shown, else the first row."""
        self.set_options(ArticleOption(a) for a in articles)
        if not articles:
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
        try:
            self.replace_option_prompt(article.id, article_row(article))
        except Exception:  # not shown under the current filter
            return
