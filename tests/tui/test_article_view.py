"""Pilot tests for the centre pane, ArticleView, mounted alone in a tiny app."""

from __future__ import annotations

from article_view_support import ViewApp, show_whole
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.strip import Strip

from reader.models import Article, Highlight
from reader.tui.widgets.article.loading import MISSING_BODY
from reader.tui.widgets.article.view import ArticleView

SIZE = (100, 30)

STORY = """Tides turn twice a day. The harbour empties at noon. Gulls wait on the posts.

The keeper writes in a ledger. Mr. Hale checks it every night.

""" + "\n\n".join(
    f"Paragraph {i} tells of boats and nets and weather on the long grey coast." for i in range(60)
)


def _article(title: str = "Harbour Days", article_id: str = "a1") -> Article:
    return Article(
        id=article_id,
        title=title,
        author="Ann Reed",
        site="example.org",
        published="2024-03-01",
        reading_minutes=4,
        tags=["sea"],
    )


def _rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def _row_with(view: ArticleView, needle: str) -> tuple[int, Strip]:
    for y in range(view.scrollable_content_region.height):
        strip = view.render_line(y)
        if needle in strip.text:
            return y, strip
    raise AssertionError(f"{needle!r} not on screen: {_rows(view)}")


def _bg_under(strip: Strip, needle: str) -> set[object]:
    """Background colours of the cells showing ``needle`` in ``strip``."""
    colours: set[object] = set()
    pos = 0
    start = strip.text.index(needle)
    end = start + len(needle)
    for seg in strip:
        seg_end = pos + len(seg.text)
        if seg_end > start and pos < end:
            colours.add(seg.style.bgcolor if seg.style else None)
        pos = seg_end
    return colours


async def test_shows_title_meta_and_text() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        await pilot.pause()
        text = "\n".join(_rows(view))
        assert "Harbour Days" in text
        assert "Ann Reed · example.org · 2024-03-01 · 4 min read · #sea" in text
        assert "Tides turn twice a day." in text
        assert view.article is not None and view.article.id == "a1"
        assert view.paragraphs[0].startswith("Tides turn twice a day.")


async def test_missing_body_shows_notice() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), None)
        await pilot.pause()
        assert any(MISSING_BODY in row for row in _rows(view))
        view.clear("Nothing selected")
        await pilot.pause()
        assert any("Nothing selected" in row for row in _rows(view))
        assert view.article is None


async def test_keys_scroll() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        view.focus()
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("k")
        assert view.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 10
        assert view.progress == 1.0
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y > 5


async def test_position_restored_and_end_reported() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY, position=0.5)
        await pilot.pause()
        await pilot.pause()
        assert abs(view.progress - 0.5) < 0.05
        assert not any(isinstance(m, ArticleView.ReachedEnd) for m in app.messages)
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        ends = [m for m in app.messages if isinstance(m, ArticleView.ReachedEnd)]
        assert [m.article_id for m in ends] == ["a1"]


