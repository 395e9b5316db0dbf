"""The centre pane: one article as a virtual, line-rendered, scrollable view.

Owns ``ArticleView``: it parses the article's Markdown (``reader.text.document``), lays the
blocks out as wrapped rows at a readable measure (``article_layout``), and renders only the
visible rows in ``render_line`` with a strip cache (the toolong ``LogLines`` pattern).

Speed: a body longer than ``SYNC_LAYOUT_CHARS`` shows a *preview* at once (its first
``PREVIEW_CHARS`` or so, parsed and laid out in ``show``) while a thread worker parses and
lays out the whole text; the full layout then replaces the preview in place (``Ready``).
Laid-out documents are kept in a small LRU (``DOC_CACHE_SIZE``) keyed by article id, body
and width, so going back to an article shows it without parsing again.
It marks highlights, keeps a sentence-based or mouse-drag selection inside one paragraph,
and reports the reading position (``PositionChanged``, debounced) and the end of the
article (``ReachedEnd``).

Article text is untrusted: it is cleaned with ``reader.sanitize.clean_text`` and drawn from
plain strings as Rich ``Text``/``Segment`` objects; no markup is ever parsed from it.

Colours come from the theme through component classes (see ``DEFAULT_CSS``), so the shell
only has to pick a Textual theme.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import get_current_worker

from reader.models import Article, Highlight
from reader.sanitize import clean_line, clean_text
from reader.text.article_head import head_blocks, head_is_whole
from reader.text.document import Block, parse_document, sentence_spans
from reader.text.passages import resolve_anchor
from reader.tui.pending_input import after_input
from reader.tui.scroll_range import set_scroll_range
from reader.tui.widgets.article.layout import QUOTE_BAR, LaidLine, column_to_offset, layout_article

DEFAULT_MEASURE = 80
MIN_MEASURE = 40
MAX_MEASURE = 160
MEASURE_STEP = 4
# Markdown longer than this is parsed and laid out in a thread worker (a preview first).
SYNC_LAYOUT_CHARS = 40_000
# Markdown longer than this also shows the loading indicator until the worker is done.
BACKGROUND_PARSE_CHARS = 250_000
# Laid-out documents kept for going back to an article.
DOC_CACHE_SIZE = 8
# ``paragraphs`` asked during a preview waits this long for the worker (see there).
PARAGRAPHS_WAIT_SECONDS = 1.0
POSITION_DEBOUNCE_SECONDS = 0.5
CONTEXT_ROWS = 2  # rows left above text scrolled "to the top"
MISSING_BODY = "This article's text is missing (body file not found)."


@dataclass(slots=True)
class _Document:
    """What one ``show`` produced: blocks and rows for a given measure.

    ``partial``: a preview of the body's start while the whole text is laid out."""

    blocks: list[Block]
    lines: list[LaidLine]
    measure: int
    first_line: list[int]  # first row index of each block
    partial: bool = False


_DocKey = tuple[str, int, int, int, str, str]


class _Pending:
    """The layout worker's result, handed over as soon as it exists."""

    def __init__(
        self,
        generation: int,
        key: _DocKey,
        start: Callable[[], None],
        build: Callable[[], _Document],
    ) -> None:
        self.generation = generation
        self.key = key
        self.done = threading.Event()
        self.doc: _Document | None = None
        self._start: Callable[[], None] | None = start
        self._build = build

    @property
    def started(self) -> bool:
        """Whether the worker was started."""
        return self._start is None

    def start(self) -> None:
        """Start the worker (once), after the preview's frame."""
        start, self._start = self._start, None
        if start is not None:
            start()

    def build_here(self) -> _Document:
        """Lay the text out in this thread, the worker never started (the text is needed
        before the preview's frame: a worker could not even start while we wait)."""
        self._start = None
        self.doc = self._build()
        self.done.set()
        return self.doc


class DocumentCache:
    """A small LRU of laid-out documents: ``(article id, body, measure, title, meta)`` ->
    ``_Document``. Safe to share: documents are never changed once built."""

    def __init__(self, maxsize: int = DOC_CACHE_SIZE) -> None:
        self.maxsize = maxsize
        self._docs: OrderedDict[_DocKey, _Document] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(article_id: str, markdown: str, measure: int, title: str, meta: str) -> _DocKey:
        """The cache key of one layout (the body enters by length and hash)."""
        return (article_id, len(markdown), hash(markdown), measure, title, meta)

    def get(self, key: _DocKey) -> _Document | None:
        """The document for ``key`` (now the most recently used), or ``None``."""
        doc = self._docs.get(key)
        if doc is None:
            self.misses += 1
            return None
        self.hits += 1
        self._docs.move_to_end(key)
        return doc

    def put(self, key: _DocKey, doc: _Document) -> None:
        """Keep ``doc`` (a full document, never a preview)."""
        if doc.partial:
            return
        self._docs[key] = doc
        self._docs.move_to_end(key)
        while len(self._docs) > self.maxsize:
            self._docs.popitem(last=False)

    def __len__(self) -> int:
        return len(self._docs)


