"""The start snapshot made by a forked process when the one on disk is stale or missing
(reader.startup.snapshot_fork, reader.store.stored_tables, article_order.ids_in_order)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_tui_support import ARTICLES, ids_by_title, wait_until

from reader.models import ParsedArticle
from reader.search.order import ids_in_order, in_order
from reader.settings.config import SORTS
from reader.settings.paths import snapshot_path
from reader.startup import snapshot_fork as start_snapshot_fork
from reader.startup.snapshot import (
    parse_start_snapshot,
    read_start_snapshot,
    write_start_snapshot,
)
from reader.startup.snapshot_fork import SnapshotMaker, snapshot_of_library, worth_forking
from reader.store import Library
from reader.store.atomic_files import file_signature
from reader.tui.app import ReaderApp
from reader.tui.pending_library import PendingLibrary
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.list_pane import ListPane

SIZE = (120, 40)
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv(start_snapshot_fork.DISABLE_ENV, raising=False)


@pytest.fixture
def small_libraries_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork on any number of cores."""
    monkeypatch.setattr(start_snapshot_fork, "_cores", lambda: 2)


def _read_with_cursor(lib_path: Path, title: str) -> None:
    """As if the app had shown ``title`` last, with a highlight in it, then been killed
    (the library changed after its snapshot, or there is none)."""
    with Library(lib_path) as lib:
        cursor = ids_by_title(lib)[title]
        lib.set_setting("last_article", cursor)
        lib.add_highlight(cursor, "Opening paragraph", paragraph=0, start=0, end=17)


def _tied_library(path: Path) -> Library:
    """A library whose records tie on every sort's first field, with and without
    published dates, titles differing only in case: ties must break by id."""
    library = Library(path)
    with library.batch():
        for n in range(12):
            parsed = ParsedArticle(
                title=("Tide" if n % 2 else "tide") + (" table" if n % 3 else ""),
                markdown="word " * (50 + 400 * (n % 3)),
                published="2024-05-01" if n % 4 else None,
                url=f"https://example.org/{n}",
            )
            library.add_parsed(parsed)
    return library


def test_stored_records_sort_as_the_list_sorts_its_articles(tmp_path: Path) -> None:
    library = _tied_library(tmp_path / "lib.json")
    records = library._raw_table("articles")
    for sort in SORTS:
        expected = [a.id for a in in_order(library.articles(), sort)]
        assert ids_in_order(records, sort) == expected, sort
    library.close()


@pytest.mark.parametrize(
    "stamps",
    [
        ["2026-03-01T10:00:00Z", "2026-03-01T09:00:00Z", "2026-02-28T23:59:59Z"],
        ["2026-03-01T10:00:00Z", "2026-03-01T11:30:00+02:00", "2026-02-28T23:59:59Z"],
        ["2026-03-01T10:00:00Z", "2026-03-01T09:00:00.500000Z", "not a date"],
    ],
)
def test_added_order_is_the_list_s_with_times_written_alike_or_not(
    tmp_path: Path, stamps: list[str]
) -> None:
    """Times the library wrote (``...Z``, one length) sort as strings; any other way of
    writing one (an offset, fractions, junk) takes the instants, as the list does."""
    library = _tied_library(tmp_path / "lib.json")
    articles = library.articles()
    for article, stamp in zip(articles, stamps * 4, strict=False):
        library.update(article.id, added=stamp)
    records = library._raw_table("articles")
    expected = [a.id for a in in_order(library.articles(), "added")]
    assert ids_in_order(records, "added") == expected
    library.close()


@pytest.mark.parametrize("sort", SORTS)
def test_the_child_makes_the_snapshot_the_app_would_have_saved(lib_path: Path, sort: str) -> None:
    _read_with_cursor(lib_path, ARTICLES[2][0])
    with Library(lib_path) as lib:
        lib.set_setting("sort", sort)
        write_start_snapshot(lib, sort)
    saved = read_start_snapshot(lib_path)
    raw = snapshot_of_library(lib_path)
    assert saved is not None and raw is not None
    made = parse_start_snapshot(raw, lib_path)
    assert made is not None
    assert made.sort == sort
    assert list(made.rows) == list(saved.rows)  # every field of every row, in order
    assert made.cursor == saved.cursor is not None
    assert made.highlights == saved.highlights and made.highlights
    assert made.settings == saved.settings


def test_a_snapshot_of_files_that_changed_since_is_not_used(lib_path: Path) -> None:
    raw = snapshot_of_library(lib_path)
    assert raw is not None and parse_start_snapshot(raw, lib_path) is not None
    with Library(lib_path) as lib:
        lib.set_bookmarked(lib.articles()[0].id, True)
    assert parse_start_snapshot(raw, lib_path) is None


