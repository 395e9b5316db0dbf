"""Full garbage collections run in the pauses of the app, not on a key (reader.tui.idle_gc)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from reader.store import Library
from reader.tui import idle_gc
from reader.tui.app import ReaderApp


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


async def test_full_collections_wait_for_a_pause_and_python_gets_its_schedule_back(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_gc, "PAUSE", 1.0)
    before = gc.get_threshold()
    library = Library(lib_path)
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.3)  # the start's own pause and collection
        assert gc.get_threshold()[2] == idle_gc.NEVER  # no automatic full collection
        collector = app.idle_collector
        done = collector.collections
        await pilot.press("j", "j", "k")
        assert collector.collections == done  # not while keys come
        await pilot.pause(1.5)
        assert collector.collections == done + 1  # once, in the pause after them
    assert gc.get_threshold() == before
    library.close()


async def test_a_long_busy_stretch_still_collects(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_gc, "MAX_WAIT", 0.0)
    library = Library(lib_path)
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        done = app.idle_collector.collections
        await pilot.press("j", "j")
        assert app.idle_collector.collections >= done + 2  # each move: overdue, collected
    library.close()


async def test_a_collection_overdue_on_a_key_waits_for_the_frame_of_that_key(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key that finds a collection overdue gets its frame first (a collection can
    take 100-300 ms after a busy stretch)."""
    monkeypatch.setattr(idle_gc, "MAX_WAIT", 0.0)
    library = Library(lib_path)
    app = ReaderApp(library)
    shown_in_frames: list[str | None] = []
    display = app._display

    def recording_display(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            article = app.main_screen.article_view.article
            shown_in_frames.append(article.id if article is not None else None)

    app._display = recording_display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.main_screen.list_pane.focus()
        await pilot.pause()
        collected_after: list[list[str | None]] = []
        real_collect = app.idle_collector.collect

        def collect() -> None:
            collected_after.append(list(shown_in_frames))
            real_collect()

        monkeypatch.setattr(app.idle_collector, "collect", collect)
        await pilot.press("j")
        await pilot.pause()
        moved_to = app.main_screen.article_view.article
        assert moved_to is not None
        assert collected_after, "the overdue collection did not run"
        assert moved_to.id in collected_after[0]  # the new article was drawn before it
    library.close()


async def test_the_start_pauses_the_collector_until_the_first_frame(lib_path: Path) -> None:
    """``reader.tui.launcher`` pauses collections for the start; the app ends the pause after its
    first frame, freezing what the start built (else collections stay off for good)."""
    from reader.gc_pause import pause_for_start

    gc.unfreeze()
    pause_for_start()
    assert not gc.isenabled()
    library = Library(lib_path)
    app = ReaderApp(library)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # the start's objects: out of the collector
    finally:
        gc.enable()
        gc.unfreeze()
    library.close()


def test_ending_the_start_pause_leaves_a_collector_paused_elsewhere_alone() -> None:
    from reader.gc_pause import end_start_pause, pause_for_start

    end_start_pause()  # (none is left by another test)
    gc.disable()
    try:
        pause_for_start()  # someone else paused it: not this pause's to end
        end_start_pause()
        assert not gc.isenabled()
    finally:
        gc.enable()
