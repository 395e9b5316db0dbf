"""Dates keep their offset when stored and are shown in the reader's time zone: the list
row, the article header, ``reader list`` and ``reader show`` (reader.timestamps)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.models import Article, ParsedArticle
from reader.store import Library
from reader.timestamps import instant, local_day, local_minute
from reader.tui.widgets.article.loading import _meta_line
from reader.tui.widgets.list_pane import article_row

LATE_IN_CHICAGO = "2024-05-01T23:30:00-05:00"  # 2024-05-02 13:30 in Tokyo


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_aware_dates_are_shown_in_local_time(tokyo: None) -> None:
    assert local_day(LATE_IN_CHICAGO) == "2024-05-02"
    assert local_minute(LATE_IN_CHICAGO) == "2024-05-02 13:30"


def test_naive_and_odd_dates_are_shown_as_written(tokyo: None) -> None:
    assert local_day("2024-05-01T23:30:00") == "2024-05-01"
    assert local_minute("2024-05-01T23:30:00") == "2024-05-01 23:30"
    assert local_minute("2024-05-01") == "2024-05-01"
    assert local_day("sometime in May") == "sometime i"
    assert local_day(None) == "" and instant("sometime") is None


def test_instants_order_offsets_rightly() -> None:
    assert instant("2024-05-01T12:00:00+02:00") == instant("2024-05-01T10:00:00Z")
    assert instant("2024-05-01T11:30:00+00:00") > instant("2024-05-01T12:00:00+02:00")
    assert instant("2024-05-01T10:00:00") == instant("2024-05-01T10:00:00+00:00")


def test_list_row_and_header_show_the_local_day(tokyo: None) -> None:
    article = Article(id="a1", title="Night ferry", published=LATE_IN_CHICAGO, author="Jo")
    assert "2024-05-02" in article_row(article).plain
    assert "2024-05-02" in _meta_line(article)


def test_store_keeps_the_offset_and_cli_shows_local_time(tmp_path: Path, tokyo: None) -> None:
    path = tmp_path / "lib.json"
    with Library(path) as library:
        result = library.add_parsed(
            ParsedArticle(
                title="Night ferry",
                markdown="The ferry left late. " * 20,
                published=LATE_IN_CHICAGO,
            )
        )
        # An article of an older library: a naive date.
        library.add_parsed(
            ParsedArticle(
                title="Old quay", markdown="The quay is old. " * 20, published="2019-03-04T05:06:07"
            )
        )
        article_id = result.article.id
    with Library(path) as library:
        assert library.get(article_id).published == LATE_IN_CHICAGO
    runner = CliRunner()
    listing = runner.invoke(cli, ["--db", str(path), "list", "--sort", "published"])
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert "2024-05-02" in lines[1] and "2019-03-04" in lines[2]
    shown = runner.invoke(cli, ["--db", str(path), "show", article_id])
    assert "2024-05-02 13:30" in shown.stdout
    as_json = runner.invoke(cli, ["--db", str(path), "list", "--json"])
    assert LATE_IN_CHICAGO in {a["published"] for a in json.loads(as_json.stdout)}
