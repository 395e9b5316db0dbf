"""``read_stored_tables``: the library's records as ``Library`` shows them, read without
opening it, the highlights table parsed only for the article asked about."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from reader.models import ParsedArticle
from reader.store import Library
from reader.store.stored_tables import read_stored_tables


def _library(path: Path) -> dict[str, str]:
    """Three articles (one without highlights), highlights in the main file and more in
    the journal, a setting after the highlights table. Returns the ids by title."""
    library = Library(path)
    ids = {}
    for title in ("Tides", "Harbours", "Lighthouses"):
        parsed = ParsedArticle(title=title, markdown=f"{title} are old.\n\nMore on {title}.\n")
        ids[title] = library.add_parsed(parsed).article.id
    library.add_highlight(ids["Tides"], "Tides are old.", paragraph=0, start=0, end=14)
    library.add_highlight(ids["Harbours"], "More on Harbours.", paragraph=1, start=0, end=17)
    library.compact()  # the main file holds these; the next ones go to the journal
    library.add_highlight(ids["Tides"], "More on Tides.", paragraph=1, start=0, end=14)
    library.set_setting("last_article", ids["Tides"])
    library.close()
    return ids


def _expected(path: Path, ids: dict[str, str]) -> dict[str, list[object]]:
    with Library(path) as library:
        return {title: library.highlights(i) for title, i in ids.items()}


def test_the_tables_are_the_library_s_with_highlights_from_file_and_journal(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lib.json"
    ids = _library(path)
    expected = _expected(path, ids)
    tables = read_stored_tables(path)
    assert tables is not None
    assert tables.highlight_records is None  # not parsed: searched for one article
    for title, article_id in ids.items():
        assert tables.highlights(article_id) == expected[title], title
    assert len(expected["Tides"]) == 2 and expected["Lighthouses"] == []
    assert tables.highlight_records is None  # every count matched: never parsed whole
    assert tables.get_setting("last_article") == ids["Tides"]
    assert set(tables.articles) == set(ids.values())


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit the library file by hand (the journal folded into it first)."""
    with Library(path) as library:
        library.compact()
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


@pytest.mark.parametrize(
    "edit",
    [
        "nested key",  # a hand-edited record holding a key named like a table
        "field order",  # article_id not first: the search cannot find it
        "highlights last",  # the table after every other
    ],
)
def test_hand_edited_files_read_the_same(tmp_path: Path, edit: str) -> None:
    path = tmp_path / "lib.json"
    ids = _library(path)

    def change(data: dict[str, Any]) -> None:
        highlights = data["highlights"]
        first = next(iter(highlights))
        if edit == "nested key":
            highlights[first]["extra"] = {"a": {}, "settings": {"x": 1}}
        elif edit == "field order":
            doc = highlights[first]
            highlights[first] = {"text": doc["text"], **doc}
        else:
            data["highlights"] = data.pop("highlights")

    _rewrite(path, change)
    expected = _expected(path, ids)
    tables = read_stored_tables(path)
    assert tables is not None
    if edit == "nested key":  # cut at the nested key: the parts failed, the file was read whole
        assert tables.highlight_records is not None
    for title, article_id in ids.items():
        assert tables.highlights(article_id) == expected[title], (edit, title)
    assert tables.get_setting("last_article") == ids["Tides"]
    assert set(tables.articles) == set(ids.values())


@pytest.mark.parametrize(
    "title",
    ["Tides \x1b[31mred\x1b[0m and \u202eback", "Tides  with two spaces"],
)
def test_a_record_is_built_as_the_library_shows_it(tmp_path: Path, title: str) -> None:
    """A record holding controls is cleaned as the library cleans it; one without is left
    as it is. (When a file holds controls anywhere, the library also collapses the spaces
    of every other record: the first screen may then differ from the list the library
    shows a moment later, by those spaces.)"""
    path = tmp_path / "lib.json"
    ids = _library(path)
    _rewrite(path, lambda data: data["articles"][ids["Tides"]].update(title=title))
    tables = read_stored_tables(path)
    assert tables is not None
    with Library(path) as library:
        assert tables.article(ids["Tides"]).title == library.get(ids["Tides"]).title
    assert "\x1b" not in tables.article(ids["Tides"]).title