def _meta_line(article: Article) -> str:
    parts: list[str] = []
    for value in (article.author, article.site):
        if value and clean_line(value):
            parts.append(clean_line(value))
    if article.published:
        parts.append(clean_line(article.published)[:10])
    if article.reading_minutes:
        parts.append(f"{article.reading_minutes} min read")
    tags = " ".join(f"#{clean_line(t)}" for t in article.tags if clean_line(t))
    if tags:
        parts.append(tags)
    return " · ".join(parts)


def _first_lines(lines: Sequence[LaidLine], block_count: int) -> list[int]:
    first = [0] * block_count
    seen = [False] * block_count
    for row, line in enumerate(lines):
        b = line.block
        if b >= 0 and not seen[b]:
            seen[b] = True
            first[b] = row
    return first


def _build(markdown: str, measure: int, title: str, meta: str) -> _Document:
    blocks = parse_document(clean_text(markdown))
    lines = layout_article(blocks, measure, title=title, meta=meta)
    return _Document(blocks, lines, measure, _first_lines(lines, len(blocks)))


def _layout_preview(blocks: list[Block], measure: int, title: str, meta: str) -> _Document:
    """The rows of the body's start, from its blocks (``reader.text.article_head``)."""
    lines = layout_article(blocks, measure, title=title, meta=meta)
    return _Document(blocks, lines, measure, _first_lines(lines, len(blocks)), True)


def _build_preview(markdown: str, measure: int, title: str, meta: str) -> _Document:
    """The rows of a long body's start (``head_blocks``); only the header when it has no
    good place to cut."""
    return _layout_preview(head_blocks(markdown), measure, title, meta)


