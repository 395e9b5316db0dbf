"""The start snapshot: the first screen saved at quit, drawn at the next start while the
library opens (reader.startup.snapshot, reader.tui.pending_library, ReaderApp)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import ARTICLES, ids_by_title, wait_until

from reader.models import Article, Highlight
from reader.settings.paths import snapshot_path
from reader.startup.snapshot import (
    ROWS_AROUND_CURSOR,
    SnapshotRows,
    read_start_snapshot,
    save_snapshot_bytes,
    snapshot_bytes_of,
    write_start_snapshot,
)
from reader.store import Library
from reader.tui.app import ReaderApp
from reader.tui.library_view import LibraryView
from reader.tui.pending_library import PendingLibrary, SnapshotLibrary, SnapshotView
from reader.tui.widgets.article.view import ArticleView
from reader.tui.widgets.list_pane import ListPane

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


def _save(lib_path: Path, cursor_title: str | None = None) -> None:
    """The snapshot the app saves at quit, after reading ``cursor_title`` (with a
    highlight in it) under the "paper" theme."""
    with Library(lib_path) as lib:
        lib.set_setting("theme", "paper")
        if cursor_title:
            cursor = ids_by_title(lib)[cursor_title]
            lib.set_setting("last_article", cursor)
            lib.add_highlight(cursor, "Opening paragraph", paragraph=0, start=0, end=17)
        write_start_snapshot(lib, LibraryView(lib).sort)


def test_snapshot_round_trip_keeps_rows_cursor_and_highlights(lib_path: Path) -> None:
    _save(lib_path, ARTICLES[2][0])
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    with Library(lib_path) as lib:
        expected = LibraryView(lib).ordered()
        cursor = ids_by_title(lib)[ARTICLES[2][0]]
    assert [a.title for a in snapshot.rows] == [a.title for a in expected]
    assert snapshot.rows[1] == expected[1]  # every field, not just the title
    assert snapshot.cursor == cursor
    assert [h.text for h in snapshot.highlights] == ["Opening paragraph"]
    assert snapshot.settings["theme"] == "paper"
    assert snapshot.sort == "added"


def test_any_write_to_the_library_makes_the_snapshot_stale(lib_path: Path) -> None:
    _save(lib_path)
    assert read_start_snapshot(lib_path) is not None
    with Library(lib_path) as lib:  # e.g. `reader tag` in another terminal
        lib.set_bookmarked(lib.articles()[0].id, True)
    assert read_start_snapshot(lib_path) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b'{"version": 1}', b'{"version": 99}', b"\x00\xff" * 50],
)
def test_a_missing_or_damaged_snapshot_is_ignored(lib_path: Path, content: bytes) -> None:
    assert read_start_snapshot(lib_path) is None
    snapshot_path(lib_path).write_bytes(content)
    assert read_start_snapshot(lib_path) is None


def test_a_snapshot_with_a_bad_row_is_ignored(lib_path: Path) -> None:
    _save(lib_path)
    path = snapshot_path(lib_path)
    path.write_bytes(path.read_bytes().replace(b'"rows":[{', b'"rows":[7,{', 1))
    assert read_start_snapshot(lib_path) is None


def test_snapshot_rows_keep_a_window_around_the_cursor() -> None:
    window = [Article(id=f"a{i}", title=f"t{i}") for i in range(5)]
    rows = SnapshotRows(total=1000, start=500, rows=window)
    assert len(rows) == 1000
    assert rows[502].id == "a2"
    assert rows[0].id == "" and rows[999].id == "" and rows[-1].id == ""
    assert [a.id for a in rows[499:502]] == ["", "a0", "a1"]
    assert sum(1 for _ in rows) == 1000
    assert [a.id for a in rows].index("a0") == 500
    with pytest.raises(IndexError):
        rows[1000]


class _Articles:
    """A snapshot source of articles only (no settings but the cursor, no highlights,
    no bodies)."""

    def __init__(self, cursor: str) -> None:
        self.cursor = cursor

    def get_setting(self, key: str, default: object = None) -> object:
        return self.cursor if key == "last_article" else default

    def highlights(self, article_id: str) -> list[Highlight]:
        return []

    def body(self, article_id: str) -> str | None:
        return None


def test_only_rows_near_the_cursor_are_saved(tmp_path: Path) -> None:
    order = [Article(id=f"{i:08x}", title=f"t{i}") for i in range(1000)]
    lib_path = tmp_path / "lib.json"
    lib_path.write_bytes(b"{}")
    raw = snapshot_bytes_of(
        _Articles(order[700].id), lib_path, "added", [a.id for a in order], order.__getitem__
    )
    save_snapshot_bytes(lib_path, raw)
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    assert len(snapshot.rows) == 1000
    assert len(snapshot.articles) == 2 * ROWS_AROUND_CURSOR + 1
    assert snapshot.rows[700].id == order[700].id
    assert snapshot.rows[0].id == ""


async def test_first_screen_comes_from_the_snapshot_then_the_library_opens(
    lib_path: Path,
) -> None:
    _save(lib_path, ARTICLES[1][0])
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    app = ReaderApp(PendingLibrary(lib_path, snapshot), library_label="test")
    assert isinstance(app.library, SnapshotLibrary) and isinstance(app.view, SnapshotView)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.library_loaded)
        assert isinstance(app.library, Library) and isinstance(app.view, LibraryView)
        pane = app.query_one(ListPane)
        assert [pane.get_option_at_index(i).article.title for i in range(4)] == [
            a[0] for a in reversed(ARTICLES)
        ]
        article = app.query_one(ArticleView).article
        assert article is not None and article.title == ARTICLES[1][0]  # the last one read
        await pilot.press("b")  # keys act on the real library
        await pilot.pause()
    with Library(lib_path) as lib:
        assert lib.get(ids_by_title(lib)[ARTICLES[1][0]]).bookmarked


async def test_quitting_saves_a_snapshot_the_next_start_uses(lib_path: Path) -> None:
    assert read_start_snapshot(lib_path) is None
    library = Library(lib_path)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")  # the cursor on the third row
        await pilot.pause()
    app.save_start_snapshot()  # what reader.tui.launcher.run_tui does once the app has quit
    library.close()
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    assert snapshot.articles[snapshot.cursor or ""].title == ARTICLES[1][0]
    again = ReaderApp(PendingLibrary(lib_path, snapshot))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        article = again.query_one(ArticleView).article
        assert article is not None and article.title == ARTICLES[1][0]
    again.library.close()


def test_a_stand_in_answers_anything_else_by_opening_the_library(lib_path: Path) -> None:
    _save(lib_path, ARTICLES[0][0])
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    app = ReaderApp(PendingLibrary(lib_path, snapshot))
    assert not app.library_loaded
    assert app.library.all_tags() == {
        "city": 2,
        "economy": 1,
        "transport": 1,
        "weird": 1,
    }  # not in the snapshot: opens the library
    assert app.library_loaded
    assert isinstance(app.library, Library)
    app.library.close()


def test_a_command_that_changes_the_library_brings_the_snapshot_up_to_date(
    lib_path: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from reader.cli import cli

    _save(lib_path, ARTICLES[0][0])
    note = tmp_path / "new.md"
    note.write_text("# Zebra crossing repainted\n\nThe paint dried by noon.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(lib_path), "add", str(note)])
    assert result.exit_code == 0, result.output
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None  # not stale: brought up to date by `add`
    assert snapshot.total == len(ARTICLES) + 1
    assert snapshot.rows[0].title == "Zebra crossing repainted"  # newest added first
    assert snapshot.articles[snapshot.cursor or ""].title == ARTICLES[0][0]
    result = CliRunner().invoke(cli, ["--db", str(lib_path), "list"])  # reads only
    assert result.exit_code == 0
    assert read_start_snapshot(lib_path) is not None


def test_a_command_that_changes_the_library_makes_a_snapshot(lib_path: Path) -> None:
    from click.testing import CliRunner

    from reader.cli import cli

    with Library(lib_path) as lib:
        first = lib.articles()[0].id
    assert not snapshot_path(lib_path).exists()
    result = CliRunner().invoke(cli, ["--db", str(lib_path), "tag", first, "extra"])
    assert result.exit_code == 0, result.output
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None and snapshot.sort == "added"
    assert "extra" in snapshot.articles[first].tags


async def test_the_snapshot_saved_at_quit_has_what_another_process_added(
    lib_path: Path, tmp_path: Path
) -> None:
    from reader.ingest.batch import import_paths

    library = Library(lib_path)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        note = tmp_path / "late.md"
        note.write_text("# Late ferry news\n\nIt docked at nine.\n", encoding="utf-8")
        with Library(lib_path) as other:  # e.g. `reader add` in another terminal
            import_paths(other, [note], workers=1)
    app.save_start_snapshot()
    library.close()
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    assert snapshot.total == len(ARTICLES) + 1
    assert snapshot.rows[0].title == "Late ferry news"


def test_a_snapshot_with_a_bad_highlight_is_ignored(lib_path: Path) -> None:
    _save(lib_path, ARTICLES[2][0])
    path = snapshot_path(lib_path)
    raw = path.read_bytes()
    assert b'"text":"Opening paragraph"' in raw
    path.write_bytes(raw.replace(b'"text":"Opening paragraph"', b'"text":42', 1))
    assert read_start_snapshot(lib_path) is None


def test_the_snapshot_keeps_the_start_of_the_shown_articles_text(lib_path: Path) -> None:
    from reader.text.article_head import head_blocks

    with Library(lib_path) as lib:
        cursor = ids_by_title(lib)[ARTICLES[2][0]]
        other = ids_by_title(lib)[ARTICLES[0][0]]
        lib.set_setting("last_article", cursor)
        write_start_snapshot(lib, "added")
        text = lib.body(cursor) or ""
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None and snapshot.cursor == cursor
    assert snapshot.head == head_blocks(text) and snapshot.head
    assert snapshot.head_for(cursor, text) == snapshot.head
    assert snapshot.head_for(cursor, text + "\n\nA later paragraph.") is None  # another text
    assert snapshot.head_for(other, text) is None


def test_a_new_snapshot_takes_the_saved_head_of_an_unchanged_text(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that changed other articles makes the new snapshot without parsing the
    shown article again (nor importing the Markdown parser); a changed text is parsed."""
    import reader.startup.snapshot as start_snapshot
    from reader.text.article_head import head_blocks

    _save(lib_path, ARTICLES[2][0])
    before = read_start_snapshot(lib_path)
    assert before is not None and before.head
    with Library(lib_path) as lib:
        cursor = ids_by_title(lib)[ARTICLES[2][0]]
        lib.set_bookmarked(ids_by_title(lib)[ARTICLES[0][0]], True)  # the snapshot is stale

        def no_parse(markdown: str) -> list[object]:
            raise AssertionError("parsed again")

        with monkeypatch.context() as patch:
            patch.setattr(start_snapshot, "head_blocks", no_parse)
            write_start_snapshot(lib, "added")
        after = read_start_snapshot(lib_path)
        assert after is not None and after.cursor == cursor
        assert after.head == before.head and after.head_digest == before.head_digest
        # the text changed: its head is parsed again, from the new text
        text = (lib.body(cursor) or "").replace("Opening paragraph", "First paragraph", 1)
        lib.bodies.write(cursor, text)
        write_start_snapshot(lib, "added")
    changed = read_start_snapshot(lib_path)
    assert changed is not None
    assert changed.head == head_blocks(text) != before.head
    assert changed.head_for(cursor, text) == changed.head


