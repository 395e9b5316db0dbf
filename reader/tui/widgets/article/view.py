"""The centre pane: one article as a virtual, line-rendered, scrollable view.

Owns ``ArticleView``: the widget, its keys and its theme-driven styles. Its jobs are in its
bases, one module each: ``loading`` (parse, lay out, preview and worker, the document
cache), ``position`` (reading position, the end), ``selection`` (selection, highlight
jumps, the mouse), ``strips`` (drawing the visible rows); ``layout`` wraps the blocks into
rows. It reports ``Ready``, ``PositionChanged``, ``ReachedEnd`` and ``SelectionChanged``.

Article text is untrusted: it is cleaned with ``reader.sanitize.clean_text`` and drawn from
plain strings as Rich ``Text``/``Segment`` objects; no markup is ever parsed from it.

Colours come from the theme through component classes (see ``DEFAULT_CSS``), so the shell
only has to pick a Textual theme.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from reader.tui.pending_input import after_input
from reader.tui.widgets.article.frame import ArticleFrame
from reader.tui.widgets.article.layout import MEASURE_STEP
from reader.tui.widgets.article.loading import ArticleLoading
from reader.tui.widgets.article.selection import CONTEXT_ROWS


class ArticleView(ArticleLoading, can_focus=True):
    """A scrollable, virtual view of one article with highlights and a selection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line_down", "Down", show=False, id="line_down"),
        Binding("k,up", "line_up", "Up", show=False, id="line_up"),
        Binding("J", "grow_selection", "Extend", show=False, id="grow_selection"),
        Binding("K", "shrink_selection", "Shrink", show=False, id="shrink_selection"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("plus,equals_sign", "wider", "Wider", show=False, id="wider"),
        Binding("minus", "narrower", "Narrower", show=False, id="narrower"),
        Binding(
            "v",
            "start_selection",
            "Select",
            show=False,
            id="start_selection",
            tooltip="Select the sentence at the top; j/k or J/K grow and shrink it, h keeps it",
        ),
        Binding("escape", "cancel_selection", "Cancel selection", show=True, id="cancel_selection"),
        Binding(
            "left_square_bracket",
            "prev_highlight",
            "Prev highlight",
            show=False,
            id="prev_highlight",
        ),
        Binding(
            "right_square_bracket",
            "next_highlight",
            "Next highlight",
            show=False,
            id="next_highlight",
        ),
    ]
    """Keys: j/k/arrows scroll a row (grow/shrink the selection while selecting), J/K
    grow/shrink the selection (on across paragraphs), space/pagedown and pageup page, +/-
    change the measure, v starts a selection, escape cancels it, [ and ] jump between
    highlights. g/G (home/end) are the main screen's ``top``/``bottom`` commands."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
        "article-view--deck",
        "article-view--rule",
        "article-view--heading",
        "article-view--link",
        "article-view--url",
        "article-view--code",
        "article-view--inline-code",
        "article-view--quote",
        "article-view--quote-bar",
        "article-view--marker",
        "article-view--notice",
        "article-view--highlight",
        "article-view--highlight-current",
        "article-view--selection",
    }
    """Theme-driven styles of the article's parts."""

    DEFAULT_CSS = """
    ArticleView {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .article-view--title { color: $text; text-style: bold; }
        & > .article-view--meta { color: $text-muted; }
        & > .article-view--deck { color: $text; text-style: italic; }
        & > .article-view--rule { color: $primary 60%; }
        & > .article-view--heading { color: $accent; text-style: bold; }
        & > .article-view--link { color: $primary; text-style: underline; }
        & > .article-view--url { color: $text-muted; }
        & > .article-view--code { background: $panel; color: $text; }
        & > .article-view--inline-code { background: $panel; color: $text; }
        & > .article-view--quote { color: $text-muted; text-style: italic; }
        & > .article-view--quote-bar { color: $primary; }
        & > .article-view--marker { color: $accent; }
        & > .article-view--notice { color: $warning; text-style: bold; }
        & > .article-view--highlight { background: $warning 35%; }
        & > .article-view--highlight-current { background: $warning 60%; }
        & > .article-view--selection { background: $primary 55%; }
    }
    """

    def watch_has_focus(self, has_focus: bool) -> None:
        """The frame shows the focus (``frame.ArticleFrame``): no rule of the view's own
        depends on it, so the view is not restyled."""
        parent = self.parent
        if isinstance(parent, ArticleFrame):
            parent.show_focus(has_focus)
        else:  # a view on its own (tests): as Textual does
            self.update_node_styles()

    # -- actions ---------------------------------------------------------------------------------------
    _warming = False  # the next page's rows are built after the frame

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """(The reading position, in the base;) the next page is built after the frame."""
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._warm_after_frame()

    def on_focus(self, event: events.Focus) -> None:
        """Opened: the next page's rows are built after the frame."""
        self._warm_after_frame()

    def _warm_after_frame(self) -> None:
        if not self._warming:
            self._warming = True
            after_input(self, self._warm_next_page)

    def _warm_next_page(self) -> None:
        """(After the frame of a scroll, and the keys pressed meanwhile.) Build the rows
        of the next page and of the next highlight's, so the next ``space`` or ``]``
        draws from the cache."""
        self._warming = False
        height = self.scrollable_content_region.height
        width = self.scrollable_content_region.width
        if height <= 0 or width != self._strip_width:
            return
        tops = [int(self.scroll_y) + height]
        index = self._mark_after(1) if self._mark_order else None
        if index is not None:
            row = self._row_of(*self._mark_order[index][:2])
            if row is not None:
                tops.append(max(0, row - CONTEXT_ROWS))
        cache = self._strip_cache
        for top in tops:
            for row in range(top, min(len(self._doc.lines), top + height)):
                if cache.get(row) is None:
                    self.strips_built += 1
                    cache[row] = self._build_strip(row, width)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_selection":
            return self._selection is not None or self._selecting
        if action in ("grow_selection", "shrink_selection"):
            return self._selecting
        return True

    def action_line_down(self) -> None:
        if self._selecting:
            self.extend_selection(+1)
        else:
            self.scroll_to(y=self.scroll_y + 1, animate=False)

    def action_line_up(self) -> None:
        if self._selecting:
            self.extend_selection(-1)
        else:
            self.scroll_to(y=self.scroll_y - 1, animate=False)

    def action_grow_selection(self) -> None:
        self.extend_selection(+1)

    def action_shrink_selection(self) -> None:
        self.extend_selection(-1)

    def action_page_down(self) -> None:
        self.scroll_to(
            y=self.scroll_y + max(1, self.scrollable_content_region.height - 2), animate=False
        )

    def action_page_up(self) -> None:
        self.scroll_to(
            y=self.scroll_y - max(1, self.scrollable_content_region.height - 2), animate=False
        )

    def action_top(self) -> None:
        """To the top (``g`` / ``home``: the main screen's ``top`` command)."""
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        """To the end (``G`` / ``end``: the main screen's ``bottom`` command)."""
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_wider(self) -> None:
        self.step_measure(+1)

    def action_narrower(self) -> None:
        self.step_measure(-1)

    def step_measure(self, direction: int) -> str:
        """Make the text one step wider (``direction > 0``) or narrower, from the width it
        is shown at (a measure wider than the pane shows at the pane's width, so a step
        from the measure itself could change nothing), and say the width shown now."""
        before = self._effective_measure()
        self.set_measure(before + direction * MEASURE_STEP)
        now = self._effective_measure()
        message = f"Text width {now}"
        if now == before:
            message += " (the pane's full width)" if direction > 0 else " (the narrowest)"
        self.notify(message, timeout=2)
        return message

    def action_start_selection(self) -> None:
        self.start_selection()

    def action_cancel_selection(self) -> None:
        self.cancel_selection()

    def action_next_highlight(self) -> None:
        self.next_highlight()

    def action_prev_highlight(self) -> None:
        self.prev_highlight()
