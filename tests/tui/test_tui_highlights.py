"""Pilot tests of highlights in the app: make (keys, mouse, quote pane), edit, delete,
jump, export and copy — each checked in a fresh ``Library`` on the same file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_tui_support import ARTICLES, ids_by_title, recording
from textual.widgets import Input, RadioButton

from reader.settings.config import Config
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.dialogs.export import ExportDialog
from reader.tui.dialogs.note_confirm import ConfirmDialog, NoteDialog
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.quote_pane import QuotePane

SIZE = (120, 40)
NEWEST = ARTICLES[3][0]  # shown first
FIRST_TWO = (
    'Opening paragraph of story 3. "We will keep the light burning every night," said Ana Rossi.'
)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


def stored(lib_path: Path, title: str = NEWEST) -> list:
    fresh = Library(lib_path)
    return fresh.highlights(ids_by_title(fresh)[title])


async def test_v_j_h_note_enter_saves_the_two_sentences_with_the_note(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "j")
        view = app.query_one(ArticleView)
        assert view.selection is not None and view.selection[3] == FIRST_TWO
        await pilot.press("h")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"good line", "enter")
        await pilot.pause()
        assert view.selection is None
        [highlight] = stored(lib_path)
        assert highlight.text == FIRST_TWO
        assert highlight.note == "good line"
        assert (highlight.paragraph, highlight.start, highlight.end) == (0, 0, len(FIRST_TWO))
        # marked in the text and listed with its note
        assert view._marks == {0: [(0, len(FIRST_TWO))]}
        prompts = [str(o.prompt) for o in app.query_one(QuotePane).options]
        assert any("Opening paragraph of story 3" in p and "good line" in p for p in prompts)


async def test_escape_in_the_note_dialog_saves_nothing(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "v", "h", *"abc", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoteDialog)
    assert stored(lib_path) == []


async def test_h_without_a_selection_only_explains(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "h")
        assert not isinstance(app.screen, NoteDialog)
        assert any("Nothing selected" in m for m in messages)
    assert stored(lib_path) == []


def _row_with(view: ArticleView, needle: str) -> tuple[int, str]:
    for y in range(view.scrollable_content_region.height):
        text = view.render_line(y).text
        if needle in text:
            return y, text
    raise AssertionError(f"{needle!r} not on screen")


async def test_mouse_drag_then_h_and_enter_saves_without_note(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        view = app.query_one(ArticleView)
        y, text = _row_with(view, "Paragraph 0 of story 3")
        x0 = text.index("Paragraph")
        x1 = text.index("story") + 2
        await pilot.mouse_down(view, offset=(x0 + 1, y))
        await pilot.hover(view, offset=(x1, y))
        await pilot.mouse_up(view, offset=(x1, y))
        assert view.selection is not None and view.selection[3] == "Paragraph 0 of story"
        await pilot.press("h", "enter")
        await pilot.pause()
    [highlight] = stored(lib_path)
    assert highlight.text == "Paragraph 0 of story"
    assert highlight.note is None
    assert highlight.paragraph == 1


async def _focus_quotes(pilot, app: ReaderApp) -> QuotePane:  # type: ignore[no-untyped-def]
    await pilot.press("tab", "tab")
    pane = app.query_one(QuotePane)
    assert app.focused is pane
    return pane


async def test_quote_pane_h_keeps_the_quotation(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    async with app.run_test(size=SIZE) as pilot:
        pane = await _focus_quotes(pilot, app)
        await pilot.press("down")
        entry = pane.current
        assert entry is not None and entry.kind == "quote"
        await pilot.press("h", "enter")
        await pilot.pause()
    [highlight] = stored(lib_path)
    assert highlight.text == "We will keep the light burning every night"
    assert highlight.text == entry.text
    assert (highlight.paragraph, highlight.start, highlight.end) == (
        entry.paragraph,
        entry.start,
        entry.end,
    )


async def _app_with_highlights(lib_path: Path) -> tuple[ReaderApp, str]:
    library = Library(lib_path)
    article = ids_by_title(library)[NEWEST]
    library.add_highlight(
        article, "Paragraph 2 of story 3", note="first", paragraph=3, start=0, end=22
    )
    library.add_highlight(
        article, "Paragraph 12 of story 3", note="second", paragraph=13, start=0, end=23
    )
    return ReaderApp(Library(lib_path)), article


async def test_d_with_confirmation_deletes_and_escape_keeps(lib_path: Path) -> None:
    app, _ = await _app_with_highlights(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _focus_quotes(pilot, app)
        await pilot.press("down")
        assert pane.current is not None and pane.current.note == "first"
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert len(stored(lib_path)) == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert [h.note for h in stored(lib_path)] == ["second"]
        assert pane.current is not None and pane.current.note == "second"
        await pilot.press("d", "n")
        await pilot.pause()
        assert len(stored(lib_path)) == 1
        await pilot.press("d", "enter")
        await pilot.pause()
    assert stored(lib_path) == []


async def test_capital_n_edits_the_note(lib_path: Path) -> None:
    app, _ = await _app_with_highlights(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await _focus_quotes(pilot, app)
        await pilot.press("down", "N")
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(Input).value == "first"
        await pilot.press(*" and better", "enter")
        await pilot.pause()
        assert sorted(h.note for h in stored(lib_path)) == ["first and better", "second"]
        await pilot.press("N", "ctrl+u", "enter")  # emptied: the note goes
        await pilot.pause()
    assert sorted(str(h.note) for h in stored(lib_path)) == ["None", "second"]


async def test_brackets_jump_between_highlights_from_article_and_quote_pane(
    lib_path: Path,
) -> None:
    app, _ = await _app_with_highlights(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        view = app.query_one(ArticleView)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.current_highlight == (3, 0, 22)
        first_y = view.scroll_y
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.current_highlight == (13, 0, 23)
        assert view.scroll_y > first_y
        await pilot.press("tab")  # from the article: the quote pane
        assert app.focused is app.query_one(QuotePane)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.current_highlight == (3, 0, 22)
        assert view.scroll_y == first_y


async def test_bracket_after_scrolling_home_starts_again_from_the_view_and_marks_current(
    lib_path: Path,
) -> None:
    app, _ = await _app_with_highlights(lib_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        view = app.query_one(ArticleView)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert view.current_highlight == (13, 0, 23)
        await pilot.press("g")  # back to the top: ] goes from the view, not past the last
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.current_highlight == (3, 0, 22)
        assert view.scroll_y > 0
        # the highlight gone to is drawn in its own colour; the other in the usual one
        current = view.get_component_rich_style("article-view--highlight-current").bgcolor
        usual = view.get_component_rich_style("article-view--highlight").bgcolor
        assert current is not None and current != usual

        def backgrounds(block: int) -> set[object]:
            row = view._row_of(block, 0)
            assert row is not None
            strip = view.render_line(row - int(view.scroll_y))
            return {seg.style.bgcolor for seg in strip if seg.style is not None}

        assert current in backgrounds(3)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert current not in backgrounds(3) and usual in backgrounds(3)
        assert current in backgrounds(13)


@pytest.mark.parametrize(("fmt", "radio"), [("csv", 3), ("markdown", 0)])
async def test_e_export_dialog_writes_the_file_and_says_where(
    lib_path: Path, tmp_path: Path, fmt: str, radio: int
) -> None:
    library = Library(lib_path)
    library.add_highlight(
        ids_by_title(library)[NEWEST], "Paragraph 2 of story 3", note="kept", paragraph=3
    )
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    app = ReaderApp(Library(lib_path), config=Config(export_folder=out_dir))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(out_dir / "reader-highlights.md")
        await pilot.click(dialog.query(RadioButton)[radio])
        await pilot.pause()
        extension = {"csv": "csv", "markdown": "md"}[fmt]
        assert path_input.value == str(out_dir / f"reader-highlights.{extension}")
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        await app.workers.wait_for_complete()  # the export is written in a thread
        await pilot.pause()
    written = out_dir / f"reader-highlights.{extension}"
    text = written.read_text(encoding="utf-8")
    assert "Paragraph 2 of story 3" in text and "kept" in text
    if fmt == "csv":
        rows = list(csv.DictReader(text.splitlines()))
        assert [r["Highlight"] for r in rows] == ["Paragraph 2 of story 3"]
    assert any("Exported 1 highlight(s)" in m and str(written) in m for m in messages)


async def test_export_error_is_a_notification(lib_path: Path, tmp_path: Path) -> None:
    with Library(lib_path) as library:
        library.add_highlight(ids_by_title(library)[NEWEST], "Paragraph 2 of story 3")
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(tmp_path)  # a folder, for a file format
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
    assert any(m.startswith("Export failed") and "is a folder" in m for m in messages)


async def test_the_export_is_written_in_a_thread_while_the_reader_stays_usable(
    lib_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Obsidian folder of 10,000 notes takes seconds to write: not on the UI thread."""
    import threading

    import reader.highlights.service

    release = threading.Event()
    written_on: list[bool] = []
    real_write = reader.highlights.service.write_export

    def slow_write(fmt: str, items: object, out: Path, **kw: object) -> Path:
        written_on.append(threading.current_thread() is threading.main_thread())
        release.wait(5)
        return real_write(fmt, items, out, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.highlights.service, "write_export", slow_write)
    library = Library(lib_path)
    library.add_highlight(ids_by_title(library)[NEWEST], "Paragraph 2 of story 3", paragraph=3)
    app = ReaderApp(Library(lib_path), config=Config(export_folder=tmp_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        shown = app.main_screen.article_view.article
        await pilot.press("j")  # the export is still being written: keys still work
        await pilot.pause()
        assert app.main_screen.article_view.article != shown
        assert written_on == [False]
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "reader-highlights.md").exists()
    assert any("Exported 1 highlight(s)" in m for m in messages)


async def test_y_copies_entry_then_selection_then_url(lib_path: Path) -> None:
    app = ReaderApp(Library(lib_path))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j")  # the tram article, which has a web address
        await pilot.press("y")
        assert copied == ["https://example.org/tram"]
        await pilot.press("enter", "v", "y")
        assert copied[-1] == "Opening paragraph of story 0."
        await pilot.press("escape", "tab")
        await pilot.press("down", "y")
        assert copied[-1] == "We will keep the light burning every night"
    assert any(m.startswith("Copied quotation") for m in messages)


async def test_exporting_no_highlight_says_so_and_writes_nothing(
    lib_path: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "none.md"
    app = ReaderApp(Library(lib_path))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(out_file)
        path_input.focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert not out_file.exists()
    assert any(m.startswith("No highlights match") for m in messages)
    assert not any(m.startswith("Exported") for m in messages)
