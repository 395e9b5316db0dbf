"""Loading an article into the article pane: parsing, layout, a preview, a worker.

Owns ``ArticleLoading`` (the base of ``ArticleView`` that shows an article) and
``DocumentCache``. A body longer than ``SYNC_LAYOUT_CHARS`` shows a *preview* at once (its
start, parsed and laid out in ``show``, or the blocks the start snapshot kept) while a
thread worker parses and lays out the whole text; the full layout then replaces the
preview in place (``ArticleView.Ready``). Laid-out documents are kept in a small LRU
(``DOC_CACHE_SIZE``) keyed by article id, body and width, so going back to an article shows
it without parsing again. Article text is cleaned with ``reader.sanitize.clean_text``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from textual import events, work
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.models import Article, Highlight
from reader.sanitize import clean_line, clean_text
from reader.text.article_head import head_blocks, head_is_whole
from reader.text.document import Block, parse_document
from reader.text.passages import resolve_range
from reader.timestamps import local_day
from reader.tui.scroll_range import set_scroll_range
from reader.tui.widgets.article.layout import (
    DEFAULT_MEASURE,
    MAX_MEASURE,
    MIN_MEASURE,
    LaidDocument,
    first_lines,
    layout_article,
)
from reader.tui.widgets.article.position import ArticleMessage, ArticlePosition

# Markdown longer than this is parsed and laid out in a thread worker (a preview first).
SYNC_LAYOUT_CHARS = 40_000
# Markdown longer than this also shows the loading indicator until the worker is done.
BACKGROUND_PARSE_CHARS = 250_000
# Laid-out documents kept for going back to an article.
DOC_CACHE_SIZE = 8
# ``paragraphs`` asked during a preview waits this long for the worker (see there).
PARAGRAPHS_WAIT_SECONDS = 1.0
MISSING_BODY = "This article's text is missing (body file not found)."

DocKey = tuple[str, int, int, int, str, str]


class _Pending:
    """The layout worker's result, handed over as soon as it exists."""

    def __init__(
        self,
        generation: int,
        key: DocKey,
        start: Callable[[], None],
        build: Callable[[], LaidDocument],
    ) -> None:
        self.generation = generation
        self.key = key
        self.done = threading.Event()
        self.doc: LaidDocument | None = None
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

    def build_here(self) -> LaidDocument:
        """Lay the text out in this thread, the worker never started (the text is needed
        before the preview's frame: a worker could not even start while we wait)."""
        self._start = None
        self.doc = self._build()
        self.done.set()
        return self.doc


class DocumentCache:
    """A small LRU of laid-out documents: ``(article id, body, measure, title, meta)`` ->
    ``LaidDocument``. Safe to share: documents are never changed once built."""

    def __init__(self, maxsize: int = DOC_CACHE_SIZE) -> None:
        self.maxsize = maxsize
        self._docs: OrderedDict[DocKey, LaidDocument] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(article_id: str, markdown: str, measure: int, title: str, meta: str) -> DocKey:
        """The cache key of one layout (the body enters by length and hash)."""
        return (article_id, len(markdown), hash(markdown), measure, title, meta)

    def get(self, key: DocKey) -> LaidDocument | None:
        """The document for ``key`` (now the most recently used), or ``None``."""
        doc = self._docs.get(key)
        if doc is None:
            self.misses += 1
            return None
        self.hits += 1
        self._docs.move_to_end(key)
        return doc

    def put(self, key: DocKey, doc: LaidDocument) -> None:
        """Keep ``doc`` (a full document, never a preview)."""
        if doc.partial:
            return
        self._docs[key] = doc
        self._docs.move_to_end(key)
        while len(self._docs) > self.maxsize:
            self._docs.popitem(last=False)

    def __len__(self) -> int:
        return len(self._docs)


def _deck(article: Article, markdown: str | None) -> str:
    """The article's deck (its summary) to show under the title: '' when there is none or
    when the body opens with it (a feed's teaser is often the first paragraph)."""
    deck = clean_line(article.summary or "")
    if not deck:
        return ""
    start = " ".join((markdown or "")[: len(deck) * 2 + 200].split())
    return "" if " ".join(deck.split()[:12]) in start else deck


def _header_meta(article: Article, markdown: str | None) -> str:
    """``layout_article``'s ``meta``: the meta line, then the deck on a line of its own."""
    deck = _deck(article, markdown)
    meta = _meta_line(article)
    return f"{meta}\n{deck}" if deck else meta


def _meta_line(article: Article) -> str:
    parts: list[str] = []
    for value in (article.author, article.site):
        if value and clean_line(value):
            parts.append(clean_line(value))
    if article.published:
        parts.append(clean_line(local_day(article.published)))
    if article.reading_minutes:
        parts.append(f"{article.reading_minutes} min read")
    tags = " ".join(f"#{clean_line(t)}" for t in article.tags if clean_line(t))
    if tags:
        parts.append(tags)
    return " · ".join(parts)


def _build(markdown: str, measure: int, title: str, meta: str) -> LaidDocument:
    blocks = parse_document(clean_text(markdown))
    lines = layout_article(blocks, measure, title=title, meta=meta)
    return LaidDocument(blocks, lines, measure, first_lines(lines, len(blocks)))


