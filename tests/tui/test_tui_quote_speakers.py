"""Pilot tests of the quote pane's speakers: unattributed quotations marked as such, and the
"by speaker" view (w: speakers with counts; enter: one speaker's quotations; choosing a
quotation scrolls the article to it; backspace and w go back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.models import ParsedArticle
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.quote_pane import QuotePane

SIZE = (120, 40)
FILLER = "The council met again on Thursday evening to go through the budget line by line."
BODY = "\n\n".join(
    [
        "“The tram line will open in May, whatever the weather does,” said Ana Rossi, the "
        "mayor of Lindholm.",
        "“We have waited long enough for this,” she added.",
        "Councillor Tom Hale, who voted against the plan, was not convinced.",
        "“Half of a number that keeps growing is still a number that keeps growing,” Hale "
        "told reporters.",
        *[FILLER] * 40,
        "“Nobody here has seen a budget like this one before in the town hall.”",
        FILLER,
        "“I will ride the first tram myself, with my grandchildren,” Rossi said.",
    ]
)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def news_path(tmp_path: Path) -> Path:
    path = tmp_path / "library.json"
    library = Library(path)
    library.add_parsed(ParsedArticle(title="Tram vote in Lindholm", markdown=BODY))
    return path


def prompts(pane: QuotePane) -> list[str]:
    return [str(option.prompt) for option in pane.options]


async def focus_quotes(pilot, app: ReaderApp) -> QuotePane:  # type: ignore[no-untyped-def]
    await pilot.press("tab", "tab")
    pane = app.query_one(QuotePane)
    assert app.focused is pane
    return pane


async def test_quotations_show_speakers_and_unattributed_ones_say_so(news_path: Path) -> None:
    app = ReaderApp(Library(news_path))
    async with app.run_test(size=SIZE) as pilot:
        pane = await focus_quotes(pilot, app)
        await pilot.pause()
        shown = prompts(pane)
        assert any(p.startswith("“The tram line will open") and "— Ana Rossi" in p for p in shown)
        assert any(p.startswith("“Half of a number") and "— Tom Hale" in p for p in shown)
        # this one follows 40 paragraphs about the budget: nobody to carry the speaker over
        assert any(p.startswith("“Nobody here has seen") and "— unattributed" in p for p in shown)


async def test_w_lists_speakers_enter_filters_and_choosing_scrolls(news_path: Path) -> None:
    app = ReaderApp(Library(news_path))
    async with app.run_test(size=SIZE) as pilot:
        pane = await focus_quotes(pilot, app)
        await pilot.pause()
        await pilot.press("w")
        assert pane.view == "speakers"
        shown = prompts(pane)
        assert shown[1:] == ["Ana Rossi  3", "Tom Hale  1", "unattributed  1"]
        # enter on Ana Rossi: her three quotations only
        pane.highlighted = 1
        await pilot.press("enter")
        assert pane.view == "speaker"
        shown = prompts(pane)
        assert shown[0].startswith("Ana Rossi · 3")
        assert [p[:12] for p in shown[1:]] == ["“The tram li", "“We have wai", "“I will ride"]
        assert all("—" not in p for p in shown[1:])  # her name is in the heading
        # choosing the last one scrolls the article down to it
        view = app.query_one(ArticleView)
        assert view.scroll_y == 0
        pane.highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        assert view.scroll_y > 10
        # backspace: the speakers again; w: the whole list again
        await pilot.press("backspace")
        assert pane.view == "speakers"
        await pilot.press("w")
        assert pane.view == "all"
        assert any("— Tom Hale" in p for p in prompts(pane))


async def test_w_then_w_on_a_speaker_goes_back_to_the_speakers(news_path: Path) -> None:
    app = ReaderApp(Library(news_path))
    async with app.run_test(size=SIZE) as pilot:
        pane = await focus_quotes(pilot, app)
        await pilot.press("w")
        pane.highlighted = 3  # unattributed
        await pilot.press("enter")
        assert pane.view == "speaker"
        assert prompts(pane)[0].startswith("Unattributed · 1")
        assert pane.current is None or pane.current.kind == "quote"
        await pilot.press("w")
        assert pane.view == "speakers"
        assert pane.current is None  # a speaker row is not a quotation (h, y do nothing)


async def test_help_lists_the_quote_pane_keys(news_path: Path) -> None:
    app = ReaderApp(Library(news_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        sections = dict(app.screen._sections)  # type: ignore[attr-defined]
        keys = [keys for keys, _ in sections["In the quote pane"]]
        assert keys == ["w", "enter", "backspace"]


async def test_one_pane_by_speaker_then_a_quotation_shows_the_article_there(
    news_path: Path,
) -> None:
    app = ReaderApp(Library(news_path))
    async with app.run_test(size=(60, 24)) as pilot:
        pane = await focus_quotes(pilot, app)
        await pilot.press("w")
        pane.highlighted = 1  # Ana Rossi
        await pilot.press("enter")
        pane.highlighted = 3  # her last quotation, far down the article
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert app.focused is view
        assert view.scroll_y > 10
