"""Pilot tests of the reader app: every key, with the effect checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import ARTICLES, ids_by_title
from textual import events

from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.dialogs.tag_filter import TagFilter
from reader.tui.dialogs.tags import TagEditor
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.list_pane import ListPane

SIZE = (120, 40)
HOSTILE = ARTICLES[1][0]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


def row_titles(app: ReaderApp) -> list[str]:
    pane = app.query_one(ListPane)
    return [pane.get_option_at_index(i).article.title for i in range(pane.option_count)]


def current_title(app: ReaderApp) -> str:
    article = app.query_one(ArticleView).article
    assert article is not None
    return article.title


async def test_starts_with_newest_added_first_and_previews_it(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path), library_label="test")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row_titles(app) == [a[0] for a in reversed(ARTICLES)]
        assert current_title(app) == ARTICLES[3][0]
        assert "test" in app.sub_title  # the library label
        await pilot.press("j")
        assert current_title(app) == ARTICLES[2][0]
        await pilot.press("down")
        assert current_title(app) == ARTICLES[1][0]


async def test_b_bookmark_survives_restart(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
    fresh = Library(lib_path)
    newest = ids_by_title(fresh)[ARTICLES[3][0]]
    assert fresh.get(newest).bookmarked
    app = ReaderApp(fresh)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
    assert not Library(lib_path).get(newest).bookmarked


async def test_r_toggles_read(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "r")
        target = ids_by_title(Library(lib_path))[ARTICLES[2][0]]
        assert Library(lib_path).get(target).read
        await pilot.press("r")
        assert not Library(lib_path).get(target).read


async def test_t_adds_a_tag_with_the_editor(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"fresh-tag", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, TagEditor)
    newest = ids_by_title(Library(lib_path))[ARTICLES[3][0]]
    assert Library(lib_path).get(newest).tags == ["fresh-tag"]


async def test_t_removes_a_tag_by_unticking(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")  # the oldest: transport, city
        assert current_title(app) == ARTICLES[0][0]
        await pilot.press("t", "shift+tab", "space", "ctrl+s")
        await pilot.pause()
    tram = ids_by_title(Library(lib_path))[ARTICLES[0][0]]
    assert Library(lib_path).get(tram).tags == ["transport"]


async def test_slash_filters_as_you_type_and_escape_clears(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"tag:city")
        assert sorted(row_titles(app)) == sorted([ARTICLES[0][0], ARTICLES[2][0]])
        await pilot.press("enter")
        assert app.focused is app.query_one(ListPane)
        assert sorted(row_titles(app)) == sorted([ARTICLES[0][0], ARTICLES[2][0]])
        assert "tag:city" in app.sub_title
        await pilot.press("escape")
        assert len(row_titles(app)) == 4
        assert "tag:" not in app.sub_title


async def test_slash_full_text_words_search_bodies(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *'"of story 2"', "enter")
        assert row_titles(app) == [ARTICLES[2][0]]


async def test_f_tag_filter_selects_a_tag(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, TagFilter)
        # tags by name: city, economy, transport, weird; tick "economy"
        await pilot.press("down", "space", "enter")
        await pilot.pause()
        assert row_titles(app) == [ARTICLES[2][0]]
        assert "tag:economy" in app.view.query_text
        await pilot.press("escape")
        assert len(row_titles(app)) == 4


async def test_s_cycles_sort_and_remembers_it(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")  # published, newest first
        assert row_titles(app) == [ARTICLES[i][0] for i in (3, 1, 0, 2)]
        await pilot.press("s")  # title
        assert row_titles(app) == sorted((a[0] for a in ARTICLES), key=str.casefold)
        await pilot.press("s")  # reading time, shortest first
        assert row_titles(app) == [ARTICLES[i][0] for i in (3, 2, 1, 0)]
    assert Library(lib_path).get_setting("sort") == "reading"
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        assert row_titles(app) == [ARTICLES[i][0] for i in (3, 2, 1, 0)]
        await pilot.press("s")  # back to added
        assert row_titles(app) == [a[0] for a in reversed(ARTICLES)]


async def test_n_and_p_change_the_shown_article_from_the_article_pane(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.focused, ArticleView)
        await pilot.press("n")
        assert current_title(app) == ARTICLES[2][0]
        await pilot.press("n")
        assert current_title(app) == ARTICLES[1][0]
        await pilot.press("p")
        assert current_title(app) == ARTICLES[2][0]
        assert isinstance(app.focused, ArticleView)
        await pilot.press("escape")
        assert app.focused is app.query_one(ListPane)


async def test_reading_position_is_saved_and_restored(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j", "enter")  # the longest article
        view = app.query_one(ArticleView)
        await pilot.press("space", "space")
        await pilot.pause(0.8)  # the view reports the position once scrolling settles
        await pilot.pause()
        saved = view.progress
        assert 0.05 < saved < 1
    tram = ids_by_title(Library(lib_path))[ARTICLES[0][0]]
    assert Library(lib_path).get(tram).position == pytest.approx(saved, abs=0.01)
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # it starts on the article read last, where reading stopped
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.id == tram
        assert view.scroll_y > 0
        assert view.progress == pytest.approx(saved, abs=0.02)


async def test_question_mark_opens_help_and_escape_closes(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_main_screen_restyles_when_it_comes_back_not_when_it_first_shows(
    lib_path: Path,
) -> None:
    """Its first resume follows the mount that styled every node (restyling all again
    cost ~6 ms of the start); a later resume that asks for it restyles, and a theme
    changed under a dialog shows on the panes when it closes."""
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.restyled_on_resume == 0
        view = app.query_one(ArticleView)
        before = view.styles.background
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert view.styles.background != before
        screen.post_message(events.ScreenResume())  # as ``switch_screen`` sends it
        await pilot.pause()
        assert screen.restyled_on_resume == 1


async def test_q_quits(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(
    ("downs", "opened"),
    [(3, ["https://example.org/tram"]), (2, []), (1, []), (0, [])],
    ids=["https", "javascript", "file", "no-url"],
)
async def test_o_opens_only_web_urls(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch, downs: int, opened: list[str]
) -> None:
    calls: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: calls.append(url) or True)
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["j"] * downs, "o")
        await pilot.pause()
    assert calls == opened


async def test_hostile_titles_show_literally_and_app_keeps_running(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")
        await pilot.pause()
        pane = app.query_one(ListPane)
        lines = [pane.render_line(y).text for y in range(pane.size.height)]
        assert any("[@click=app.quit]x[/]" in line for line in lines)
        await pilot.click(ListPane, offset=(10, 5))
        await pilot.pause()
        assert app.is_running
        assert current_title(app) == HOSTILE


async def test_ctrl_r_picks_up_articles_added_elsewhere(lib_path: Path) -> None:
    from reader.models import ParsedArticle

    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        other = Library(lib_path)
        other.add_parsed(ParsedArticle(title="Added from another terminal", markdown="Hello."))
        await pilot.press("ctrl+r")
        assert "Added from another terminal" in row_titles(app)
        await pilot.press("b")  # writing after the reload keeps the other process's article
    assert "Added from another terminal" in ids_by_title(Library(lib_path))


async def test_quote_pane_lists_highlights_and_quotations_and_jumps(lib_path: Path) -> None:
    library = Library(lib_path)
    tram = ids_by_title(library)[ARTICLES[0][0]]
    library.add_highlight(tram, "Paragraph 40 of story 0", note="late one", paragraph=41, start=0)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")
        quotes = app.query_one("#quotes")
        texts = [str(quotes.get_option_at_index(i).prompt) for i in range(quotes.option_count)]
        assert any("Paragraph 40 of story 0" in t and "late one" in t for t in texts)
        assert any("We will keep the light burning" in t and "Ana Rossi" in t for t in texts)
        await pilot.press("tab", "tab")
        assert app.focused is quotes
        await pilot.press("down", "enter")  # the highlight (row 0 is a heading)
        await pilot.pause()
        assert app.query_one(ArticleView).scroll_y > 10


async def test_narrow_widths_fold_the_panes(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.query_one("#quotes").display
        assert app.query_one("#article").display
        await pilot.press("backslash")
        await pilot.pause()
        assert app.query_one("#quotes").display
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert app.query_one("#list").display
        assert not app.query_one("#article").display
        await pilot.press("tab")
        await pilot.pause()
        assert app.query_one("#article").display and not app.query_one("#list").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert all(app.query_one(f"#{p}").display for p in ("list", "article", "quotes"))


async def test_save_screenshot_writes_an_svg(lib_path: Path, tmp_path: Path) -> None:
    from reader.tui.app import save_screenshot

    out = tmp_path / "shot.svg"
    await save_screenshot(Library(lib_path), out, size=(100, 30))
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Harbour" in svg.replace("&#160;", " ")


def test_tag_terms_round_trip() -> None:
    from reader.tui.library_view import replace_tag_terms, tag_terms

    text = replace_tag_terms("tram -tag:old tag:a is:unread", ["city", "two words"])
    assert tag_terms(text) == ["city", "two words"]
    assert "tram" in text and "is:unread" in text and "tag:a" not in text
    assert "-tag:old" not in text  # the tag filter replaces every tag term


async def test_keys_typed_right_after_slash_land_in_the_filter_bar(lib_path: Path) -> None:
    """Typing "/tram" in one burst filters by "tram"; the letters never run list actions."""
    from textual import events

    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key, char in [("slash", "/"), ("t", "t"), ("r", "r"), ("a", "a"), ("m", "m")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause(0.3)
        assert app.main_screen.filter_bar.value == "tram"
        assert len(app.screen_stack) == 1  # `t` did not open the tag editor
        assert row_titles(app) == ["Harbour tram line passes safety test"]


async def test_slash_types_into_the_tag_editor(lib_path: Path) -> None:
    from textual.widgets import Input

    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.press("a", "slash", "b")
        assert isinstance(app.focused, Input) and app.focused.value == "a/b"
        assert not app.main_screen.filter_bar.is_open


async def test_moving_on_at_start_saves_no_reading_position(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert current_title(app) == ARTICLES[0][0]
    assert [a.position for a in Library(lib_path).articles()] == [0.0] * len(ARTICLES)
