"""Pilot tests of what the reader shows being true (issue 18): body colours that follow
the theme as the terminal receives them, empty results, a fresh header after a change,
what ``o`` says, and other first-minutes promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from terminal_cells import cells_of, row_text, screen_cells
from test_tui_support import recording

from reader.models import ParsedArticle
from reader.store import Library
from reader.text.document import trim_unpaired_quotes
from reader.tui.app import ReaderApp
from reader.tui.dialogs.note_confirm import ConfirmDialog, in_quotes
from reader.tui.dialogs.tag_filter import TagFilter
from reader.tui.widgets.header import fit_header

SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("no_user_config")


def _app(lib_path: Path) -> ReaderApp:
    return ReaderApp(Library(lib_path))


@pytest.mark.parametrize("theme", ["paper", "night", "contrast"])
async def test_body_text_is_drawn_in_the_theme_colours_not_the_terminals(
    lib_path: Path, theme: str
) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await pilot.pause()
        cells = screen_cells(app)
        body = cells_of(cells, "Opening paragraph of story 3.")
        meta = cells_of(cells, "example.org · 2025-06-01 · 1 min read")
    # every body cell has the colours the theme gives, the same background as the title
    assert all(cell.fg is not None and cell.bg is not None for cell in body), body[:3]
    assert {cell.bg for cell in body} == {meta[0].bg}
    assert len({cell.fg for cell in body}) == 1
    # and nowhere on the screen is a character left in the terminal's own colours
    defaults = [c for row in cells for c in row if c.bg is None or (c.fg is None and c.char != " ")]
    assert defaults == []


def _screen_text(app: ReaderApp) -> str:
    return "\n".join(row_text(screen_cells(app), y) for y in range(app.size.height))


async def test_a_filter_matching_nothing_says_so_and_clears_the_article(lib_path: Path) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.main_screen.article_view.article is not None
        await pilot.press("slash", *"zzzz")
        await pilot.pause()
        assert app.main_screen.list_pane.empty_text == "No articles match zzzz"
        assert app.main_screen.article_view.article is None
        assert app.main_screen.article_view.line_count == 0
        assert app.main_screen.quote_pane.option_count == 0
        assert "No articles match zzzz" in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "No articles match zzzz" in _screen_text(app)
        await pilot.press("escape")  # the filter is cleared: the articles come back
        await pilot.pause()
        assert app.main_screen.list_pane.empty_text == ""
        assert app.main_screen.article_view.article is not None


async def test_a_tag_filter_matching_nothing_says_so(lib_path: Path) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main_screen._set_query("tag:city tag:weird")
        await pilot.pause()
        assert app.main_screen.list_pane.empty_text == "No articles match tag:city tag:weird"
        assert app.main_screen.article_view.article is None
        assert app.main_screen.quote_pane.option_count == 0


async def test_the_article_header_shows_new_tags_at_once(lib_path: Path) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "#harbour" not in _screen_text(app)
        await pilot.press("t", *"harbour", "enter")
        await pilot.pause()
        meta = [
            line.text for line in app.main_screen.article_view._doc.lines if line.role == "meta"
        ]
        assert "#harbour" in " ".join(meta)
        screen = _screen_text(app)
        assert screen.count("#harbour") == 2  # the list row and the article's header


async def test_o_without_a_browser_says_so_and_offers_to_copy_the_address(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: False)  # no browser here
    app = _app(lib_path)
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j", "o")  # the tram article: https://example.org/tram
        await pilot.pause()
        assert "Opened in the browser" not in messages
        assert isinstance(app.screen, ConfirmDialog)
        assert "No web browser could be opened" in _screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "https://example.org/tram"
        assert messages[-1] == "Copied web address: https://example.org/tram"


@pytest.mark.parametrize(
    ("selected", "kept"),
    [
        ("“We oppose the plan.", "We oppose the plan."),
        ("It is wrong.”", "It is wrong."),
        ("He said “no.”", "He said “no.”"),
        ("“All of it.”", "“All of it.”"),
        ('"Open.', "Open."),
    ],
)
def test_a_passage_loses_only_its_unpaired_quotation_marks(selected: str, kept: str) -> None:
    start, end = trim_unpaired_quotes(selected, 0, len(selected))
    assert selected[start:end] == kept
    assert not in_quotes(selected).startswith("““")
    assert in_quotes(selected).count("“") == kept.count("“") + (not kept.startswith("“"))


async def test_highlighting_a_sentence_that_opens_a_quotation_shows_one_mark(
    tmp_path: Path,
) -> None:
    library = Library(tmp_path / "lib.json")
    library.add_parsed(
        ParsedArticle(
            title="Council vote",
            markdown="“We oppose the plan. It is wrong,” said Ana Rossi, the mayor.\n\nMore.\n",
        )
    )
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "h")
        await pilot.pause()
        screen = _screen_text(app)
        assert "“We oppose the plan.”" in screen
        assert "““" not in screen
        await pilot.press("enter")
        await pilot.pause()
        assert [h.text for h in library.highlights()] == ["We oppose the plan."]


def test_the_header_gives_way_by_priority() -> None:
    parts = ["4 articles", "filter: tag:city", "sort: newest added", "theme: paper", "lib.json"]
    title = "Central bank holds rates at 4.25% but signals cuts could come by summer"
    wide = fit_header(title, parts, 200, extras=2)
    assert wide == f"{title} · " + " · ".join(parts)
    # theme and library only beside the whole title; count, filter, sort before its end
    assert fit_header(title, parts, 145, extras=2).endswith("sort: newest added · theme: paper")
    narrow = fit_header(title, parts, 77, extras=2)
    assert narrow.startswith("Central bank holds rates at") and "…" in narrow
    assert narrow.endswith(" · 4 articles · filter: tag:city")
    assert fit_header("Short", parts, 40, extras=2) == "Short · 4 articles · filter: tag:city"
    assert len(fit_header(title, parts, 20, extras=2)) <= 20


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            (120, 40),
            "Aardvark lighthouse relit after forty years · 4 articles · sort: newest added"
            " · theme: night · lib.json",
        ),
        ((80, 24), "Aardvark lighthouse relit after forty years · 4 articles · sort: newest added"),
    ],
)
async def test_the_header_uses_the_width_there_is(
    lib_path: Path, size: tuple[int, int], expected: str
) -> None:
    app = _app(lib_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert expected in row_text(screen_cells(app), 0)
        app.theme = "paper"
        await pilot.pause()
        assert ("theme: paper" in row_text(screen_cells(app), 0)) == (size[0] >= 120)


async def test_an_unknown_filter_operator_is_named_in_the_filter_bar(lib_path: Path) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"is:foo")
        await pilot.pause()
        bar = app.main_screen.filter_bar
        assert str(bar.border_title).startswith("unknown filter is:foo (known: tag: ")
        assert "unknown filter is:foo" in _screen_text(app)
        assert app.main_screen.list_pane.option_count == 4  # it restricts nothing
        await pilot.press(*["backspace"] * 3, *"unread")  # is:unread: known
        await pilot.pause()
        assert app.main_screen.view.query_text == "is:unread"
        assert not bar.border_title
        assert "unknown filter" not in _screen_text(app)


async def test_the_tag_filter_offers_any_or_all_and_says_which(lib_path: Path) -> None:
    app = _app(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # tags by name: city, economy, transport, weird
        await pilot.press("f", "j", "space", "down", "space")  # j moves as down does
        assert "ALL ticked tags" in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.view.query_text == "tag:economy tag:transport"
        assert app.main_screen.list_pane.option_count == 0
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, TagFilter) and not app.screen.any_of
        await pilot.press("a")
        assert "ANY ticked tag" in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.view.query_text == "tag:economy,transport"
        assert app.main_screen.list_pane.option_count == 2
        assert "filter: tag:economy,transport" in row_text(screen_cells(app), 0)
        await pilot.press("f")  # reopened: any is still in force
        await pilot.pause()
        assert isinstance(app.screen, TagFilter) and app.screen.any_of
        assert "ANY ticked tag" in _screen_text(app)


@pytest.mark.parametrize("indexed", [False, True])
def test_tag_a_comma_b_matches_articles_with_any_of_them(lib_path: Path, indexed: bool) -> None:
    from reader.tui.library_view import LibraryView

    view = LibraryView(Library(lib_path))
    if indexed:
        view.build_index()
    titles = {
        "tag:economy,transport": 2,
        "tag:economy tag:transport": 0,
        "tag:city tag:economy,weird": 1,
        "-tag:economy,transport": 2,
        "tag:nosuch,weird": 1,
    }
    for query, count in titles.items():
        view.set_query(query)
        assert len(view.rows) == count, query


async def test_the_deck_shows_under_the_title_unless_the_body_opens_with_it(
    tmp_path: Path,
) -> None:
    library = Library(tmp_path / "lib.json")
    deck = "Officials say the harbour will reopen to ferries before the summer season."
    library.add_parsed(
        ParsedArticle(title="Harbour reopens", summary=deck, markdown="The first paragraph.\n")
    )
    library.add_parsed(
        ParsedArticle(
            title="Teaser", summary="The body starts so.", markdown="The body starts so.\n"
        )
    )
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        by_title = {a.title: a for a in app.main_screen.list_pane.articles}
        app.main_screen._show_article(by_title["Harbour reopens"])
        await pilot.pause()
        roles = [(line.role, line.text) for line in app.main_screen.article_view._doc.lines[:6]]
        assert roles[0] == ("title", "Harbour reopens")
        assert roles[1][0] == "deck" and roles[1][1].startswith("Officials say the harbour")
        assert "Officials say the harbour" in _screen_text(app)
        app.main_screen._show_article(by_title["Teaser"])
        await pilot.pause()
        assert [line.role for line in app.main_screen.article_view._doc.lines].count("deck") == 0
