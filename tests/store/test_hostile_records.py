"""Bad values in records (issue 19, class 7): records are checked field by field when
loaded (types and ranges); a bad field is repaired, so no command and not the reader
fails on one, and nothing prints a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.models import Article, Highlight
from reader.store import Library
from reader.store.library import MAX_COUNT, article_from_record, highlight_from_record

BAD_VALUES = [
    2**63 + 5,
    2**64,
    2**200,
    -1,
    -(2**70),
    1e308,
    -0.5,
    7,
    "12",
    "",
    None,
    True,
    [1, 2],
    {"a": 1},
    ["tag", 5, None, {"x": 1}],
]
ARTICLE_FIELDS = [f for f in Article.__dataclass_fields__ if f != "id"]
HIGHLIGHT_FIELDS = [f for f in Highlight.__dataclass_fields__ if f != "id"]


def _assert_article_sound(article: Article) -> None:
    for name in ("title", "added", "content_hash"):
        assert type(getattr(article, name)) is str, name
    for name in ("author", "site", "url", "source_path", "published", "summary"):
        assert getattr(article, name) is None or type(getattr(article, name)) is str, name
    for name in ("word_count", "reading_minutes", "highlight_count"):
        value = getattr(article, name)
        assert type(value) is int and 0 <= value < MAX_COUNT, (name, value)
    assert type(article.position) in (int, float) and 0 <= article.position <= 1
    assert all(type(t) is str for t in article.tags)
    for name in ("bookmarked", "read", "unfetched"):
        assert type(getattr(article, name)) is bool


@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_every_bad_value_in_every_article_field_is_repaired(field: str) -> None:
    for value in BAD_VALUES:
        good = Article(id="x", title="T", added="2024-01-01T00:00:00Z").to_dict()
        del good["id"]
        in_order = {**good, field: value}  # the fast path (fields in store order)
        _assert_article_sound(article_from_record("abcd1234", in_order))
        shuffled = dict(reversed(list(in_order.items())))  # another program's order
        _assert_article_sound(article_from_record("abcd1234", shuffled))


@pytest.mark.parametrize("field", HIGHLIGHT_FIELDS)
def test_every_bad_value_in_every_highlight_field_is_repaired(field: str) -> None:
    for value in BAD_VALUES:
        doc = {"article_id": "abcd1234", "text": "kept", "paragraph": 0, "start": 0, "end": 4}
        highlight = highlight_from_record("h1", {**doc, field: value})
        assert type(highlight.text) is str and type(highlight.article_id) is str
        assert highlight.note is None or type(highlight.note) is str
        offsets = (highlight.paragraph, highlight.start, highlight.end)
        assert all(v is None or (type(v) is int and 0 <= v < MAX_COUNT) for v in offsets)
    assert highlight_from_record("h2", {}).text == ""  # nothing at all: still a record


def write_bad_library(folder: Path) -> Path:
    db = folder / "lib.json"
    articles = {
        f"a{i:07x}": {
            "title": f"Bad {i}",
            "added": "2024-01-01T00:00:00Z",
            "word_count": value,
            "reading_minutes": value,
            "highlight_count": value,
            "position": value,
            "tags": value,
            "bookmarked": value,
            "author": value,
        }
        for i, value in enumerate(BAD_VALUES)
    }
    highlights = {
        f"h{i:07x}": {
            "article_id": "a0000000",
            "text": value if i % 2 else f"text {i}",
            "note": value,
            "paragraph": value,
            "start": value,
            "end": value,
            "created": value,
        }
        for i, value in enumerate(BAD_VALUES)
    }
    data = {
        "_meta": {"schema": {"version": 1}},
        "articles": articles,
        "highlights": highlights,
        "settings": {"sort": {"value": 2**70}, "last_article": {"value": ["x"]}},
    }
    db.write_text(json.dumps(data), encoding="utf-8")
    return db


COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("show", "a0000000"),
    ("show", "a0000000", "--json"),
    ("tag", "a0000000", "fine"),
    ("bookmark", "a0000001"),
    ("read", "a0000002"),
    ("highlights",),
    ("highlights", "--json"),
    ("export", "--format", "json"),
    ("export", "--format", "csv"),
    ("export", "--format", "markdown"),
]


def test_every_command_works_on_a_library_with_bad_values(tmp_path: Path) -> None:
    db = write_bad_library(tmp_path)
    runner = CliRunner()
    for args in COMMANDS:
        result = runner.invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, (args, result.stderr, result.exception)
        assert "internal error" not in result.stderr
    with Library(db) as library:
        for article in library.articles():
            _assert_article_sound(article)
        assert len(library.highlights()) == len(BAD_VALUES)
