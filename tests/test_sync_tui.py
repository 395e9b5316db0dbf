"""Syncing from the app: ``ctrl+s`` (and the palette) run a sync in a worker with a notice
of its result; ``[sync] auto = true`` syncs once the library is open, and at quit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sync_support import add, replicas, run_sync
from test_tui_support import recording

from reader.settings.config import Config
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.commands import COMMANDS
from reader.tui.sync_runner import sync_at_quit
from reader.tui.widgets.list_pane import ListPane

SIZE = (120, 40)


def titles(app: ReaderApp) -> list[str]:
    """The titles the list pane shows."""
    pane = app.query_one(ListPane)
    return [pane.get_option_at_index(i).article.title for i in range(pane.option_count)]


async def wait_for(condition, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.025)
        await pilot.pause()
    raise AssertionError("the sync did not finish")


def two_machines(tmp_path: Path) -> tuple[Path, Path]:
    _, (here, there) = replicas(tmp_path, 2)
    with Library(here) as lib:
        add(lib, "Already here", "https://example.org/here")
    run_sync(here)
    with Library(there) as lib:
        add(lib, "Saved on the other machine", "https://example.org/there")
    run_sync(there)
    return here, there


def test_ctrl_s_is_one_command_in_the_table() -> None:
    (command,) = [c for c in COMMANDS if c.action == "sync"]
    assert command.keys == "ctrl+s" and command.palette


async def test_ctrl_s_syncs_in_the_background_and_says_what_came(tmp_path: Path) -> None:
    here, there = two_machines(tmp_path)
    app = ReaderApp(Library(here), config=Config())
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        assert "Saved on the other machine" not in titles(app)
        await pilot.press("ctrl+s")
        await wait_for(lambda: any(m.startswith("Synced") for m in messages), pilot)
        assert "Saved on the other machine" in titles(app)
        assert any("received 1 added" in m for m in messages)
        await pilot.press("b")  # a change after the sync lands on top of it
    app.library.close()
    run_sync(here)
    run_sync(there)
    with Library(there) as lib:
        assert [a.bookmarked for a in lib.articles() if a.title == "Already here"] == [True]


async def test_a_sync_that_cannot_run_is_an_error_notice(tmp_path: Path) -> None:
    path = tmp_path / "alone" / "library.json"
    with Library(path) as lib:
        add(lib, "Alone", "https://example.org/alone")
    app = ReaderApp(Library(path), config=Config())
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await wait_for(lambda: any(m.startswith("Sync failed") for m in messages), pilot)
    (failed,) = [m for m in messages if m.startswith("Sync failed")]
    assert "reader sync init" in failed and "\n" not in failed


async def test_auto_sync_runs_once_the_library_is_open(tmp_path: Path) -> None:
    here, _ = two_machines(tmp_path)
    app = ReaderApp(Library(here), config=Config(sync_auto=True))
    messages = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: "Saved on the other machine" in titles(app), pilot)
    assert any(m.startswith("Synced") for m in messages)


def test_auto_sync_at_quit_says_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    here, there = two_machines(tmp_path)
    with Library(here) as lib:
        add(lib, "Saved just before quitting", "https://example.org/late")
    sync_at_quit(here)
    err = capsys.readouterr().err
    assert err.startswith("reader: synced: sent 1 added") and err.count("\n") == 1
    run_sync(there)
    with Library(there) as lib:
        assert "Saved just before quitting" in [a.title for a in lib.articles()]
    sync_at_quit(tmp_path / "not-synced" / "library.json")  # not set up: nothing said
    assert capsys.readouterr().err == ""
