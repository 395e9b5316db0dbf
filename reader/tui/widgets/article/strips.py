"""How the article pane draws a row: the strips of ``ArticleView``'s visible rows.

Owns ``ArticleStrips``, the base of ``ArticleView`` that holds the laid-out document, the
marks and the selection as drawn, and turns one row into a ``Strip`` (built from
``Segment`` objects directly, kept in a strip cache; only visible rows are asked for, the
toolong ``LogLines`` pattern). Article text is drawn from plain strings: no markup is ever
parsed from it. Colours come from the theme through ``ArticleView``'s component classes.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.text.document import Block
from reader.tui.widgets.article.layout import DEFAULT_MEASURE, QUOTE_BAR, LaidDocument, LaidLine


class ArticleStrips(ScrollView):
    """The rows of the article pane as strips; see the module's docstring."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._doc = LaidDocument([], [], DEFAULT_MEASURE, [])
        self._notice = ""
        self._marks: dict[int, list[tuple[int, int]]] = {}
        # (first block, start offset in it, last block, end offset in that one)
        self._selection: tuple[int, int, int, int] | None = None
        self._current_span: tuple[int, int, int] | None = None  # the highlight ] went to
        self._strip_cache: LRUCache[int, Strip] = LRUCache(maxsize=1024)
        self._strip_width = -1  # the content width the cached strips were built for
        self._styles: dict[str, Style] | None = None
        self._base: Style | None = None
        self._styles_before: tuple[dict[str, Style], Style] | None = None  # see render_lines
        self.strips_built = 0
        """How many rows were rendered (cache misses); for tests and profiling."""

    # -- offsets and rows -------------------------------------------------------------------------
    def _row_of(self, block: int, offset: int) -> int | None:
        """The row showing ``offset`` of ``block``."""
        doc = self._doc
        if not (0 <= block < len(doc.blocks)):
            return None
        row = doc.first_line[block]
        lines = doc.lines
        while (
            row + 1 < len(lines)
            and lines[row + 1].block == block
            and lines[row + 1].start <= offset
        ):
            row += 1
        return row

    def _margin(self) -> int:
        width = self.scrollable_content_region.width
        return max(0, (width - self._doc.measure) // 2)

    def _invalidate(self) -> None:
        self._strip_cache.clear()
        self._strip_width = self.scrollable_content_region.width if self.is_mounted else -1
        self.refresh()

    def set_current_span(self, span: tuple[int, int, int] | None) -> None:
        """Draw the highlight ``(block, start, end)`` as the current one (``]``/``[``),
        and the one before as an ordinary highlight again: their rows are built anew."""
        old, self._current_span = self._current_span, span
        if old == span:
            return
        for blocks in (old, span):
            if blocks is not None:
                self._forget_block(blocks[0])
        self.refresh()

    def _forget_block(self, block: int) -> None:
        """Drop the cached rows of ``block``."""
        doc = self._doc
        if not (0 <= block < len(doc.blocks)):
            return
        row = doc.first_line[block]
        while row < len(doc.lines) and doc.lines[row].block == block:
            self._strip_cache.discard(row)
            row += 1

    # -- rendering -------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        """Styles changed (theme, CSS, focus): the rows are built again, unless every
        style they use turns out the same when next drawn (``render_lines``: the focus
        only changes the pane's border)."""
        super().notify_style_update()
        if self._styles is not None and self._base is not None:
            if self._styles_before is None:
                self._styles_before = (self._styles, self._base)
        else:
            self._strip_cache.clear()
        self._styles = None
        self._base = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop`` (after a style update, the rows built before are kept
        only if every style they use is the same now)."""
        before, self._styles_before = self._styles_before, None
        if before is not None:
            old_styles, old_base = before
            same = self._base_style() == old_base and all(
                self._style(name) == style for name, style in old_styles.items()
            )
            if not same:
                self._strip_cache.clear()
        return super().render_lines(crop)

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {}
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"article-view--{name}")
            self._styles[name] = style
        return style

    def _base_style(self) -> Style:
        """``self.rich_style``, computed once per theme / CSS update (it walks the DOM)."""
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        return base

    def render_line(self, y: int) -> Strip:
        """Render row ``y`` of the widget (only visible rows are ever asked for)."""
        row = y + int(self.scroll_y)
        lines = self._doc.lines
        if row >= len(lines):
            width = self.scrollable_content_region.width
            base = self._base_style()
            if self._notice and row == len(lines):
                return self._notice_strip(width).crop_extend(0, width, base)
            return Strip.blank(width, base)
        strip = self._strip_cache.get(row)
        if strip is None:
            self.strips_built += 1
            strip = self._build_strip(row, self.scrollable_content_region.width)
            self._strip_cache[row] = strip
        return strip

    def _notice_strip(self, width: int) -> Strip:
        base = self._base_style()
        text = Text(self._notice, style=base + self._style("notice"), end="")
        margin = self._margin()
        return Strip([Segment(" " * margin, base), *text.render(self.app.console)])

    def _build_strip(self, row: int, width: int) -> Strip:
        """One row as segments, built directly (no ``Text``), padded to ``width``."""
        line = self._doc.lines[row]
        base = self._base_style()
        margin = self._margin()
        measure = self._doc.measure
        segments: list[Segment] = [Segment(" " * margin, base)] if margin else []
        used = margin
        if line.quote:
            bar = QUOTE_BAR * line.quote
            segments.append(Segment(bar, base + self._style("quote-bar")))
            used += cell_len(bar)
        role = line.role
        if line.block < 0:
            style_name = _HEADER_STYLES.get(role)
            if style_name:
                segments.append(Segment(line.text, base + self._style(style_name)))
                used += _cells(line.text)
        else:
            block = self._doc.blocks[line.block]
            if line.prefix:
                segments.append(Segment(line.prefix, base + self._style("marker")))
                used += _cells(line.prefix)
            text_start = used - margin
            if role == "rule":
                rule = "─" * max(0, measure - text_start)
                segments.append(Segment(rule, base + self._style("rule")))
                used += len(rule)
            else:
                used += self._text_segments(block, line, role, segments)
                if role == "code":
                    pad = measure - (used - margin)
                    if pad > 0:
                        segments.append(Segment(" " * pad, base + self._style("code")))
                        used += pad
        if used < width:
            segments.append(Segment(" " * (width - used), base))
            return Strip(segments, width)
        if used == width:
            return Strip(segments, width)
        return Strip(segments, used).crop_extend(0, width, base)

    def _text_segments(
        self, block: Block, line: LaidLine, role: str, segments: list[Segment]
    ) -> int:
        """Append the segments of ``line``'s slice of ``block`` (spans, highlight marks and
        the selection applied, later ones winning); return its width in cells."""
        s0, e0 = line.start, line.end
        base = self._base_style()
        piece = block.text[s0:e0].replace("\t", " ")
        style = base
        if role == "code":
            style = base + self._style("code")
        elif block.kind == "heading":
            style = base + self._style("heading")
            if block.level == 1:
                style += _UNDERLINE
        elif block.kind == "quote":
            style = base + self._style("quote")
        runs: list[tuple[int, int, Style]] = []
        for span in block.spans:
            if span.end <= s0 or span.start >= e0:
                continue
            runs.append(
                (max(span.start, s0) - s0, min(span.end, e0) - s0, self._span_style(span.style))
            )
        marks = self._marks.get(line.block)
        if marks:
            mark = _bg(self._style("highlight"))
            current = self._current_span
            for a, b in marks:
                if b > s0 and a < e0:
                    look = mark
                    if current is not None and current == (line.block, a, b):
                        look = _bg(self._style("highlight-current"))
                    runs.append((max(a, s0) - s0, min(b, e0) - s0, look))
        selection = self._selection
        if selection is not None and selection[0] <= line.block <= selection[2]:
            first, a, last, b = selection
            a = a if line.block == first else 0
            b = b if line.block == last else len(block.text)
            if b > s0 and a < e0:
                runs.append((max(a, s0) - s0, min(b, e0) - s0, _bg(self._style("selection"))))
        if not runs:
            if piece:  # in the base style: a segment without one reaches the terminal in
                segments.append(Segment(piece, style))  # its default colours (SGR 39/49)
            return _cells(piece)
        cuts = sorted({0, len(piece), *(a for a, _, _ in runs), *(b for _, b, _ in runs)})
        for a, b in zip(cuts, cuts[1:], strict=False):
            if a >= b:
                continue
            combined = style
            for ra, rb, extra in runs:
                if ra <= a and b <= rb:
                    combined = combined + extra
            segments.append(Segment(piece[a:b], combined))
        return _cells(piece)

    def _span_style(self, name: str) -> Style:
        if name == "code":
            return self._style("inline-code")
        if name == "link":
            return self._style("link")
        return _SPAN_STYLES.get(name, _PLAIN)


_HEADER_STYLES = {"title": "title", "deck": "deck", "meta": "meta", "header-rule": "rule"}
_UNDERLINE = Style(underline=True)
_PLAIN = Style()
_SPAN_STYLES = {
    "bold": Style(bold=True),
    "italic": Style(italic=True),
    "strike": Style(strike=True),
}


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _bg(style: Style) -> Style:
    return Style(bgcolor=style.bgcolor) if style.bgcolor is not None else style
