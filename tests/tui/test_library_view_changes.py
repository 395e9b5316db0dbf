"""LibraryView.note_changed tells the app whether the list kept its rows (then only one row
is redrawn) or must be refilled."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import ARTICLES, ids_by_title

from reader.store import Library
from reader.tui.library_view import LibraryView


def test_a_change_that_keeps_every_place_is_one_row(lib_path: Path) -> None:
    with Library(lib_path) as lib:
        view = LibraryView(lib)
        before = [a.id for a in view.rows]
        target = ids_by_title(lib)[ARTICLES[1][0]]
        assert view.note_changed(lib.set_bookmarked(target, True)) is True
        assert [a.id for a in view.rows] == before
        assert view.get(target).bookmarked


def test_a_change_of_filter_membership_refills_the_list(lib_path: Path) -> None:
    with Library(lib_path) as lib:
        ids = ids_by_title(lib)
        view = LibraryView(lib)
        view.set_query("is:bookmarked")
        assert view.rows == []
        assert view.note_changed(lib.set_bookmarked(ids[ARTICLES[0][0]], True)) is False
        assert [a.title for a in view.rows] == [ARTICLES[0][0]]
        view.set_query("city")
        shown = [a.id for a in view.rows]
        assert view.note_changed(lib.set_read(ids[ARTICLES[0][0]], True)) is (
            ids[ARTICLES[0][0]] in shown
        )
        assert [a.id for a in view.rows] == shown


def test_the_slot_table_is_made_with_the_index_not_at_the_first_keystroke(
    lib_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from reader.search.index import SearchIndex

    with Library(lib_path) as lib:
        view = LibraryView(lib)
        view.build_index()  # (a worker thread in the app)
        made: list[int] = []
        real = SearchIndex.slot_table

        def counting(self: SearchIndex, ids):  # type: ignore[no-untyped-def]
            made.append(1)
            return real(self, ids)

        monkeypatch.setattr(SearchIndex, "slot_table", counting)
        view.set_query("keeper")
        assert made == []
        assert [a.title for a in view.rows] == [a[0] for a in reversed(ARTICLES)]
