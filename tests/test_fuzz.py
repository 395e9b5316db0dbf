"""Fuzzing the code that reads untrusted input: importers, the query parser, quotation
finding, and the export formats' round trips.

Bounded for CI (50 examples each, no deadline); set ``READER_FUZZ_EXAMPLES=2000`` for more.
"""

from __future__ import annotations

import csv
import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import ImportFailed
from reader.highlights.export import export_text
from reader.highlights.export.json_format import parse_highlights_json
from reader.highlights.export.readwise_csv import FORMULA_STARTS
from reader.ingest.importers import parse_bytes
from reader.models import Article, Highlight, ParsedArticle
from reader.quotes import find_quotations
from reader.search.query import parse_query

EXAMPLES = int(os.environ.get("READER_FUZZ_EXAMPLES", "50"))  # more for a soak run

# Fragments that steer random input towards what importers actually branch on.
_FRAGMENTS = [
    "<html>",
    "<head>",
    "<title>",
    "</title>",
    "<body>",
    "<article>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<h1>",
    "<a href='javascript:x'>",
    "<script>",
    "<!--",
    "-->",
    "<meta charset=",
    "utf-16",
    "# ",
    "\n\n",
    "---\n",
    "title: ",
    "> ",
    "- ",
    "* ",
    "```",
    "[x](file:///)",
    "\x1b[31m",
    "\x1b]0;t\x07",
    "\x9b",
    "\u202e",
    "\x00",
    "\ufeff",
    "&#27;",
    "&#x9b;",
    '"',
    "“",
    "”",
    " said ",
    "Ada Lovelace",
    ". ",
    "By ",
    "Published ",
    "2024-01-02",
]
_structured = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=20)), max_size=40
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
_any_bytes = st.one_of(st.binary(max_size=3000), _structured)


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=_any_bytes, suffix=st.sampled_from(["txt", "html", "md"]))
def test_importers_accept_any_bytes(data: bytes, suffix: str) -> None:
    """Any bytes give a ParsedArticle or an ImportFailed, never another exception."""
    try:
        article = parse_bytes(data, name=f"x.{suffix}")
    except ImportFailed as err:
        assert "\n" not in str(err)
        return
    assert isinstance(article, ParsedArticle)
    assert isinstance(article.title, str) and isinstance(article.markdown, str)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list('ab -:"tag:is:site:author:has:\\()*é')) | st.characters(),
        max_size=200,
    )
)
def test_parse_query_never_raises(text: str) -> None:
    """``parse_query`` accepts any text."""
    query = parse_query(text)
    assert isinstance(query.is_empty(), bool)


_prose = st.lists(
    st.one_of(
        st.sampled_from(
            ['"', "“", "”", "'", "‘", "’", "«", "»", " said ", " says ", ",", ".", " "]
        ),
        st.sampled_from(["Ada Lovelace", "the mayor", "She", "Mr. Smith", "hello", "world"]),
        st.text(max_size=12),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=EXAMPLES, deadline=None)
@given(paragraphs=st.lists(_prose, max_size=6))
def test_find_quotations_never_raises_and_offsets_hold(paragraphs: list[str]) -> None:
    """``find_quotations`` accepts any paragraphs, and each quotation's offsets point at
    its text: ``paragraphs[q.paragraph][q.start:q.end] == q.text``."""
    for quote in find_quotations(paragraphs):
        assert 0 <= quote.paragraph < len(paragraphs)
        assert 0 <= quote.start <= quote.end <= len(paragraphs[quote.paragraph])
        assert paragraphs[quote.paragraph][quote.start : quote.end] == quote.text


_words = st.text(max_size=60)
_clean_words = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)


def _items(
    texts: list[tuple[str, str | None]], title: str
) -> list[tuple[Article, list[Highlight]]]:
    article = Article(id="a1b2c3d4", title=title, author=title, url="https://example.org/x")
    highlights = [
        Highlight(
            id=f"h{i:07d}",
            article_id=article.id,
            text=text,
            note=note,
            created="2024-05-06T07:08:09Z",
            paragraph=i,
            start=0,
            end=len(text),
        )
        for i, (text, note) in enumerate(texts)
    ]
    return [(article, highlights)]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    texts=st.lists(st.tuples(_words.filter(str.strip), st.none() | _words), max_size=5),
    title=_words,
)
def test_json_export_round_trips_highlights(
    texts: list[tuple[str, str | None]], title: str
) -> None:
    """``export_text("json")`` read back by ``parse_highlights_json`` gives the same
    highlights (text, note, offsets, ids) for any text (the store never keeps a
    highlight whose text is empty)."""
    items = _items(texts, title)
    parsed = parse_highlights_json(export_text("json", items))
    ((meta, highlights),) = parsed
    assert meta["title"] == title
    assert highlights == items[0][1]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    texts=st.lists(st.tuples(_clean_words, st.none() | _clean_words), max_size=5),
    title=_clean_words,
)
def test_csv_export_round_trips_values(texts: list[tuple[str, str | None]], title: str) -> None:
    """The Readwise CSV read back with ``csv.reader`` gives every value unchanged, except
    that a value starting like a formula (``= + - @``) carries one leading ``'``."""

    def expected(value: str) -> str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value

    rows = list(csv.reader(io.StringIO(export_text("csv", _items(texts, title)))))
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
    assert len(rows) == len(texts) + 1
    for row, (i, (text, note)) in zip(rows[1:], enumerate(texts), strict=True):
        assert row == [
            expected(text),
            expected(title),
            expected(title),
            "https://example.org/x",
            expected(note or ""),
            str(i),
            "2024-05-06 07:08:09",
        ]