async def test_long_article_is_virtual() -> None:
    sentence = "The quick brown fox jumps over the lazy dog near the river bank today."
    paragraphs = [" ".join([sentence] * 8) for _ in range(20_000 // 112 + 1)]
    markdown = "\n\n".join(paragraphs)
    assert len(markdown.split()) >= 20_000
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown)
        assert len(view.paragraphs) == len(paragraphs)
        assert view.line_count > 1500
        height = view.scrollable_content_region.height
        built = view.strips_built
        assert 0 < built <= 2 * height
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        assert view.strips_built - built <= 2 * height
        assert any(sentence[:20] in row for row in _rows(view))


async def test_measure_keys() -> None:
    app = ViewApp()
    async with app.run_test(size=(140, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        view.focus()
        await pilot.pause()
        assert view.measure == 80
        await pilot.press("plus")
        assert view.measure == 84
        await pilot.press("minus", "minus")
        assert view.measure == 76
        widths = [len(row.rstrip()) - (len(row) - len(row.lstrip())) for row in _rows(view)]
        assert max(widths) <= 76
        view.set_measure(10)
        assert view.measure == 40
        view.set_measure(999)
        assert view.measure == 160


async def test_sentence_selection_keys() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        view.focus()
        await pilot.pause()
        await pilot.press("v")
        assert view.selection == (0, 0, 23, "Tides turn twice a day.")
        await pilot.press("j")
        assert view.selection is not None
        assert view.selection[3] == "Tides turn twice a day. The harbour empties at noon."
        assert view.scroll_y == 0  # j extends instead of scrolling
        await pilot.press("k")
        assert view.selection[3] == "Tides turn twice a day."
        await pilot.press("J", "J")  # to the paragraph's last sentence
        assert view.selection[3].endswith("Gulls wait on the posts.")
        await pilot.press("J")  # then on into the next paragraph
        assert view.selection[3].endswith("posts.\n\nThe keeper writes in a ledger.")
        assert view.selection_end_paragraph == 1
        await pilot.press("K")  # and back
        assert view.selection[3].endswith("Gulls wait on the posts.")
        y, strip = _row_with(view, "Tides turn")
        selection_bg = view.get_component_rich_style("article-view--selection").bgcolor
        assert selection_bg in _bg_under(strip, "Tides turn")
        await pilot.press("escape")
        assert view.selection is None
        assert isinstance(app.messages[-1], ArticleView.SelectionChanged)
        assert app.messages[-1].selection is None
        await pilot.press("j")
        assert view.scroll_y == 1  # scrolling again


async def test_mouse_drag_selects_words() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        await pilot.pause()
        y, strip = _row_with(view, "The keeper writes")
        x0 = strip.text.index("keeper")
        x1 = strip.text.index("ledger") + 2
        await pilot.mouse_down(view, offset=(x0 + 1, y))
        await pilot.hover(view, offset=(x1, y))
        await pilot.mouse_up(view, offset=(x1, y))
        assert view.selection is not None
        paragraph, start, end, text = view.selection
        assert paragraph == 1
        assert text == "keeper writes in a ledger."
        assert view.paragraphs[1][start:end] == text
        await pilot.click(view, offset=(x0, y))
        assert view.selection is None


async def test_highlights_marked_and_navigated() -> None:
    app = ViewApp()
    highlights = [
        Highlight(id="h1", article_id="a1", text="The harbour empties at noon."),
        Highlight(id="h2", article_id="a1", text="Paragraph 40 tells of boats"),
        Highlight(id="h3", article_id="a1", text="Paragraph 55 tells of boats"),
        Highlight(id="gone", article_id="a1", text="words that are not there"),
    ]
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY, highlights[:1])
        view.focus()
        await pilot.pause()
        mark_bg = view.get_component_rich_style("article-view--highlight").bgcolor
        assert mark_bg is not None
        _, strip = _row_with(view, "The harbour empties")
        assert _bg_under(strip, "harbour empties") == {mark_bg}
        assert mark_bg not in _bg_under(strip, "Tides turn")
        view.set_highlights(highlights)
        await pilot.press("right_square_bracket")  # h1, just below the top rows
        await pilot.pause()
        assert 0 < view.scroll_y < 5
        await pilot.press("right_square_bracket")  # h2
        await pilot.pause()
        top = view.scroll_y
        assert top > 10
        _, strip = _row_with(view, "Paragraph 40 tells")  # the one gone to: drawn brighter
        current_bg = view.get_component_rich_style("article-view--highlight-current").bgcolor
        assert _bg_under(strip, "Paragraph 40") == {current_bg} != {mark_bg}
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.scroll_y > top
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.scroll_y == top
        view.scroll_to_paragraph(0, animate=False)
        await pilot.pause()
        assert view.scroll_y == 0 or view.scroll_y <= 4


async def test_a_place_highlighted_twice_is_one_jump() -> None:
    app = ViewApp()
    twice = [
        Highlight(id="h1", article_id="a1", text="Paragraph 40 tells of boats"),
        Highlight(id="h2", article_id="a1", text="Paragraph 40 tells of boats"),
        Highlight(id="h3", article_id="a1", text="Paragraph 55 tells of boats"),
    ]
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY, twice)
        view.focus()
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        first = view.current_highlight
        await pilot.press("right_square_bracket")  # on to paragraph 55, not the same place
        await pilot.pause()
        assert first is not None and view.current_highlight is not None
        assert view.current_highlight[0] > first[0]


async def test_untrusted_markup_and_escapes_are_literal() -> None:
    hostile = "Look [bold]x[/] and [@click=app.quit]q[/] then \x1b[31mred\x1b[0m and \x07bell."
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(title="[b]T[/b] \x1b]0;pwn\x07"), hostile)
        await pilot.pause()
        text = "\n".join(_rows(view))
        assert "[bold]x[/]" in text
        assert "[@click=app.quit]q[/]" in text
        assert "[31mred[0m" in text
        assert "\x1b" not in text and "\x07" not in text
        assert "[b]T[/b]" in text
        _, strip = _row_with(view, "[bold]x[/]")
        assert not any(seg.style and seg.style.bold for seg in strip if "x" in seg.text)
        await pilot.click(view, offset=(20, 4))
        await pilot.pause()
        assert app.is_running


