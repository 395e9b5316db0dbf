"""Opening a long article in ``ArticleView``: what the preview and the layout worker hand
over must be what a full layout shows (rows, highlights, the end, jumps to a paragraph)."""

from __future__ import annotations

from article_view_support import ViewApp, show_whole
from rich.segment import Segment
from textual.strip import Strip

from reader.models import Article, Highlight
from reader.sanitize import clean_text
from reader.text.document import parse_document
from reader.tui.widgets.article.layout import layout_article
from reader.tui.widgets.article.loading import SYNC_LAYOUT_CHARS
from reader.tui.widgets.article.view import ArticleView

SIZE = (100, 30)
SENTENCE = "“The tide comes in,” said Ana, “and the boats go out!” Then the quay empties."


def _long_markdown(paragraphs: int = 400) -> str:
    parts = []
    for i in range(paragraphs):
        if i % 25 == 7:
            parts.append(f"## Section {i}")
        elif i % 25 == 13:
            parts.append(f"- point {i} *one*\n- point {i} two")
        parts.append(f"Part {i}. " + " ".join([SENTENCE] * 5))
    markdown = "\n\n".join(parts)
    assert len(markdown) > SYNC_LAYOUT_CHARS  # shown through the preview and the worker
    return markdown


def _article() -> Article:
    return Article(id="a1", title="Long Tides", author="Ann Reed", word_count=20_000)


def _rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def _backgrounds(strip: Strip, needle: str) -> set[object]:
    start = strip.text.index(needle)
    end = start + len(needle)
    colours: set[object] = set()
    pos = 0
    for segment in strip:
        assert isinstance(segment, Segment)
        seg_end = pos + len(segment.text)
        if seg_end > start and pos < end and segment.style is not None:
            colours.add(segment.style.bgcolor)
        pos = seg_end
    return colours


async def test_long_article_rows_equal_a_full_layout() -> None:
    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown)
        assert view.ready
        blocks = parse_document(clean_text(markdown))
        full = layout_article(blocks, view.measure, title="Long Tides", meta="Ann Reed")
        assert view.line_count == len(full)
        assert view.paragraphs == [b.text for b in blocks]
        await pilot.press("G")
        await pilot.pause()
        last = blocks[-1].text
        assert any(row.strip() and row.strip() in last for row in _rows(view)[-3:])
        assert view.end_visible


async def test_highlight_on_the_first_screen_is_marked_once_the_whole_text_is_in() -> None:
    markdown = _long_markdown()
    highlight = Highlight(id="h1", article_id="a1", text="Part 1. “The tide comes in,”")
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown, [highlight])
        mark = view.get_component_rich_style("article-view--highlight").bgcolor
        row = next(r for r in range(30) if "Part 1. " in view.render_line(r).text)
        assert _backgrounds(view.render_line(row), "Part 1.") == {mark}
        assert mark not in _backgrounds(view.render_line(row), "said Ana")


async def test_jump_to_a_late_paragraph_of_a_long_article() -> None:
    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown)
        target = next(i for i, p in enumerate(view.paragraphs) if p.startswith("Part 390."))
        view.scroll_to_paragraph(target, 0)
        await pilot.pause()
        assert any("Part 390." in row for row in _rows(view)[:5])


async def test_height_change_keeps_drawn_rows_and_width_change_lays_out_again() -> None:
    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown)
        _rows(view)
        built, lines = view.strips_built, view.line_count
        await pilot.resize_terminal(SIZE[0], SIZE[1] + 6)
        await pilot.pause()
        _rows(view)
        assert view.strips_built - built <= 6  # only the rows that came into view
        assert view.line_count == lines
        await pilot.resize_terminal(60, SIZE[1])
        await pilot.pause()
        rows = _rows(view)
        assert view.line_count > lines  # narrower: wrapped again
        assert all(len(row.rstrip()) <= 60 for row in rows)
        assert view.strips_built - built >= len(rows)


async def test_the_layout_worker_starts_once_the_preview_is_drawn() -> None:
    markdown = _long_markdown()
    assert len(markdown) > SYNC_LAYOUT_CHARS
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.show(_article(), markdown)
        assert not view.ready  # the preview
        assert not list(app.workers)  # nothing competes with drawing the preview's frame
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.ready


async def test_paragraphs_asked_before_the_preview_is_drawn_start_the_worker() -> None:
    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.show(_article(), markdown)
        paragraphs = view.paragraphs  # e.g. a key handled before the next frame
        assert paragraphs == [b.text for b in parse_document(clean_text(markdown))]
        assert view.ready
