"""The reading position of the article pane, and its end.

Owns ``ArticlePosition``, a base of ``ArticleView``: it reports the reading position
(``ArticleView.PositionChanged``, debounced by ``POSITION_DEBOUNCE_SECONDS``; a scroll not
reported yet is handed over by ``take_unsaved_position``) and the end of the article coming
into view (``ArticleView.ReachedEnd``, once per ``show``).
"""

from __future__ import annotations

from textual.message import Message
from textual.timer import Timer

from reader.models import Article
from reader.tui.widgets.article.selection import ArticleSelection

POSITION_DEBOUNCE_SECONDS = 0.5


class ArticleMessage(Message):
    """A message of the article pane about one article (``article_id``)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class ArticlePosition(ArticleSelection):
    """The reading position and the end; see the module's docstring."""

    class PositionChanged(Message, namespace="article_view"):
        """The reading position settled (posted ~0.5 s after scrolling stops)."""

        def __init__(self, article_id: str, progress: float) -> None:
            super().__init__()
            self.article_id = article_id
            self.progress = progress

    class ReachedEnd(ArticleMessage, namespace="article_view"):
        """The end of the article became visible (once per ``show``)."""

    def __init__(self, **kwargs: str | None) -> None:  # name, id, classes: as Widget's
        super().__init__(**kwargs)
        self._article: Article | None = None
        self._position_timer: Timer | None = None
        self._reached_end_sent = False
        self._pending_position: float | None = None
        self._unsaved: tuple[str, float] | None = None

    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self._article

    @property
    def progress(self) -> float:
        """Position in the article, 0..1 (1 when it fits on one screen)."""
        max_y = self.max_scroll_y
        if max_y <= 0:
            return 1.0 if self._doc.lines else 0.0
        return min(1.0, max(0.0, self.scroll_y / max_y))

    @property
    def end_visible(self) -> bool:
        """The last row of the article is on screen (a short article: at once)."""
        height = self.scrollable_content_region.height
        return (
            bool(self._doc.blocks)
            and not self._doc.partial
            and height > 0
            and (int(self.scroll_y) + height >= len(self._doc.lines))
        )

    def take_unsaved_position(self) -> tuple[str, float] | None:
        """``(article_id, progress)`` of a scroll not yet reported by ``PositionChanged``
        (the debounce had not fired), and forget it: the caller saves it now."""
        unsaved, self._unsaved = self._unsaved, None
        if self._position_timer is not None:
            self._position_timer.stop()
            self._position_timer = None
        if unsaved is not None and self._doc.partial:
            return None  # scrolled in a preview: its fraction means nothing yet
        return unsaved

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) == round(new_value):
            return
        if self._position_timer is not None:
            self._position_timer.stop()
        if self._article is not None and self._pending_position is None:
            self._unsaved = (self._article.id, self.progress)
            self._position_timer = self.set_timer(POSITION_DEBOUNCE_SECONDS, self._post_position)
        self._check_end()

    def _post_position(self) -> None:
        self._position_timer = None
        if self._doc.partial:  # the fraction is known once the whole text is laid out
            self._position_timer = self.set_timer(POSITION_DEBOUNCE_SECONDS, self._post_position)
            return
        self._unsaved = None
        if self._article is not None:
            self.post_message(self.PositionChanged(self._article.id, self.progress))

    def _check_end(self) -> None:
        if self._article is None or self._reached_end_sent:
            return
        if self.end_visible:
            self._reached_end_sent = True
            self.post_message(self.ReachedEnd(self._article.id))
