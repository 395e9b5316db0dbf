"""The virtual list pane on its own: 10,000 rows, only the visible ones drawn; cursor keys;
swapping the rows; hostile titles shown literally; the messages the app listens to."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from reader.models import Article
from reader.tui.widgets import list_pane
from reader.tui.widgets.list_pane import ROW_HEIGHT, ListPane

SIZE = (60, 24)  # the pane is 22 lines high inside its border: 11 rows show


def articles(count: int, prefix: str = "Article") -> list[Article]:
    return [
        Article(
            id=f"{prefix[:1].lower()}{n:05d}",
            title=f"{prefix} {n}",
            added=f"2026-01-{n % 28 + 1:02d}",
        )
        for n in range(count)
    ]


class PaneApp(App[None]):
    def __init__(self, rows: list[Article]) -> None:
        super().__init__()
        self.rows = rows
        self.highlighted: list[str | None] = []
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield ListPane(id="list")

    def on_mount(self) -> None:
        pane = self.query_one(ListPane)
        pane.show_articles(self.rows)
        pane.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.highlighted.append(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.selected.append(event.option.id)


def screen_text(pane: ListPane) -> list[str]:
    return [pane.render_line(y).text for y in range(pane.size.height)]


async def test_ten_thousand_rows_render_only_what_shows() -> None:
    app = PaneApp(articles(10_000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ListPane)
        assert pane.option_count == 10_000
        assert pane.virtual_size.height == 10_000 * ROW_HEIGHT
        visible = pane.size.height // ROW_HEIGHT + 1
        assert 0 < pane.render_count <= 2 * visible  # cursor row drawn twice at most
        before = pane.render_count
        await pilot.press("end")
        await pilot.pause()
        assert pane.current_id == "a09999"
        assert any("Article 9999" in line for line in screen_text(pane))
        assert pane.render_count - before <= 2 * visible + 2


async def test_cursor_keys_move_and_post_highlighted() -> None:
    app = PaneApp(articles(100))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()  # the app hears of the cursor after the frame that shows it
        pane = app.query_one(ListPane)
        assert pane.highlighted == 0 and app.highlighted[-1] == "a00000"
        await pilot.press("j", "j", "down")
        assert pane.highlighted == 3
        await pilot.press("k", "up")
        assert pane.highlighted == 1
        await pilot.press("pagedown")
        page = pane.scrollable_content_region.height // ROW_HEIGHT
        assert pane.highlighted == 1 + page
        await pilot.press("pageup", "pageup")
        assert pane.highlighted == 0
        await pilot.press("end")
        assert pane.highlighted == 99
        await pilot.press("j")
        assert pane.highlighted == 99  # stays on the last row
        await pilot.press("home")
        await pilot.pause()
        await pilot.pause()
        assert pane.highlighted == 0 and app.highlighted[-1] == "a00000"
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["a00000"]


async def test_click_selects_the_row_under_the_mouse() -> None:
    app = PaneApp(articles(50))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Inside the border (1 line) and padding: line 5 of the widget is row 2.
        await pilot.click(ListPane, offset=(5, 5))
        await pilot.pause()
        pane = app.query_one(ListPane)
        assert pane.highlighted == 2
        assert app.selected == ["a00002"]


async def test_show_articles_swaps_rows_and_keeps_the_cursor_article() -> None:
    first = articles(10_000)
    app = PaneApp(first)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ListPane)
        pane.highlighted = 500
        await pilot.pause()
        fewer = first[400:600]
        pane.show_articles(fewer, keep="a00500")
        await pilot.pause()
        assert pane.option_count == 200 and pane.highlighted == 100
        assert pane.current_id == "a00500"
        assert pane.virtual_size.height == 200 * ROW_HEIGHT
        other = articles(3, prefix="Other")
        pane.show_articles(other, keep="a00500")  # not shown: cursor on the first row
        await pilot.pause()
        assert pane.current_id == "o00000"
        assert "Other 0" in "".join(screen_text(pane))
        assert pane.get_option_at_index(2).article.title == "Other 2"
        pane.show_articles([])
        await pilot.pause()
        assert pane.option_count == 0 and pane.highlighted is None and pane.current_id is None


async def test_hostile_title_shows_literally_and_update_redraws() -> None:
    hostile = Article(
        id="h1",
        title="[@click=app.quit]x[/] [bold]not bold[/bold] \x1b[31mred\x1b[0m",
        tags=["[b]tag"],
    )
    app = PaneApp([hostile, *articles(3)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ListPane)
        text = "\n".join(screen_text(pane))
        assert "[@click=app.quit]x[/]" in text
        assert "[bold]not bold" in text
        assert "#[b]tag" in text
        assert "\x1b" not in text
        changed = Article(id="h1", title="Renamed", bookmarked=True)
        pane.update_article(changed)
        await pilot.pause()
        text = "\n".join(screen_text(pane))
        assert "Renamed" in text and "★" in text
        assert app.is_running


async def test_fewer_rows_update_scrollbar_and_scroll_position() -> None:
    many = articles(100)
    app = PaneApp(many)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ListPane)
        pane.highlighted = 99  # the last row: scrolled far down
        await pilot.pause()
        assert pane.scroll_y > 0 and pane.show_vertical_scrollbar
        pane.show_articles(many[:3])
        await pilot.pause()
        assert pane.virtual_size.height == 3 * ROW_HEIGHT
        assert pane.scroll_y == 0  # clamped to the shorter list
        assert not pane.show_vertical_scrollbar
        shown = "\n".join(screen_text(pane))
        assert all(f"Article {n}" in shown for n in range(3))
        pane.show_articles(many)
        await pilot.pause()
        assert pane.virtual_size.height == 100 * ROW_HEIGHT and pane.show_vertical_scrollbar


async def test_the_cursor_is_drawn_before_the_app_hears_of_it_once_per_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (the safety net for a pane no frame draws would fire first on a very busy machine)
    monkeypatch.setattr(list_pane, "ANNOUNCE_AT_LATEST", 30.0)
    rows = articles(20)
    app = PaneApp(rows)
    frames: list[tuple[int, int]] = []  # (cursor row drawn, calls heard by then)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ListPane)
        await pilot.pause()
        heard: list[str] = []
        pane.on_cursor = lambda article: heard.append(article.id)
        display = app._display

        def recording(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                frames.append((pane._drawn or 0, len(heard)))

        app._display = recording  # type: ignore[method-assign]
        app.highlighted.clear()
        for row in (3, 4, 5):  # three moves before any frame: a key held down
            pane.highlighted = row
        assert heard == [] and app.highlighted == []  # nothing but the rows, yet
        await pilot.pause()
        await pilot.pause()
        assert frames and frames[0] == (5, 0)  # the cursor's frame came first
        assert heard == [rows[5].id]  # then the app heard, once, of where it rests
        await pilot.pause()
        assert app.highlighted == [rows[5].id]
        await pilot.pause(0.2)
        assert heard == [rows[5].id] and app.highlighted == [rows[5].id]  # once only