async def test_wide_characters_wrap_inside_measure() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), "東京の港には船がたくさんあります。" * 20 + " 😀" * 30)
        await pilot.pause()
        rows = _rows(view)
        assert "".join(rows).count("港") == 20  # nothing lost or cut at the edge
        for row in rows:
            assert cell_len(row.strip()) <= view.measure


async def test_position_changed_after_scrolling_stops() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), STORY)
        view.focus()
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause(0.8)
        positions = [m for m in app.messages if isinstance(m, ArticleView.PositionChanged)]
        assert positions, "no PositionChanged after scrolling"
        assert positions[-1].article_id == "a1"
        assert abs(positions[-1].progress - view.progress) < 1e-9
        assert 0 < positions[-1].progress < 1


async def test_huge_single_line_goes_through_worker() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), "word " * 200_000 + "[" * 100_000)
        assert view.line_count > 10_000
        assert len(view.paragraphs) == 1
        assert [m.article_id for m in app.messages if isinstance(m, ArticleView.Ready)] == ["a1"]
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        assert "[[[[" in "".join(_rows(view))
        assert app.is_running


# -- long articles: preview first, full layout from the worker, cache ----------------------------

LONG_SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank today."


def _long_markdown(words: int = 20_000) -> str:
    paragraphs = [f"Part {i}. " + " ".join([LONG_SENTENCE] * 8) for i in range(words // 114 + 1)]
    return "\n\n".join(paragraphs)


class _HeldWorker:
    """Holds ``loading._build`` in the layout worker's thread until ``release``."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        import threading

        from reader.tui.widgets.article import loading as article_view

        self.gate = threading.Event()
        self.calls_in_worker = 0
        real = article_view._build
        main = threading.main_thread()

        def held(*args: object) -> object:
            if threading.current_thread() is not main:
                self.calls_in_worker += 1
                self.gate.wait(10)
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(article_view, "_build", held)

    def release(self) -> None:
        self.gate.set()


async def test_long_article_shows_first_screen_before_full_layout(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    held = _HeldWorker(monkeypatch)
    markdown = _long_markdown()
    assert len(markdown.split()) >= 20_000
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), markdown)
        await pilot.pause()
        # the first screen is drawn from the preview while the worker is still held
        assert held.calls_in_worker == 1
        assert not view.ready
        assert any("Part 0. The quick brown fox" in row for row in _rows(view))
        preview_rows = view.line_count
        assert 0 < preview_rows < 400
        assert not any(isinstance(m, ArticleView.Ready) for m in app.messages)
        assert not any(isinstance(m, ArticleView.ReachedEnd) for m in app.messages)
        view.focus()
        await pilot.press("j", "j", "j")  # reading the preview already scrolls
        assert view.scroll_y == 3
        top = _rows(view)[0]
        held.release()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.ready
        assert view.line_count > 1500 > preview_rows
        assert len(view.paragraphs) == markdown.count("\n\n") + 1
        assert [m.article_id for m in app.messages if isinstance(m, ArticleView.Ready)] == ["a1"]
        assert view.scroll_y == 3 and _rows(view)[0] == top  # the place is kept
        await pilot.press("G")
        await pilot.pause()
        assert any(f"Part {markdown.count(chr(10) * 2)}." in row for row in _rows(view))


async def test_paragraphs_during_preview_waits_for_the_worker(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    held = _HeldWorker(monkeypatch)
    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.show(_article(), markdown)
        await pilot.pause()
        assert not view.ready
        threading.Timer(0.05, held.release).start()
        paragraphs = view.paragraphs  # blocks until the worker is done, then applies it
        assert len(paragraphs) == markdown.count("\n\n") + 1
        assert view.ready and view.line_count > 1500
        await app.workers.wait_for_complete()
        await pilot.pause()
        readies = [m for m in app.messages if isinstance(m, ArticleView.Ready)]
        assert [m.article_id for m in readies] == ["a1"]  # once, not again from the worker


async def test_position_restored_after_full_layout_of_long_article() -> None:
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), _long_markdown(), position=0.5)
        await pilot.pause()
        assert view.ready
        assert abs(view.progress - 0.5) < 0.01
        assert not any(isinstance(m, ArticleView.ReachedEnd) for m in app.messages)


async def test_going_back_to_an_article_uses_the_layout_cache(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reader.tui.widgets.article import loading as article_view

    markdown = _long_markdown()
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await show_whole(pilot, _article(), markdown)
        lines = view.line_count
        view.show(_article("Other", "a2"), STORY)
        await pilot.pause()
        assert view.paragraphs[0].startswith("Tides turn")

        def no_parsing(*args: object) -> object:
            raise AssertionError("laid out again instead of taken from the cache")

        monkeypatch.setattr(article_view, "_build", no_parsing)
        monkeypatch.setattr(article_view, "_build_preview", no_parsing)
        hits = view.documents.hits
        view.show(_article(), markdown)
        assert view.ready and view.line_count == lines  # at once, no worker
        assert view.documents.hits == hits + 1
        await pilot.pause()
        assert any("Part 0. The quick brown fox" in row for row in _rows(view))
        readies = [m.article_id for m in app.messages if isinstance(m, ArticleView.Ready)]
        assert readies == ["a1", "a2", "a1"]
        # a changed body is not taken from the cache
        monkeypatch.undo()
        await show_whole(pilot, _article(), markdown + "\n\nOne more paragraph.")
        assert view.paragraphs[-1] == "One more paragraph."


def test_document_cache_is_a_small_lru() -> None:
    from reader.tui.widgets.article.layout import LaidDocument as _Document
    from reader.tui.widgets.article.loading import DocumentCache

    cache = DocumentCache(maxsize=2)
    docs = [_Document([], [], 80, []) for _ in range(3)]
    keys = [DocumentCache.key(f"a{i}", "body", 80, "T", "") for i in range(3)]
    cache.put(keys[0], docs[0])
    cache.put(keys[1], docs[1])
    assert cache.get(keys[0]) is docs[0]  # a0 is now the most recent
    cache.put(keys[2], docs[2])
    assert cache.get(keys[1]) is None and len(cache) == 2
    assert cache.get(keys[0]) is docs[0] and cache.get(keys[2]) is docs[2]
    cache.put(DocumentCache.key("p", "body", 80, "T", ""), _Document([], [], 80, [], True))
    assert len(cache) == 2  # previews are never kept
    assert DocumentCache.key("a", "x", 80, "T", "") != DocumentCache.key("a", "y", 80, "T", "")


def test_fast_ascii_wrap_matches_word_by_word_wrap() -> None:
    import random

    from reader.tui.widgets.article import layout as article_layout

    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("ab  \nxyz") for _ in range(rng.randint(0, 50)))
        width = rng.randint(1, 14)
        fast = article_layout.wrap_text(text, width)
        slow = article_layout.wrap_text(text + "\t", width)  # a tab: the general path
        slow = [(s, e) for s, e in slow if s < len(text) or (s, e) == (len(text), len(text))]
        assert fast == slow[: len(fast)] and len(fast) == len(slow), (text, width)


async def test_quote_pane_skips_rebuilding_unchanged_entries() -> None:
    from reader.quotes import Quotation
    from reader.tui.widgets.quote_pane import QuotePane, warm_quotations

    class PaneApp(App[None]):
        def compose(self) -> ComposeResult:
            yield QuotePane()

    warm_quotations()  # runs without error; compiles the patterns
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(QuotePane)
        quote = Quotation("We sail at dawn", "Ann Reed", 0, 1, 16)
        pane.show([], [])
        pane.show([], [])
        assert pane.rebuilds == 1
        pane.show([], [quote])
        assert pane.rebuilds == 2 and pane.option_count == 2
        pane.show([], [quote], keep=1)
        assert pane.rebuilds == 2 and pane.highlighted == 1
        pane.clear()
        pane.show([], [quote], keep=1)
        assert pane.rebuilds == 3 and pane.option_count == 2
        await pilot.pause()
        assert pane.current is not None and pane.current.text == "We sail at dawn"
