"""Shared by the article-view tests (no tests here): an app holding only the article view,
and the wait for a long article's whole layout."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot

from reader.models import Article, Highlight
from reader.tui.widgets.article.view import ArticleView


class ViewApp(App[None]):
    """Mounts only the article view and records the messages it posts. ``g``/``G`` (and
    home/end) reach the view as the reader app's ``top``/``bottom`` commands do."""

    BINDINGS = [Binding("g,home", "top", "Top"), Binding("G,end", "bottom", "Bottom")]

    def action_top(self) -> None:
        self.query_one(ArticleView).action_top()

    def action_bottom(self) -> None:
        self.query_one(ArticleView).action_bottom()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield ArticleView()

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.messages.append(message)

    def on_article_view_reached_end(self, message: ArticleView.ReachedEnd) -> None:
        self.messages.append(message)

    def on_article_view_ready(self, message: ArticleView.Ready) -> None:
        self.messages.append(message)

    def on_article_view_position_changed(self, message: ArticleView.PositionChanged) -> None:
        self.messages.append(message)


async def show_whole(
    pilot: Pilot[None],
    article: Article,
    markdown: str,
    highlights: Sequence[Highlight] = (),
    position: float = 0.0,
) -> ArticleView:
    """The app's article view showing ``markdown``, its whole layout in place: the layout
    worker of a long body starts once the preview is drawn, so a frame comes first."""
    view = pilot.app.query_one(ArticleView)
    view.show(article, markdown, highlights, position)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return view
