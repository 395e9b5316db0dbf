"""Pilot tests of keys that work the same in every pane (issue 18): g/G (and home/end) go
to the top and the bottom of the list, the article and the quote pane; the footer keeps
Help and Quit on screen at every width and offers Open only where enter opens; the tag
editor's ticks differ in shape and x or space toggles one; the export dialog opens where its
hint says; the help scrolls with j/k; +/- change the text width visibly and say it."""

from __future__ import annotations

from pathlib import Path

import pytest
from terminal_cells import row_text, screen_cells
from test_tui_support import recording
from textual.containers import VerticalScroll
from textual.widgets import Input

from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.commands import COMMANDS
from reader.tui.dialogs.export import HINT, ExportDialog
from reader.tui.dialogs.tags import TagEditor

SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("no_user_config")


def test_g_and_G_are_one_command_each() -> None:
    keys = {c.action: c.keys for c in COMMANDS}
    assert keys["top"] == "g,home"
    assert keys["bottom"] == "G,end"


@pytest.mark.parametrize(("bottom", "top"), [("G", "g"), ("end", "home")])
async def test_g_and_G_go_to_the_ends_of_every_pane(lib_path: Path, bottom: str, top: str) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.main_screen.list_pane
        await pilot.press(bottom)
        assert pane.highlighted == pane.option_count - 1
        await pilot.press(top)
        assert pane.highlighted == 0
        await pilot.press(bottom, "enter")  # the longest article, in the article pane
        await pilot.pause()
        view = app.main_screen.article_view
        assert view.has_focus and view.max_scroll_y > 0
        await pilot.press(bottom)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press(top)
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("tab")  # the quote pane: a heading and a quotation
        quotes = app.main_screen.quote_pane
        assert quotes.has_focus and quotes.option_count >= 2
        await pilot.press(bottom)
        assert quotes.highlighted == quotes.option_count - 1
        await pilot.press(top)  # the first entry (a heading is skipped)
        entries = [quotes.entry(i) for i in range(quotes.option_count)]
        assert quotes.highlighted == [e.kind != "heading" for e in entries].index(True)


def _footer_text(app: ReaderApp) -> str:
    return row_text(screen_cells(app), app.size.height - 1)


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20), (44, 20)])
async def test_the_footer_always_shows_help_and_quit(lib_path: Path, size: tuple[int, int]) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for keys in ((), ("enter",), ("v",)):  # the list, the article, a selection
            await pilot.press(*keys)
            await pilot.pause()
            footer = _footer_text(app)
            assert "? Help" in footer and "q Quit" in footer, footer
        assert "Bookmark" in _footer_text(app) or size[0] < 80


async def test_the_footer_offers_open_only_where_enter_opens(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # the article pane, from the list
        await pilot.pause()
        assert app.main_screen.article_view.has_focus
        assert "Open" not in _footer_text(app)
        await pilot.press("enter")  # and enter there does nothing
        assert app.main_screen.article_view.has_focus


async def test_the_tag_editor_shows_ticks_by_shape_and_x_unticks(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G", "t")  # the tram article: city, transport
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        screen = "\n".join(row_text(screen_cells(app), y) for y in range(40))
        assert "☑ city" in screen and "☑ transport" in screen
        await pilot.press("up", "x")  # up from the input to the last tag; x unticks it
        await pilot.pause()
        screen = "\n".join(row_text(screen_cells(app), y) for y in range(40))
        assert "☑ city" in screen and "☐ transport" in screen
        await pilot.press("space", "space")  # space ticks and unticks too
        await pilot.press("enter")  # enter in the list saves
        await pilot.pause()
        assert app.library.get(app.main_screen.list_pane.current_id or "").tags == ["city"]


async def test_the_export_dialog_opens_in_the_path_as_its_hint_says(
    lib_path: Path, tmp_path: Path
) -> None:
    library = Library(lib_path)
    article = library.articles()[0]
    library.add_highlight(article.id, "the keeper climbed the stairs")
    app = ReaderApp(library)
    target = tmp_path / "mine.md"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert isinstance(app.focused, Input) and app.focused.id == "export-path"
        assert HINT.startswith("type a path · enter export")
        assert HINT in "\n".join(row_text(screen_cells(app), y) for y in range(40))
        await pilot.press(*str(target), "enter")  # typing replaces the default path
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert "the keeper climbed the stairs" in target.read_text(encoding="utf-8")


async def test_the_help_scrolls_with_j_and_k_and_wraps_under_its_descriptions(
    lib_path: Path,
) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = [row_text(screen_cells(app), y) for y in range(24)]
        first = next(i for i, row in enumerate(rows) if "G / end" in row)
        column = rows[first].index("Go to the bottom")
        wrapped = rows[first + 1]  # the description's second line, under its first
        assert wrapped[:column].strip("│ ") == "" and wrapped[column:].startswith("quotation")
        scroller = app.screen.query_one(VerticalScroll)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y > 3
        await pilot.press("g")
        await pilot.pause()
        assert scroller.scroll_y == 0


async def test_plus_and_minus_change_the_text_width_visibly_and_say_so(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=(80, 24)) as pilot:  # two panes: the article is narrow
        await pilot.press("enter")
        await pilot.pause()
        view = app.main_screen.article_view
        shown = view._doc.measure
        assert shown < view.measure  # the 80-column measure shows at the pane's width
        await pilot.press("minus")  # narrower at once, from the width shown
        await pilot.pause()
        assert view._doc.measure == shown - 4
        assert messages[-1] == f"Text width {shown - 4}"
        await pilot.press("plus")
        await pilot.pause()
        assert view._doc.measure == shown
        await pilot.press("plus")
        await pilot.pause()
        assert view._doc.measure == shown
        assert messages[-1] == f"Text width {shown} (the pane's full width)"
        for _ in range(10):
            await pilot.press("minus")
        await pilot.pause()
        assert view._doc.measure == 40
        assert messages[-1] == "Text width 40 (the narrowest)"
