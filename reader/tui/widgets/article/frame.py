"""The article pane's border: a frame around ``ArticleView`` that shows where the focus is.

Owns ``ArticleFrame``. The frame (``#article``) draws the pane's border and takes the
layout's classes; the view (``#article-view``) draws the text. When the view gains or
loses the focus only the frame is restyled (its ``-focused`` class): restyling the view
would style its many component classes again and draw every visible row anew, for a
border colour. Callers move the focus to the view, never to the frame.
"""

from __future__ import annotations

from textual.containers import Container


class ArticleFrame(Container, can_focus=False):
    """The border around the article view; see the module's docstring."""

    def show_focus(self, focused: bool) -> None:
        """Draw the border as the focused pane's (``focused``) or as the others'."""
        if self.has_class("-focused") != focused:
            self.set_class(focused, "-focused", update=False)
            if self.is_attached:
                self.app.stylesheet.apply(self, animate=True)
