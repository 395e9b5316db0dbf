"""SVG snapshots of the reader's screens (pytest-textual-snapshot).

The library is fixed (ids come from the URLs and bodies, ``added`` is set by hand), there is
no clock, and every input's cursor blink is off, so the pictures are the same on every run.
Regenerate with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import ids_by_title, make_library
from textual.pilot import Pilot
from textual.widgets import Input

from reader.store import Library
from reader.tui.app import ReaderApp


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def app(tmp_path: Path) -> ReaderApp:
    library = make_library(tmp_path / "lib.json")
    tram = ids_by_title(library)["Harbour tram line passes safety test"]
    library.add_highlight(
        tram,
        "the keeper climbed the stairs",
        note="a good image",
        paragraph=2,
        start=36,
        end=65,
        created="2026-01-05T00:00:00Z",
    )
    library.set_bookmarked(tram, True)
    return ReaderApp(Library(library.path), library_label="snapshots")


def keys(*pressed: str, settle: float = 0.0):
    """A ``run_before`` that presses keys, waits ``settle`` seconds (for the header, which
    follows a typed filter a moment later), then stops every input's cursor blink."""

    async def run(pilot: Pilot) -> None:
        await pilot.pause()
        if pressed:
            await pilot.press(*pressed)
        if settle:
            await pilot.pause(settle)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        for widget in pilot.app.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run


def test_main_screen(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("j", "j", "j"))


def test_filtered_list(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(
        app, terminal_size=(120, 40), run_before=keys("slash", *"tag:city", settle=0.6)
    )


def test_tag_editor(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("j", "j", "j", "t", "e"))


def test_tag_filter(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("f", "space"))


def test_help_screen(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("question_mark"))


def test_narrow_80x24(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("j"))


def test_one_pane_60x24(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(60, 24), run_before=keys("enter"))


def test_article_with_highlight_marked(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(
        app,
        terminal_size=(120, 40),
        run_before=keys("j", "j", "j", "enter", "right_square_bracket"),
    )


def test_selection_growing(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("enter", "v", "j"))


def test_export_dialog(snap_compare, app: ReaderApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("e"))
