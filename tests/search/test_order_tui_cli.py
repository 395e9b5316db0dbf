"""One sort key, one owner: the TUI's list and ``reader list --sort`` put a library with
ties (added in the same second, published at the same instant) and undated articles in
the same order, and dates are compared as instants (reader.search.order, issue 18/21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.models import ParsedArticle
from reader.search.order import in_order
from reader.settings.config import SORTS
from reader.store import Library
from reader.store import library as library_module
from reader.tui.app import ReaderApp
from reader.tui.widgets.list_pane import ListPane

SIZE = (120, 40)
# (title, published): two undated, two published at one instant written in two offsets,
# one naive date (an older library), one day alone.
ARTICLES = [
    ("Quay lights", None),
    ("Net mending", "2024-05-01T12:00:00+02:00"),
    ("Gull census", "2024-05-01T10:00:00Z"),  # the same instant as "Net mending"
    ("Tide tables", "2024-05-01T11:30:00+00:00"),  # later than both, earlier on the clock
    ("Harbour fees", None),
    ("Pier survey", "2024-04-30T23:00:00"),
    ("Lock gates", "2024-04-29"),
]


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def tied_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every article added in the same second."""
    monkeypatch.setattr(library_module, "now_iso", lambda: "2026-01-02T03:04:05Z")
    path = tmp_path / "lib.json"
    with Library(path) as library:
        for n, (title, published) in enumerate(ARTICLES):
            library.add_parsed(
                ParsedArticle(
                    title=title,
                    markdown=f"{title} notes, part {n}. " * (5 + n),
                    published=published,
                    url=f"https://example.org/{n}",
                )
            )
    return path


def cli_ids(path: Path, sort: str) -> list[str]:
    result = CliRunner().invoke(
        cli, ["--db", str(path), "list", "--sort", sort, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return [a["id"] for a in json.loads(result.stdout)]


async def tui_ids(path: Path, sort: str) -> list[str]:
    with Library(path) as library:
        library.set_setting("sort", sort)
    app = ReaderApp(Library(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ListPane)
        return [article.id for article in pane.articles]


@pytest.mark.parametrize("sort", SORTS)
async def test_tui_and_cli_show_the_same_order(tied_library: Path, sort: str) -> None:
    assert await tui_ids(tied_library, sort) == cli_ids(tied_library, sort)


def titles(path: Path, sort: str) -> list[str]:
    with Library(path) as library:
        return [a.title for a in in_order(library.articles(), sort)]


def test_newest_published_compares_instants_and_puts_undated_last(tied_library: Path) -> None:
    order = titles(tied_library, "published")
    assert order[:5] == ["Tide tables", *order[1:3], "Pier survey", "Lock gates"]
    assert set(order[1:3]) == {"Net mending", "Gull census"}  # one instant: a tie
    assert set(order[5:]) == {"Quay lights", "Harbour fees"}  # undated: last


def test_same_second_ties_break_the_same_way_every_time(tied_library: Path) -> None:
    with Library(tied_library) as library:
        articles = library.articles()
        ids = [a.id for a in in_order(articles, "added")]
        assert ids == sorted(ids, reverse=True)  # by id, newest-first direction
        assert [a.id for a in in_order(reversed(articles), "added")] == ids
