"""Shape checks for the bundled sample articles in ``sample_articles/``.

These tests do not exercise the importers; they pin down the properties of the sample
files that other tests and the importers rely on: how many there are, their lengths,
their metadata, and the structure of the scraped plain-text files.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"
ARTICLE_SUFFIXES = {".html", ".md", ".txt"}
MIN_WORDS = 500
MAX_WORDS = 2000

_META_CHARSET = re.compile(rb"""<meta\s+charset=["']?([\w-]+)""", re.IGNORECASE)
_HIDDEN_BLOCKS = re.compile(r"(?is)<(script|style|head|noscript)\b.*?</\1\s*>")
_TAG = re.compile(r"(?s)<[^>]+>")
_JSON_LD = re.compile(r"""(?is)<script[^>]*type=["']application/ld\+json["'][^>]*>(.*?)</script>""")
_SCRAPED_DATE = re.compile(
    r"^(?:\d{1,2} [A-Z][a-z]{2}, \d{4} \d{2}:\d{2}"  # 14 Apr, 2022 13:52
    r"|[A-Z][a-z]+ \d{1,2}, \d{4}"  # April 14, 2022
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)$"  # 2022-04-14T13:52
)


def _articles() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix in ARTICLE_SUFFIXES)


def _of(suffix: str) -> list[Path]:
    return [p for p in _articles() if p.suffix == suffix]


def _read_html(path: Path) -> str:
    raw = path.read_bytes()
    match = _META_CHARSET.search(raw[:2048])
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    return raw.decode(encoding)


def _is_scraped(text: str) -> bool:
    lines = text.splitlines()
    return len(lines) > 1 and bool(_SCRAPED_DATE.match(lines[1].strip()))


def _visible_words(path: Path) -> int:
    if path.suffix == ".html":
        text = _HIDDEN_BLOCKS.sub(" ", _read_html(path))
        text = html.unescape(_TAG.sub(" ", text))
    else:
        text = path.read_text(encoding="utf-8")
    return len(text.split())


def test_enough_articles_in_every_format() -> None:
    articles = _articles()
    assert len(articles) >= 9
    assert len(_of(".html")) >= 4
    assert len(_of(".md")) >= 2
    texts = [p.read_text(encoding="utf-8") for p in _of(".txt")]
    assert sum(_is_scraped(t) for t in texts) >= 3
    assert sum(not _is_scraped(t) for t in texts) >= 1


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_article_length(path: Path) -> None:
    words = _visible_words(path)
    assert MIN_WORDS <= words <= MAX_WORDS, f"{path.name}: {words} words"


@pytest.mark.parametrize("path", _of(".html"), ids=lambda p: p.name)
def test_html_metadata(path: Path) -> None:
    page = _read_html(path)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert re.search(r"""property=["']og:title["']""", page)
    assert re.search(r"""rel=["']canonical["']""", page)
    assert re.search(r"<h2\b", page) and re.search(r"<ul\b", page)
    assert re.search(r"<blockquote\b", page)
    blocks = _JSON_LD.findall(page)
    assert blocks, "no JSON-LD block"
    graph = json.loads(blocks[0])
    nodes = graph.get("@graph", [graph])
    article = next(n for n in nodes if n.get("@type") == "NewsArticle")
    assert article["author"] and article["datePublished"]


def test_one_html_page_is_windows_1252() -> None:
    cp1252 = [p for p in _of(".html") if b'charset="windows-1252"' in p.read_bytes()[:2048]]
    assert len(cp1252) == 1
    raw = cp1252[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "é" in raw.decode("cp1252")


def test_one_html_page_has_a_table() -> None:
    assert sum("<table" in _read_html(p) for p in _of(".html")) >= 1


@pytest.mark.parametrize("path", _of(".md"), ids=lambda p: p.name)
def test_markdown_front_matter(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "no YAML front matter"
    front = match.group(1)
    assert re.search(r"^title: \S", front, re.MULTILINE)
    for key in ("author", "url", "date"):
        assert re.search(rf"^{key}: \S", front, re.MULTILINE), key
    assert re.search(r"^tags:\n(  - \S.*\n?)+", front + "\n", re.MULTILINE)
    assert re.search(r"^## ", text, re.MULTILINE)


@pytest.mark.parametrize(
    "path",
    [p for p in _of(".txt") if _is_scraped(p.read_text(encoding="utf-8"))],
    ids=lambda p: p.name,
)
def test_scraped_text_structure(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    menu, _date, blank1, headline, blank2, deck, headline_again, blank3 = lines[:8]
    assert menu.strip() and not re.search(r"[.!?,;:]", menu), "menu line looks like prose"
    assert blank1 == "" and blank2 == "" and blank3 == ""
    assert headline.strip() and headline == headline_again
    assert deck.strip() and deck != headline
    assert lines[8].strip(), "body should start right after the repeated headline"


def test_scraped_files_vary_menu_and_date_format() -> None:
    scraped = [t for t in (p.read_text(encoding="utf-8") for p in _of(".txt")) if _is_scraped(t)]
    menus = {t.splitlines()[0] for t in scraped}
    date_shapes = {
        re.sub(r"\d", "9", re.sub(r"[A-Za-z]+", "A", t.splitlines()[1])) for t in scraped
    }
    assert len(menus) == len(scraped)
    assert len(date_shapes) >= 3