def test_a_library_of_another_schema_is_left_to_the_library_to_open(lib_path: Path) -> None:
    raw = lib_path.read_bytes().replace(b'"version":1', b'"version":99', 1)
    assert raw != lib_path.read_bytes()
    lib_path.write_bytes(raw)
    assert snapshot_of_library(lib_path) is None


def test_fork_only_for_a_library_with_a_stale_snapshot(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(start_snapshot_fork, "_cores", lambda: 2)
    assert not worth_forking(lib_path.with_name("new.json"))  # nothing to show yet
    assert worth_forking(lib_path)  # no snapshot
    with Library(lib_path) as lib:
        write_start_snapshot(lib, "added")
    assert not worth_forking(lib_path)  # written after the last change
    with Library(lib_path) as lib:
        lib.set_read(lib.articles()[0].id, True)  # a later write: the journal is newer
    journal = lib_path.with_name(lib_path.name + ".journal")
    later = snapshot_path(lib_path).stat().st_mtime_ns + 10**9
    os.utime(journal, ns=(later, later))
    assert worth_forking(lib_path)
    monkeypatch.setenv(start_snapshot_fork.DISABLE_ENV, "1")
    assert not worth_forking(lib_path)
    monkeypatch.delenv(start_snapshot_fork.DISABLE_ENV)
    monkeypatch.setattr(start_snapshot_fork, "_cores", lambda: 1)
    assert not worth_forking(lib_path)  # nothing to run it beside the app


@needs_fork
@pytest.mark.usefixtures("small_libraries_fork")
def test_the_forked_child_sends_the_snapshot_and_writes_nothing(lib_path: Path) -> None:
    _read_with_cursor(lib_path, ARTICLES[1][0])
    folder = sorted(lib_path.parent.iterdir())
    versions = [file_signature(p) for p in folder]
    maker = SnapshotMaker.start(lib_path)
    assert maker is not None
    snapshot = maker.result()
    assert snapshot is not None and maker.raw is not None
    assert snapshot.articles[snapshot.cursor or ""].title == ARTICLES[1][0]
    assert len(snapshot.highlights) == 1
    assert sorted(lib_path.parent.iterdir()) == folder  # no lock, no snapshot file
    assert [file_signature(p) for p in folder] == versions
    maker.close()  # after result: nothing left to stop


@needs_fork
@pytest.mark.usefixtures("small_libraries_fork")
def test_a_damaged_library_gives_no_snapshot_and_the_usual_error(
    lib_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.tui.launcher import run_tui

    lib_path.write_bytes(b'{"articles": {"x": ')
    maker = SnapshotMaker.start(lib_path)
    assert maker is not None
    assert maker.result() is None
    with pytest.raises(SystemExit) as stopped:
        run_tui(lib_path)  # the app opens the library itself and says what is wrong
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "damaged" in err and err.count("\n") == 1
    assert "Traceback" not in err


@needs_fork
@pytest.mark.usefixtures("small_libraries_fork")
def test_a_child_no_longer_wanted_is_stopped(lib_path: Path) -> None:
    maker = SnapshotMaker.start(lib_path)
    assert maker is not None
    maker.close()
    assert maker.result() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(maker._pid, os.WNOHANG)  # reaped: no zombie left behind


@needs_fork
@pytest.mark.usefixtures("small_libraries_fork")
async def test_first_screen_from_the_forked_snapshot_then_the_library(lib_path: Path) -> None:
    _read_with_cursor(lib_path, ARTICLES[3][0])
    maker = SnapshotMaker.start(lib_path)
    assert maker is not None
    snapshot = maker.result()
    assert snapshot is not None
    app = ReaderApp(PendingLibrary(lib_path, snapshot), library_label="test")
    assert not app.library_loaded
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.library_loaded)
        article = app.query_one(ArticleView).article
        assert article is not None and article.title == ARTICLES[3][0]
        # its highlight is drawn once the whole text is laid out (it was lost when the
        # first screen was laid out at another width than the final one)
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.query_one(ArticleView)
        mark = view.get_component_rich_style("article-view--highlight").bgcolor
        drawn = [view.render_line(y) for y in range(view.size.height)]
        assert any(mark in {s.style.bgcolor for s in strip if s.style} for strip in drawn)
        pane = app.query_one(ListPane)
        highlighted = pane.highlighted
        assert highlighted is not None
        assert pane.get_option_at_index(highlighted).article.title == ARTICLES[3][0]
        await pilot.press("b")
        await pilot.pause()
    app.library.close()
    with Library(lib_path) as lib:
        assert lib.get(ids_by_title(lib)[ARTICLES[3][0]]).bookmarked