def test_without_a_last_article_the_snapshot_starts_on_the_first_row(lib_path: Path) -> None:
    with Library(lib_path) as lib:
        write_start_snapshot(lib, "added")
        first = LibraryView(lib).ordered()[0]
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    assert snapshot.cursor == first.id and snapshot.head  # the article the app shows first


def test_a_snapshot_with_a_bad_block_is_ignored(lib_path: Path) -> None:
    with Library(lib_path) as lib:
        write_start_snapshot(lib, "added")
    path = snapshot_path(lib_path)
    raw = path.read_bytes()
    assert b'"head":[["paragraph",' in raw
    path.write_bytes(raw.replace(b'"head":[["paragraph",', b'"head":[["[bold]",', 1))
    assert read_start_snapshot(lib_path) is None


async def test_the_first_frame_shows_the_article_from_the_snapshot_without_parsing(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui.widgets.article import loading as article_view

    with Library(lib_path) as lib:
        cursor = ids_by_title(lib)[ARTICLES[1][0]]
        lib.set_setting("last_article", cursor)
        write_start_snapshot(lib, "added")
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    app = ReaderApp(PendingLibrary(lib_path, snapshot), library_label="test")
    parsed_before_first_frame: list[bool] = []
    real_build = article_view._build

    def build(*args: object) -> object:
        parsed_before_first_frame.append(not app.main_screen._first_frame_shown)
        return real_build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(article_view, "_build", build)
    at_first_frame: list[tuple[str | None, int, int, int]] = []
    real_display = app._display

    def display(screen: object, renderable: object) -> None:
        if renderable is not None and not at_first_frame:  # the first frame drawn
            view = app.query_one(ArticleView)
            shown = view.article.id if view.article else None
            at_first_frame.append(
                (shown, view.line_count, view._doc.measure, view._effective_measure())
            )
        real_display(screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "_display", display)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.ready  # the whole text, laid out by the worker after the first frame
        assert view.scroll_y == 0  # not read yet: its title shows, laid out again or not
    app.library.close()
    shown, rows, measure, fitted = at_first_frame[0]
    assert shown == cursor and rows > 10
    assert measure == fitted  # laid out for the pane's width in that very frame
    assert parsed_before_first_frame == [False]  # parsed once, after the first frame


async def test_the_reading_place_is_restored_from_the_snapshot_without_the_worker(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from reader.tui.widgets.article import loading as article_view

    with Library(lib_path) as lib:
        cursor = ids_by_title(lib)[ARTICLES[0][0]]  # the longest: more than a screen
        lib.set_setting("last_article", cursor)
        lib.set_position(cursor, 0.5)
        write_start_snapshot(lib, "added")
    snapshot = read_start_snapshot(lib_path)
    assert snapshot is not None
    release = threading.Event()
    real_build = article_view._build

    def held_build(*args: object) -> object:
        release.wait(10)  # the whole text is not laid out while the test looks
        return real_build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(article_view, "_build", held_build)
    app = ReaderApp(PendingLibrary(lib_path, snapshot), library_label="test")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.article is not None and view.article.id == cursor
        assert not view.ready  # still the rows from the snapshot
        assert view.scroll_y > 0 and abs(view.progress - 0.5) < 0.05
        release.set()
        await app.workers.wait_for_complete()
    app.library.close()


def test_a_snapshot_holding_a_terminal_escape_is_ignored(lib_path: Path) -> None:
    with Library(lib_path) as lib:
        write_start_snapshot(lib, "added")
    path = snapshot_path(lib_path)
    raw = path.read_bytes()
    assert read_start_snapshot(lib_path) is not None
    # An escape written into the saved text of the article (by hand, or another program):
    tampered = raw.replace(b'"head":[["paragraph","', b'"head":[["paragraph","\\u001b[2J', 1)
    assert tampered != raw
    path.write_bytes(tampered)
    assert read_start_snapshot(lib_path) is None
