"""The selection and the highlight jumps of the article pane.

Owns ``ArticleSelection``, a base of ``ArticleView``: a sentence-based selection (``v``,
grown and shrunk by sentences, on across paragraphs) or a mouse-drag selection snapped to
words inside one paragraph; ``[``/``]`` jumps between the marked highlights. Changes are posted as
``ArticleView.SelectionChanged``.
"""

from __future__ import annotations

import bisect

from rich.text import Text
from textual import events
from textual.message import Message

from reader.text.document import sentence_spans, trim_unpaired_quotes
from reader.tui.widgets.article.layout import column_to_offset
from reader.tui.widgets.article.strips import ArticleStrips

CONTEXT_ROWS = 2  # rows left above text scrolled "to the top"


class ArticleSelection(ArticleStrips):
    """The selection and highlight jumps; see the module's docstring."""

    class SelectionChanged(Message, namespace="article_view"):
        """The selection changed: ``(paragraph, start, end, text)`` or ``None``."""

        def __init__(self, selection: tuple[int, int, int, str] | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(self, **kwargs: str | None) -> None:  # name, id, classes: as Widget's
        super().__init__(**kwargs)
        self._mark_order: list[tuple[int, int, int]] = []
        self._current_mark: int | None = None
        self._jumped_at = -1  # the view's top row after the last jump
        self._selecting = False
        self._drag_anchor: tuple[int, int] | None = None
        self._drag_moved = False

    @property
    def selection(self) -> tuple[int, int, int, str] | None:
        """``(paragraph, start, end, text)`` of the selection, or ``None``: ``start`` is in
        ``paragraph``, ``end`` in ``selection_end_paragraph`` (the same paragraph unless
        the selection was grown past its end with ``j``/``J``). The text of a selection
        across paragraphs is theirs joined by a blank line. A mouse drag stays in the
        paragraph it began in."""
        if self._selection is None:
            return None
        first, s, last, e = self._selection
        blocks = self._doc.blocks
        if first == last:
            return (first, s, e, blocks[first].text[s:e])
        pieces = [blocks[first].text[s:], *(b.text for b in blocks[first + 1 : last])]
        pieces.append(blocks[last].text[:e])
        return (first, s, e, "\n\n".join(piece.strip() for piece in pieces))

    @property
    def selection_end_paragraph(self) -> int | None:
        """The paragraph the selection ends in (see ``selection``), or ``None``."""
        return self._selection[2] if self._selection is not None else None

    @property
    def current_highlight(self) -> tuple[int, int, int] | None:
        """``(paragraph, start, end)`` of the highlight last jumped to with ``[``/``]``."""
        if self._current_mark is None or not (0 <= self._current_mark < len(self._mark_order)):
            return None
        return self._mark_order[self._current_mark]

    def start_selection(self) -> None:
        """Select the first sentence starting at or below the top of the view."""
        top = int(self.scroll_y)
        lines = self._doc.lines
        for row in range(top, len(lines)):
            line = lines[row]
            if line.block < 0 or line.role != "text":
                continue
            text = self._doc.blocks[line.block].text
            for s, e in sentence_spans(text):
                if e > line.start:
                    self._selecting = True
                    self._set_selection((line.block, s, line.block, e))
                    return
        self.app.bell()

    def extend_selection(self, delta: int) -> None:
        """Grow (``delta > 0``) or shrink (``delta < 0``) the selection by one sentence;
        past the end of a paragraph it goes on into the next one (and back). It never
        shrinks below its first sentence."""
        if self._selection is None:
            self.start_selection()
            return
        first, s, last, e = self._selection
        blocks = self._doc.blocks
        spans = sentence_spans(blocks[last].text)
        ends = [se for _, se in spans]
        # index of the sentence the selection currently ends in
        i = min(bisect.bisect_left(ends, e), len(ends) - 1)
        lowest = 0
        if last == first:
            lowest = max(0, bisect.bisect_right([ss for ss, _ in spans], s) - 1)
        target = i + (1 if delta > 0 else -1)
        if delta > 0 and (not spans or target >= len(spans)):
            following = self._next_text_block(last)
            if following is None:
                self.app.bell()
                return
            next_spans = sentence_spans(blocks[following].text)
            self._set_selection((first, s, following, next_spans[0][1]))
            return
        if delta < 0 and target < lowest:
            previous = self._previous_text_block(last, first)
            if previous is None:
                self.app.bell()
                return
            self._set_selection((first, s, previous, len(blocks[previous].text.rstrip())))
            return
        self._set_selection((first, s, last, max(spans[target][1], s + 1 if last == first else 1)))

    def _next_text_block(self, block: int) -> int | None:
        """The next block after ``block`` with a sentence in it (not a rule or blank)."""
        blocks = self._doc.blocks
        for index in range(block + 1, len(blocks)):
            if blocks[index].kind != "rule" and sentence_spans(blocks[index].text):
                return index
        return None

    def _previous_text_block(self, block: int, first: int) -> int | None:
        """The block before ``block`` (not before ``first``) with a sentence in it."""
        blocks = self._doc.blocks
        for index in range(block - 1, first - 1, -1):
            if blocks[index].kind != "rule" and sentence_spans(blocks[index].text):
                return index
        return None

    def cancel_selection(self) -> None:
        """Drop the selection."""
        self._selecting = False
        self._drag_anchor = None
        if self._selection is not None:
            self._set_selection(None)

    def next_highlight(self) -> None:
        """Scroll to the next highlight below the current one (or below the top)."""
        self._jump_highlight(+1)

    def prev_highlight(self) -> None:
        """Scroll to the previous highlight."""
        self._jump_highlight(-1)

    def scroll_to_paragraph(
        self, paragraph: int, offset: int = 0, *, animate: bool = False
    ) -> None:
        """Scroll so the row showing ``offset`` of ``paragraph`` is near the top."""
        row = self._row_of(paragraph, offset)
        if row is None:
            return
        self.scroll_to(y=max(0, row - CONTEXT_ROWS), animate=animate)

    def _offset_at(self, x: int, y: int) -> tuple[int, int] | None:
        """``(block, offset)`` under widget coordinates ``(x, y)``, or ``None``."""
        row = y + int(self.scroll_y)
        lines = self._doc.lines
        if not (0 <= row < len(lines)):
            return None
        line = lines[row]
        if line.block < 0 or line.role == "rule":
            return None
        prefix_cells = 2 * line.quote + Text(line.prefix).cell_len
        column = x - self._margin() - prefix_cells
        return (line.block, column_to_offset(self._doc.blocks[line.block].text, line, column))

    def _set_selection(self, selection: tuple[int, int, int, int] | None) -> None:
        if selection is not None and selection[0] == selection[2]:
            b, s, _, e = selection
            s, e = trim_unpaired_quotes(self._doc.blocks[b].text, s, e)
            selection = (b, s, b, e)
        self._selection = selection
        self._invalidate()
        if selection is not None:
            _b, _s, last, e = selection
            row = self._row_of(last, max(0, e - 1))
            if row is not None:
                self.scroll_to_region_rows(row)
        self.post_message(self.SelectionChanged(self.selection))

    def scroll_to_region_rows(self, row: int) -> None:
        """Scroll the least amount that makes ``row`` visible."""
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif height > 0 and row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def _jump_highlight(self, direction: int) -> None:
        index = self._mark_after(direction) if self._mark_order else None
        if index is None:
            self.app.bell()
            return
        self._current_mark = index
        p, s, e = self._mark_order[index]
        self.set_current_span((p, s, e))
        self.scroll_to_paragraph(p, s)
        self._jumped_at = int(self.scroll_y)

    def _mark_after(self, direction: int) -> int | None:
        """The highlight ``]`` (``direction`` 1) or ``[`` (-1) goes to, if any: the one after
        the last jumped to, or, once the view moved since (``g``, ``space``, the mouse),
        the first below (or above) the top of the view."""
        order = self._mark_order
        top = int(self.scroll_y)
        if self._current_mark is None or top != self._jumped_at:
            here = top + CONTEXT_ROWS if top else -1
            rows = [self._row_of(p, s) or 0 for p, s, _ in order]
            if direction > 0:
                candidates = [i for i, r in enumerate(rows) if r > here]
                index = candidates[0] if candidates else None
            else:
                candidates = [i for i, r in enumerate(rows) if r < here]
                index = candidates[-1] if candidates else None
        else:
            index = self._current_mark + direction
            if not (0 <= index < len(order)):
                index = None
        return index

    # -- mouse selection -------------------------------------------------------------------------------
    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self._drag_anchor = self._offset_at(event.x, event.y)
        self._drag_moved = False
        if self._drag_anchor is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is None:
            return
        self._drag_moved = True
        self._drag_to(event.x, event.y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is None:
            return
        if self._drag_moved:
            self._drag_to(event.x, event.y)
        else:  # a plain click drops the selection
            self.cancel_selection()
        self._drag_anchor = None
        self.release_mouse()

    def _drag_to(self, x: int, y: int) -> None:
        assert self._drag_anchor is not None
        block, anchor = self._drag_anchor
        row = y + int(self.scroll_y)
        lines = self._doc.lines
        first = self._doc.first_line[block]
        if row < first:
            offset = 0
        else:
            hit = self._offset_at(x, y)
            if hit is not None and hit[0] == block:
                offset = hit[1]
            else:
                offset = len(self._doc.blocks[block].text) if row > first else anchor
                if 0 <= row < len(lines) and lines[row].block == block:
                    offset = lines[row].end
        text = self._doc.blocks[block].text
        start, end = _snap_words(text, min(anchor, offset), max(anchor, offset))
        if end <= start:
            return
        start, end = trim_unpaired_quotes(text, start, end)
        self._selecting = False
        if self._selection != (block, start, block, end):
            self._selection = (block, start, block, end)
            self._invalidate()
            self.post_message(self.SelectionChanged(self.selection))


def _snap_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words; trim surrounding spaces."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < n and end > 0 and not text[end - 1].isspace() and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