class ArticleView(ScrollView, can_focus=True):
    """A scrollable, virtual view of one article with highlights and a selection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "line_down", "Down", show=False, id="line_down"),
        Binding("k,up", "line_up", "Up", show=False, id="line_up"),
        Binding("J", "grow_selection", "Extend", show=False, id="grow_selection"),
        Binding("K", "shrink_selection", "Shrink", show=False, id="shrink_selection"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("g,home", "top", "Top", show=False, id="top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="bottom"),
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
    grow/shrink the selection, space/pagedown and pageup page, g/G go to the top/end,
    +/- change the measure, v starts a selection, escape cancels it, [ and ] jump between
    highlights."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--meta",
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
        & > .article-view--selection { background: $primary 55%; }
    }
    """

    class PositionChanged(Message):
        """The reading position settled (posted ~0.5 s after scrolling stops)."""

        def __init__(self, article_id: str, progress: float) -> None:
            super().__init__()
            self.article_id = article_id
            self.progress = progress

    class ReachedEnd(Message):
        """The end of the article became visible (once per ``show``)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Ready(Message):
        """The article's text is parsed and laid out: ``paragraphs`` is now valid.

        Posted by every ``show`` with a body; for bodies over ``BACKGROUND_PARSE_CHARS``
        it comes later, from the layout worker.
        """

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class SelectionChanged(Message):
        """The selection changed: ``(paragraph, start, end, text)`` or ``None``."""

        def __init__(self, selection: tuple[int, int, int, str] | None) -> None:
            super().__init__()
            self.selection = selection

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._article: Article | None = None
        self._markdown: str | None = None
        self._doc = _Document([], [], DEFAULT_MEASURE, [])
        self._measure = DEFAULT_MEASURE
        self._notice = ""
        self._highlights: list[Highlight] = []
        self._marks: dict[int, list[tuple[int, int]]] = {}
        self._mark_order: list[tuple[int, int, int]] = []
        self._current_mark: int | None = None
        self._selection: tuple[int, int, int] | None = None
        self._selecting = False
        self._drag_anchor: tuple[int, int] | None = None
        self._drag_moved = False
        self._strip_cache: LRUCache[int, Strip] = LRUCache(maxsize=1024)
        self._warming = False  # the next page's rows are built after the frame
        self._strip_width = -1  # the content width the cached strips were built for
        self._styles: dict[str, Style] | None = None
        self._base: Style | None = None
        self._docs = DocumentCache()
        self._doc_key: _DocKey | None = None
        self._pending: _Pending | None = None
        self._position_timer: Timer | None = None
        self._reached_end_sent = False
        self._generation = 0
        self._pending_position: float | None = None
        self._unsaved: tuple[str, float] | None = None
        self.strips_built = 0
        """How many rows were rendered (cache misses); for tests and profiling."""

    # -- public API ------------------------------------------------------------------------------
    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self._article

    @property
    def paragraphs(self) -> list[str]:
        """The shown article's paragraph list (``reader.text.document.paragraphs``).

        Asked while a preview is shown, it waits (up to ``PARAGRAPHS_WAIT_SECONDS``) for the
        layout worker and puts the whole text in place (``Ready`` follows); it is empty when
        the worker is not done by then, or while a body over ``BACKGROUND_PARSE_CHARS`` loads.
        """
        if self._doc.partial:
            pending = self._pending
            if pending is not None and not pending.started and not self.loading:
                pending.build_here()  # asked before the preview's frame was drawn
            if (
                pending is None
                or self.loading
                or pending.generation != self._generation
                or not pending.done.wait(PARAGRAPHS_WAIT_SECONDS)
                or pending.doc is None
            ):
                return []
            self._apply_if_current(pending.generation, pending.key, pending.doc)
        return [b.text for b in self._doc.blocks]

    @property
    def ready(self) -> bool:
        """The whole body is laid out (``paragraphs`` is valid); ``False`` while a preview
        of a long body is shown."""
        return not self._doc.partial

    @property
    def documents(self) -> DocumentCache:
        """The LRU of laid-out documents (for tests and profiling)."""
        return self._docs

    @property
    def measure(self) -> int:
        """The text width in columns."""
        return self._measure

    @property
    def line_count(self) -> int:
        """Number of laid-out rows."""
        return len(self._doc.lines)

    @property
    def progress(self) -> float:
        """Position in the article, 0..1 (1 when it fits on one screen)."""
        max_y = self.max_scroll_y
        if max_y <= 0:
            return 1.0 if self._doc.lines else 0.0
        return min(1.0, max(0.0, self.scroll_y / max_y))

    @property
    def selection(self) -> tuple[int, int, int, str] | None:
        """``(paragraph, start, end, text)`` of the selection, or ``None``.

        A selection always lies inside ONE paragraph (block); growing it stops at the
        paragraph's last sentence and a mouse drag is clamped to the paragraph it began in.
        """
        if self._selection is None:
            return None
        b, s, e = self._selection
        return (b, s, e, self._doc.blocks[b].text[s:e])

    @property
    def current_highlight(self) -> tuple[int, int, int] | None:
        """``(paragraph, start, end)`` of the highlight last jumped to with ``[``/``]``."""
        if self._current_mark is None or not (0 <= self._current_mark < len(self._mark_order)):
            return None
        return self._mark_order[self._current_mark]

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

    def show(
        self,
        article: Article,
        markdown: str | None,
        highlights: Sequence[Highlight] = (),
        position: float = 0.0,
        *,
        head: list[Block] | None = None,
    ) -> None:
        """Show ``article`` with body ``markdown`` (``None``: the body file is missing),
        marking ``highlights`` and scrolling to ``position`` (a 0..1 fraction).

        ``head``: the blocks of the body's start, parsed before (``reader.text.article_head``,
        kept by the start snapshot): shown as a preview without parsing anything, the
        whole text laid out by the worker after that frame."""
        self._generation += 1
        self._unsaved = None
        if self._position_timer is not None:
            self._position_timer.stop()
            self._position_timer = None
        self._article = article
        self._markdown = markdown
        self._highlights = list(highlights)
        self._notice = MISSING_BODY if markdown is None else ""
        if self._selection is not None or self._selecting:
            self.refresh_bindings()  # "cancel selection" leaves the footer
        self._selection = None
        self._selecting = False
        self._drag_anchor = None
        self._current_mark = None
        self._reached_end_sent = False
        self._pending_position = min(1.0, max(0.0, position))
        title = clean_line(article.title) or "(untitled)"
        meta = _meta_line(article)
        measure = self._effective_measure()
        if self.loading:
            self.loading = False
        key = DocumentCache.key(article.id, markdown or "", measure, title, meta)
        self._doc_key = key
        doc = self._docs.get(key) if markdown is not None else None
        if doc is not None:
            self._apply(doc)
            self.post_message(self.Ready(article.id))
            return
        if markdown is not None and (head is not None or len(markdown) > SYNC_LAYOUT_CHARS):
            # The body's first screens at once; the whole of it arrives from the worker.
            if len(markdown) > BACKGROUND_PARSE_CHARS:
                preview = _layout_preview([], measure, title, meta)
                self.loading = True
            elif head is not None:
                preview = _layout_preview(head, measure, title, meta)
            else:
                preview = _build_preview(markdown, measure, title, meta)
            self._apply(preview)
            if head is not None and head_is_whole(markdown):
                self._apply_position()  # the rows are the whole text's: no need to wait
            pending = _Pending(
                self._generation,
                key,
                lambda: self._start_build(pending, markdown, measure, title, meta),
                lambda: _build(markdown, measure, title, meta),
            )
            self._pending = pending
            # The worker starts once the preview is drawn: started now, it would take the
            # interpreter from the drawing of that frame half the time.
            self.call_after_refresh(pending.start)
            return
        doc = _build(markdown or "", measure, title, meta)
        self._apply(doc)
        if markdown is not None:
            self._docs.put(key, doc)
            self.post_message(self.Ready(article.id))

    def clear(self, message: str = "") -> None:
        """Show nothing (or ``message``)."""
        self._generation += 1
        self._article = None
        self._markdown = None
        self._highlights = []
        self._notice = clean_line(message)
        self._selection = None
        self._selecting = False
        self._pending_position = None
        self.loading = False
        self._apply(_Document([], [], self._effective_measure(), []))

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Mark ``highlights`` (found with ``resolve_anchor``) without moving the view.
        The same highlights again change nothing (no rows are drawn again)."""
        highlights = list(highlights)
        if highlights == self._highlights:
            return
        self._highlights = highlights
        self._resolve_marks()
        self._invalidate()

    def scroll_to_paragraph(
        self, paragraph: int, offset: int = 0, *, animate: bool = False
    ) -> None:
        """Scroll so the row showing ``offset`` of ``paragraph`` is near the top."""
        row = self._row_of(paragraph, offset)
        if row is None:
            return
        self.scroll_to(y=max(0, row - CONTEXT_ROWS), animate=animate)

    def set_measure(self, columns: int) -> None:
        """Set the text width to ``columns`` (clamped to 40..160), keeping the place."""
        columns = min(MAX_MEASURE, max(MIN_MEASURE, int(columns)))
        if columns == self._measure:
            return
        self._measure = columns
        self._relayout()

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
                    self._set_selection((line.block, s, e))
                    return
        self.app.bell()

    def extend_selection(self, delta: int) -> None:
        """Grow (``delta > 0``) or shrink (``delta < 0``) the selection by sentences,
        within its paragraph; it never shrinks below its first sentence."""
        if self._selection is None:
            self.start_selection()
            return
        b, s, e = self._selection
        spans = sentence_spans(self._doc.blocks[b].text)
        ends = [se for _, se in spans]
        # index of the sentence the selection currently ends in
        i = bisect.bisect_left(ends, e)
        i = min(i, len(ends) - 1)
        first = max(0, bisect.bisect_right([ss for ss, _ in spans], s) - 1)
        target = max(first, min(len(spans) - 1, i + delta))
        new_end = spans[target][1] if spans else e
        if target == i and delta > 0 and new_end <= e:
            self.app.bell()
            return
        self._set_selection((b, s, max(new_end, s + 1)))

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

    # -- building ----------------------------------------------------------------------------------
    def _start_build(
        self, pending: _Pending, markdown: str, measure: int, title: str, meta: str
    ) -> None:
        if pending is self._pending and pending.generation == self._generation:
            self._build_in_thread(pending, markdown, measure, title, meta)
        # else: another article was shown before this one's preview was even drawn

    @work(thread=True, exclusive=True, group="article-layout")
    def _build_in_thread(
        self, pending: _Pending, markdown: str, measure: int, title: str, meta: str
    ) -> None:
        doc = _build(markdown, measure, title, meta)
        pending.doc = doc
        pending.done.set()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply_if_current, pending.generation, pending.key, doc)

    def _apply_if_current(self, generation: int, key: _DocKey, doc: _Document) -> None:
        self._docs.put(key, doc)
        if generation != self._generation or not self._doc.partial:
            return  # another article, or already put in place (by ``paragraphs``)
        self._pending = None
        if self.loading:
            self.loading = False
        if doc.measure != self._effective_measure():  # the width changed meanwhile
            self._doc = doc
            self._relayout()
        else:
            self._replace_preview(doc)
        if self._article is not None:
            self.post_message(self.Ready(self._article.id))

    def _replace_preview(self, doc: _Document) -> None:
        """Put the full ``doc`` in place of the preview, keeping the place, the selection
        and the rows already drawn when they are the same."""
        preview = self._doc
        anchor = self._top_anchor() if self._pending_position is None else None
        same_rows = all(
            row < len(doc.lines) and preview.lines[row] == doc.lines[row]
            for row in self._strip_cache.keys()  # noqa: SIM118 - no __iter__
            if row < len(preview.lines)
        )
        same_blocks = len(doc.blocks) >= len(preview.blocks) and all(
            doc.blocks[i] == block for i, block in enumerate(preview.blocks[:-1])
        )
        kept_selection = True
        if self._selection is not None and not (
            same_blocks and self._selection[0] < len(preview.blocks) - 1
        ):
            kept_selection = False
            self._selection = None
            self._selecting = False
            self.post_message(self.SelectionChanged(None))
        marks = self._marks
        self._doc = doc
        self._resolve_marks()
        if same_rows and same_blocks and kept_selection and self._marks == marks:
            # the strips on screen are still right: only the scroll range grows
            self._update_virtual_size(repaint=False)
        else:
            self._update_virtual_size()
            self._invalidate()
        if self._pending_position is not None:
            self._apply_position()
        elif anchor is not None and not same_blocks:
            row = self._row_of(*anchor)
            if row is not None:
                self.scroll_to(y=row, animate=False)
        if self._unsaved is not None and self._article is not None:
            self._unsaved = (self._article.id, self.progress)
        self.call_after_refresh(self._check_end)

    def _apply(self, doc: _Document) -> None:
        self._doc = doc
        self._resolve_marks()
        self._update_virtual_size()
        self._invalidate()
        pending = self._pending_position
        if pending is not None and (not doc.partial or pending == 0):
            self._apply_position()
        elif pending is not None:  # a saved place: restored once the whole text is laid out
            self.scroll_to(y=0, animate=False)
        self.call_after_refresh(self._check_end)

    def _apply_position(self) -> None:
        if self._pending_position is not None:
            position = self._pending_position
            self._pending_position = None
            self.scroll_to(y=0, animate=False)
            if position > 0:
                self.call_after_refresh(self._restore_position, position, self._generation)

    def _restore_position(self, position: float, generation: int) -> None:
        if generation == self._generation:
            self.scroll_to(y=round(position * self.max_scroll_y), animate=False)

    def _effective_measure(self) -> int:
        width = self.scrollable_content_region.width if self.is_mounted else 0
        if width <= 0:
            return self._measure
        return max(20, min(self._measure, width - 2))

    def _relayout(self) -> None:
        """Lay the same blocks out again (measure or width changed), keeping the place."""
        measure = self._effective_measure()
        if measure == self._doc.measure:
            self._invalidate()
            return
        anchor = self._top_anchor()
        doc = self._doc
        title, meta = "", ""
        if self._article is not None:
            title = clean_line(self._article.title) or "(untitled)"
            meta = _meta_line(self._article)
        key = None
        cached = None
        if self._article is not None and self._markdown is not None and not doc.partial:
            key = DocumentCache.key(self._article.id, self._markdown, measure, title, meta)
            cached = self._docs.get(key)
        if cached is not None:
            self._doc = cached
        else:
            lines = layout_article(doc.blocks, measure, title=title, meta=meta)
            first = _first_lines(lines, len(doc.blocks))
            self._doc = _Document(doc.blocks, lines, measure, first, doc.partial)
            if key is not None:
                self._docs.put(key, self._doc)
        self._update_virtual_size()
        self._invalidate()
        if anchor is not None:
            row = self._row_of(*anchor)
            if row is not None:
                self.scroll_to(y=row, animate=False)

    def _top_anchor(self) -> tuple[int, int] | None:
        """The place at the top of the view, kept when the rows are laid out again; None
        at the very top (the title stays in view, not the first paragraph)."""
        if self.scroll_y <= 0:
            return None
        lines = self._doc.lines
        for row in range(int(self.scroll_y), len(lines)):
            if lines[row].block >= 0:
                return (lines[row].block, lines[row].start)
        return None

    def _update_virtual_size(self, *, repaint: bool = True) -> None:
        """Set the scroll range to the rows laid out; ``repaint=False``: the rows on screen
        are unchanged, only the scrollbar is drawn again."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        size = Size(max(0, width), len(self._doc.lines) + (1 if self._notice else 0))
        # (``scrollbar-gutter: stable`` keeps the content width the same either way)
        set_scroll_range(self, size, repaint=repaint)

    def _invalidate(self) -> None:
        self._strip_cache.clear()
        self._strip_width = self.scrollable_content_region.width if self.is_mounted else -1
        self.refresh()

    def _resolve_marks(self) -> None:
        paragraphs = self.paragraphs
        marks: dict[int, list[tuple[int, int]]] = {}
        order: list[tuple[int, int, int]] = []
        if paragraphs:
            for hl in self._highlights:
                found = resolve_anchor(paragraphs, hl)
                if found is None:
                    continue
                p, s, e = found
                marks.setdefault(p, []).append((s, e))
                order.append(found)
        order.sort()
        self._marks = marks
        self._mark_order = order

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

    def _set_selection(self, selection: tuple[int, int, int] | None) -> None:
        self._selection = selection
        self._invalidate()
        if selection is not None:
            b, _s, e = selection
            row = self._row_of(b, max(0, e - 1))
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
        p, s, _ = self._mark_order[index]
        self.scroll_to_paragraph(p, s)

    def _mark_after(self, direction: int) -> int | None:
        """The highlight ``]`` (``direction`` 1) or ``[`` (-1) goes to, if any."""
        order = self._mark_order
        if self._current_mark is None:
            here = int(self.scroll_y) + CONTEXT_ROWS
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

    # -- rendering -------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        """Styles changed (theme, CSS, focus): the rows are built again, unless every
        style they use is the same (focus only changes the pane's border)."""
        super().notify_style_update()
        old_styles, old_base = self._styles, self._base
        self._styles = None
        self._base = None
        if (
            old_styles is not None
            and old_base is not None
            and self._base_style() == old_base
            and all(self._style(name) == style for name, style in old_styles.items())
        ):
            return
        self._strip_cache.clear()

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

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop``; an article shown before the view had its size (the first
        screen) is laid out for its width here, in the frame that first draws it."""
        if self._doc.lines and self._doc.measure != self._effective_measure():
            self._relayout()
        return super().render_lines(crop)

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
        text = Text(self._notice, style=self._style("notice"), end="")
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
            for a, b in marks:
                if b > s0 and a < e0:
                    runs.append((max(a, s0) - s0, min(b, e0) - s0, mark))
        selection = self._selection
        if selection is not None and selection[0] == line.block:
            _, a, b = selection
            if b > s0 and a < e0:
                runs.append((max(a, s0) - s0, min(b, e0) - s0, _bg(self._style("selection"))))
        if not runs:
            if piece:  # plain body text is left unstyled: Textual draws it in the base style
                segments.append(Segment(piece, None if style is base else style))
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

    # -- scrolling, position ------------------------------------------------------------------------
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
        if not self._warming:
            self._warming = True
            after_input(self, self._warm_next_page)

    def on_focus(self, event: events.Focus) -> None:
        """Opened: the next page's rows are built after the frame (see ``_warm_next_page``)."""
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

    def on_resize(self, event: events.Resize) -> None:
        self._styles = None
        self._update_virtual_size()
        if (
            self.scrollable_content_region.width != self._strip_width
            or self._effective_measure() != self._doc.measure
        ):
            self._relayout()
        # else only the height or the scroll range changed: the rows drawn are still right
        # (a new article's virtual size reaches here as a Resize after each screen layout)
        self.call_after_refresh(self._check_end)

    # -- actions ---------------------------------------------------------------------------------------
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
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_wider(self) -> None:
        self.set_measure(self._measure + MEASURE_STEP)

    def action_narrower(self) -> None:
        self.set_measure(self._measure - MEASURE_STEP)

    def action_start_selection(self) -> None:
        self.start_selection()

    def action_cancel_selection(self) -> None:
        self.cancel_selection()

    def action_next_highlight(self) -> None:
        self.next_highlight()

    def action_prev_highlight(self) -> None:
        self.prev_highlight()

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
        self._selecting = False
        if self._selection != (block, start, end):
            self._selection = (block, start, end)
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


_HEADER_STYLES = {"title": "title", "meta": "meta", "header-rule": "rule"}
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
