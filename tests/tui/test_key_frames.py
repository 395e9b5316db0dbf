"""What a key does before its frame and what waits for later frames (issue 17).

The list cursor's frame comes before the preview; keys held down lay out only the article
the cursor rests on; the quote pane follows the article and fills a screenful first; the
footer is rebuilt only when the keys it shows change; the next page of an opened article
is built in the pause after a page down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events

from reader.models import ParsedArticle
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.widgets import quote_pane as quote_pane_module
from reader.tui.widgets.footer import ReaderFooter
from reader.tui.widgets.quote_pane import QuotePane

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


def quoted_body(index: int, quotations: int, paragraphs: int) -> str:
    """A body with ``quotations`` quoted sentences and ``paragraphs`` plain paragraphs."""
    quotes = "\n\n".join(
        f'"Harbour light {index}.{n} stays on through the winter storms," said Ana Rossi.'
        for n in range(quotations)
    )
    rest = "\n\n".join(
        f"Paragraph {k} of story {index}: the keeper climbed the stairs and looked out to sea."
        for k in range(paragraphs)
    )
    return f"{quotes}\n\n{rest}\n"


def library_of(path: Path, count: int, quotations: int = 1, paragraphs: int = 80) -> Library:
    """``count`` articles, each with ``quotations`` quotations (the list shows the last
    added first)."""
    library = Library(path)
    for index in range(count):
        result = library.add_parsed(
            ParsedArticle(
                title=f"Story number {index}",
                markdown=quoted_body(index, quotations, paragraphs),
                site="example.org",
            )
        )
        library.update(result.article.id, added=f"2026-01-{index + 1:02d}T00:00:00Z")
    return library


def record_frames(app: ReaderApp) -> list[tuple[int | None, str | None]]:
    """Every frame drawn: (the list row under the cursor, the article shown)."""
    frames: list[tuple[int | None, str | None]] = []
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            shown = app.main_screen.article_view.article
            frames.append((app.main_screen.list_pane.highlighted, shown.id if shown else None))

    app._display = recording  # type: ignore[method-assign]
    return frames


async def settle(pilot: Any, app: ReaderApp) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_the_cursor_moves_in_a_frame_before_the_article_follows(tmp_path: Path) -> None:
    app = ReaderApp(library_of(tmp_path / "lib.json", 6), library_label="t")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        frames = record_frames(app)
        first = app.main_screen.article_view.article
        await pilot.press("j")
        await settle(pilot, app)
        wanted = app.main_screen.list_pane.articles[1].id
        assert (
            app.main_screen.article_view.article is not None
            and app.main_screen.article_view.article.id == wanted
        )
        assert frames[0] == (1, first.id if first else None)  # cursor moved, old article
        assert (1, wanted) in frames[1:]  # the preview in a later frame


async def test_held_down_j_lays_out_only_the_article_the_cursor_rests_on(tmp_path: Path) -> None:
    app = ReaderApp(library_of(tmp_path / "lib.json", 12), library_label="t")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        shown: list[str] = []
        show = app.main_screen.article_view.show

        def counting(article: Any, *args: Any, **kwargs: Any) -> None:
            shown.append(article.id)
            show(article, *args, **kwargs)

        app.main_screen.article_view.show = counting  # type: ignore[method-assign]
        for _ in range(6):  # keys that arrive together, as a held-down key's repeats do
            app.post_message(events.Key("j", "j"))
        await settle(pilot, app)
        assert app.main_screen.list_pane.highlighted == 6
        assert shown == [app.main_screen.list_pane.articles[6].id]


async def test_the_quote_pane_follows_and_fills_a_screenful_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quote_pane_module, "FIRST_OPTIONS", 4)
    monkeypatch.setattr(quote_pane_module, "MORE_OPTIONS", 3)
    app = ReaderApp(library_of(tmp_path / "lib.json", 3, quotations=12), library_label="t")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        pane = app.main_screen.query_one(QuotePane)
        counts: list[int] = []
        add_options = pane.add_options

        def recording(options: Any) -> Any:
            options = list(options)
            counts.append(len(options))
            return add_options(options)

        pane.add_options = recording  # type: ignore[method-assign]
        await pilot.press("j")
        assert pane.current is None  # the last article's entries stopped answering
        await settle(pilot, app)
        for _ in range(6):
            await pilot.pause()
        # a heading and 12 quotations: 4 with the article's quote pane, then 3 at a time
        assert counts == [4, 3, 3, 3]
        assert pane.option_count == 13
        assert pane.border_subtitle == "0 hl · 12 q"


async def test_the_footer_is_rebuilt_only_when_its_keys_change(tmp_path: Path) -> None:
    app = ReaderApp(library_of(tmp_path / "lib.json", 3), library_label="t")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the article pane: its footer offers "Open" too
        await settle(pilot, app)
        footer = app.main_screen.query_one(ReaderFooter)
        keys_before = [str(key.render()) for key in footer.children]
        recomposed: list[bool] = []
        recompose = footer.recompose

        async def counting() -> None:
            recomposed.append(True)
            await recompose()

        footer.recompose = counting  # type: ignore[method-assign]
        for _ in range(3):  # bindings checked again, nothing changed
            app.refresh_bindings()
            await settle(pilot, app)
        await pilot.press("space")
        await settle(pilot, app)
        assert recomposed == []
        assert [str(key.render()) for key in footer.children] == keys_before
        await pilot.press("v")  # a selection: the footer offers to cancel it
        await settle(pilot, app)
        assert recomposed
        assert any("Cancel" in str(key.render()) for key in footer.children)
        await pilot.press("escape")  # cancelled: the footer as before
        await settle(pilot, app)
        assert [str(key.render()) for key in footer.children] == keys_before


async def test_the_next_page_is_built_in_the_pause_after_a_page_down(tmp_path: Path) -> None:
    app = ReaderApp(library_of(tmp_path / "lib.json", 2, paragraphs=200), library_label="t")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        view = app.main_screen.article_view

        def next_page_built() -> bool:
            height = view.scrollable_content_region.height
            top = int(view.scroll_y) + max(1, height - 2)  # where space goes
            return all(view._strip_cache.get(row) is not None for row in range(top, top + height))

        assert not next_page_built()  # a preview builds what it shows
        await pilot.press("enter")
        await settle(pilot, app)
        assert next_page_built()  # opened: built in the pause after its frame
        for _ in range(3):
            await pilot.press("space")
            await settle(pilot, app)
            assert view.scroll_y > 0 and next_page_built()


async def test_moving_the_focus_restyles_the_two_panes_and_no_scrollbar(tmp_path: Path) -> None:
    """``enter`` and ``escape`` restyle the list and the article's frame (their borders
    change colour), not the article view (no rule of its depends on the focus, and it has
    many parts to style) nor any scrollbar: a scrollbar restyled sets its size rules again
    and asks for a layout of the whole screen."""
    from textual.scrollbar import ScrollBar

    app = ReaderApp(library_of(tmp_path / "lib.json", 3))
    restyled: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        stylesheet = app.stylesheet
        apply = stylesheet.apply

        def recording_apply(node: Any, **kwargs: Any) -> None:
            restyled.append(node)
            apply(node, **kwargs)

        stylesheet.apply = recording_apply  # type: ignore[method-assign]
        screen = app.main_screen
        frame = screen.query_one("#article")
        focused = screen.list_pane.styles.border_top  # the list has the focus at start
        for key in ("enter", "escape"):
            restyled.clear()
            await pilot.press(key)
            await settle(pilot, app)
            assert not [n for n in restyled if isinstance(n, ScrollBar)], key
            assert screen.article_view not in restyled, key
            assert {screen.list_pane, frame} <= set(restyled), key
        await pilot.press("enter")
        await settle(pilot, app)
        assert frame.styles.border_top == focused
        assert screen.list_pane.styles.border_top[1] != focused[1]