def _layout_preview(blocks: list[Block], measure: int, title: str, meta: str) -> LaidDocument:
    """The rows of the body's start, from its blocks (``reader.text.article_head``)."""
    lines = layout_article(blocks, measure, title=title, meta=meta)
    return LaidDocument(blocks, lines, measure, first_lines(lines, len(blocks)), True)


def _build_preview(markdown: str, measure: int, title: str, meta: str) -> LaidDocument:
    """The rows of a long body's start (``head_blocks``); only the header when it has no
    good place to cut."""
    return _layout_preview(head_blocks(markdown), measure, title, meta)


class ArticleLoading(ArticlePosition):
    """Showing an article (preview, worker, cache, layout); see the module's docstring."""

    class Ready(ArticleMessage, namespace="article_view"):
        """The article's text is parsed and laid out: ``paragraphs`` is now valid.

        Posted by every ``show`` with a body; for bodies over ``BACKGROUND_PARSE_CHARS``
        it comes later, from the layout worker.
        """

    def __init__(self, **kwargs: str | None) -> None:  # name, id, classes: as Widget's
        super().__init__(**kwargs)
        self._markdown: str | None = None
        self._measure = DEFAULT_MEASURE
        self._highlights: list[Highlight] = []
        self._docs = DocumentCache()
        self._doc_key: DocKey | None = None
        self._pending: _Pending | None = None
        self._generation = 0

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
        self._current_span = None
        self._reached_end_sent = False
        self._pending_position = min(1.0, max(0.0, position))
        title = clean_line(article.title) or "(untitled)"
        meta = _header_meta(article, markdown)
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
        self._apply(LaidDocument([], [], self._effective_measure(), []))

    def update_article(self, article: Article) -> None:
        """Take a change to the shown article's fields (tags, title…): its header is laid
        out again when what it shows changed, keeping the place."""
        shown = self._article
        if shown is None or shown.id != article.id:
            return
        self._article = article
        header = (clean_line(article.title) or "(untitled)", _header_meta(article, self._markdown))
        key = self._doc_key
        if key is not None and key[4:] != header:  # (the article may be changed in place)
            self._doc_key = (*key[:4], *header)
            self._relayout(force=True)

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Mark ``highlights`` (found with ``resolve_range``) without moving the view.
        The same highlights again change nothing (no rows are drawn again)."""
        highlights = list(highlights)
        if highlights == self._highlights:
            return
        self._highlights = highlights
        self._resolve_marks()
        self._invalidate()

    def set_measure(self, columns: int) -> None:
        """Set the text width to ``columns`` (clamped to 40..160), keeping the place."""
        columns = min(MAX_MEASURE, max(MIN_MEASURE, int(columns)))
        if columns == self._measure:
            return
        self._measure = columns
        self._relayout()

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

    def _apply_if_current(self, generation: int, key: DocKey, doc: LaidDocument) -> None:
        self._docs.put(key, doc)
        if generation != self._generation or not self._doc.partial:
            return  # another article, or already put in place (by ``paragraphs``)
        self._pending = None
        if self.loading:
            self.loading = False
        if doc.measure != self._effective_measure():  # the width changed meanwhile
            self._doc = doc
            self._resolve_marks()  # the preview's were found in its few paragraphs
            self._relayout()
        else:
            self._replace_preview(doc)
        if self._article is not None:
            self.post_message(self.Ready(self._article.id))

    def _replace_preview(self, doc: LaidDocument) -> None:
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
            same_blocks and self._selection[2] < len(preview.blocks) - 1
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

    def _apply(self, doc: LaidDocument) -> None:
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

    def _relayout(self, *, force: bool = False) -> None:
        """Lay the same blocks out again (measure or width changed, or ``force``: the
        header did), keeping the place."""
        measure = self._effective_measure()
        if measure == self._doc.measure and not force:
            self._invalidate()
            return
        anchor = self._top_anchor()
        doc = self._doc
        title, meta = "", ""
        if self._article is not None:
            title = clean_line(self._article.title) or "(untitled)"
            meta = _header_meta(self._article, self._markdown)
        key = None
        cached = None
        if self._article is not None and self._markdown is not None and not doc.partial:
            key = DocumentCache.key(self._article.id, self._markdown, measure, title, meta)
            cached = self._docs.get(key)
        if cached is not None:
            self._doc = cached
        else:
            lines = layout_article(doc.blocks, measure, title=title, meta=meta)
            first = first_lines(lines, len(doc.blocks))
            self._doc = LaidDocument(doc.blocks, lines, measure, first, doc.partial)
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

    def _resolve_marks(self) -> None:
        paragraphs = self.paragraphs
        marks: dict[int, list[tuple[int, int]]] = {}
        order: list[tuple[int, int, int]] = []
        if paragraphs:
            for hl in self._highlights:
                found = resolve_range(paragraphs, hl)
                if found is None:
                    continue
                for p, s, e in found:
                    marks.setdefault(p, []).append((s, e))
                order.append(found[0])
        self._marks = marks
        self._mark_order = sorted(set(order))  # a place highlighted twice is one jump

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop``; an article shown before the view had its size (the first
        screen) is laid out for its width here, in the frame that first draws it."""
        if self._doc.lines and self._doc.measure != self._effective_measure():
            self._relayout()
        return super().render_lines(crop)

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
