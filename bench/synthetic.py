"""Synthetic libraries and HTML pages for the benchmark (our own made-up text).

Owns ``build_library`` (a library of N articles stored through the project's own store API:
``Library.batch`` + ``add_parsed`` + ``set_bookmarked`` + ``add_highlight``, cached on disk by
size and seed; a pool of worker processes makes the articles, this process stores them),
``make_article`` (one article's Markdown with headings, lists, block quotes and quotations)
and ``write_html_pages`` (realistic pages with site chrome, for the import benchmark).

Shape of a library of N articles (deterministic for a given seed):

* bodies of 300-20,000 words, log-normal around ~1,800 (most 1,000-3,000); every 97th article
  has exactly ~5,000 words and every 173rd ~20,000 words, so the "open an article of 5,000 /
  20,000 words" measurements always find some;
* 1-5 tags from a pool of 200; 10% bookmarked; 20% of the articles carry 1-9 highlights
  (about N highlights for N articles, so the 10,000 library exports ~10,000 highlights).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.models import ParsedArticle
from reader.store.library import PreparedBody, prepare_body

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from reader.store import Library

CACHE_VERSION = 1
LONG_5K_EVERY = 97
LONG_20K_EVERY = 173
BATCH_SIZE = 500  # articles per Library.batch()
_SERIAL_BELOW = 300  # smaller libraries are built in this process (a pool costs ~0.2 s)

_ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st", "tr"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
_CODAS = ["", "n", "r", "s", "t", "l", "nd", "st", "ng"]
_COMMON_TEXT = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were their one all we can her has there been if more when "
    "will would who so no out up into than them only other new some could time these two may "
    "first then do any like my now over such our man me even most made after also did many "
    "before must through back years where much your way well down should because each just "
    "climate market river research people city water energy school history policy data"
)
_COMMON = _COMMON_TEXT.split()
_NAMES = ["Ada Marsh", "Ben Okafor", "Carla Reyes", "Dev Patel", "Elena Voss", "Farid Haddad"]
_SITES = ["example.org", "news.example.com", "blog.example.net", "review.example.io"]


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        words.add(word)
    return sorted(words)


@dataclass(slots=True)
class _Vocabulary:
    words: list[str]
    sentences: list[str]
    tags: list[str]


def _vocabulary(seed: int) -> _Vocabulary:
    rng = random.Random(seed * 7919 + 1)
    rare = _pseudo_words(rng, 3000)
    tags = _pseudo_words(random.Random(seed + 17), 200)
    pool = _COMMON * 20 + rare
    sentences = []
    for _ in range(6000):
        n = rng.randint(6, 26)
        words = rng.choices(pool, k=n)
        words[0] = words[0].capitalize()
        sentences.append(" ".join(words) + rng.choice(".....?!"))
    return _Vocabulary(rare, sentences, tags)


def _word_target(rng: random.Random, index: int) -> int:
    if index % LONG_20K_EVERY == 7:
        return 20_000
    if index % LONG_5K_EVERY == 5:
        return 5_000
    # log-normal: median ~1,800 words, most between 1,000 and 3,000
    return int(min(20_000, max(300, rng.lognormvariate(math.log(1800), 0.55))))


def _paragraph(rng: random.Random, vocab: _Vocabulary, words: int) -> tuple[str, int]:
    parts: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(vocab.sentences)
        parts.append(sentence)
        count += sentence.count(" ") + 1
    return " ".join(parts), count


def make_article(index: int, seed: int = 1, vocab: _Vocabulary | None = None) -> ParsedArticle:
    """Article ``index`` of the synthetic library with ``seed`` (deterministic)."""
    vocab = vocab or _vocabulary(seed)
    rng = random.Random(seed * 1_000_003 + index)
    target = _word_target(rng, index)
    blocks: list[str] = []
    count = 0
    while count < target:
        kind = rng.random()
        if kind < 0.08:
            heading = " ".join(rng.choices(vocab.words, k=rng.randint(2, 5))).capitalize()
            blocks.append(f"## {heading}")
            count += 3
        elif kind < 0.16:
            items = []
            for _ in range(rng.randint(3, 6)):
                text, n = _paragraph(rng, vocab, rng.randint(5, 20))
                items.append(f"- {text}")
                count += n
            blocks.append("\n".join(items))
        elif kind < 0.22:
            text, n = _paragraph(rng, vocab, rng.randint(20, 60))
            blocks.append(f"> {text}")
            count += n
        elif kind < 0.40:
            lead, n1 = _paragraph(rng, vocab, rng.randint(15, 40))
            quote, n2 = _paragraph(rng, vocab, rng.randint(8, 25))
            speaker = rng.choice(_NAMES)
            blocks.append(f"{lead} “{quote.rstrip('.?!')},” said {speaker}.")
            count += n1 + n2 + 2
        else:
            text, n = _paragraph(rng, vocab, rng.randint(40, 140))
            blocks.append(text)
            count += n
    title_words = rng.choices(vocab.words, k=rng.randint(3, 7))
    title = f"{' '.join(title_words).capitalize()} n{index:05d}"
    site = rng.choice(_SITES)
    tags = sorted(set(rng.sample(vocab.tags, rng.randint(1, 5))))
    year = 2015 + index % 10
    return ParsedArticle(
        title=title,
        markdown="\n\n".join(blocks),
        author=rng.choice(_NAMES),
        site=site,
        url=f"https://{site}/{year}/article-{seed}-{index}",
        published=f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        summary=rng.choice(vocab.sentences),
        tags=tags,
        source_format="markdown",
    )


def _highlight_spans(rng: random.Random, markdown: str) -> list[str]:
    """Passages of the body (whole sentences of plain paragraphs) to highlight."""
    paras = [p for p in markdown.split("\n\n") if p[:1].isalpha()]
    spans = []
    for _ in range(rng.randint(1, 9)):
        if not paras:
            break
        para = rng.choice(paras)
        sentences = [s for s in para.split(". ") if len(s) > 20]
        if sentences:
            spans.append(rng.choice(sentences))
    return spans


@dataclass(slots=True)
class _Plan:
    """One article as ``build_library`` stores it: its text, the body ``add_parsed`` will
    store, whether it is bookmarked, and its highlights as ``(paragraph, start, end, text)``."""

    parsed: ParsedArticle
    prepared: PreparedBody
    bookmarked: bool
    highlights: list[tuple[int, int, int, str]]


def _plan_article(index: int, seed: int, vocab: _Vocabulary) -> _Plan:
    """Everything about article ``index`` that does not need the library (deterministic)."""
    from reader.text.document import paragraphs
    from reader.text.passages import locate_passage

    parsed = make_article(index, seed, vocab)
    prepared = prepare_body(parsed.markdown)
    rng = random.Random(seed * 31 + index)
    bookmarked = rng.random() < 0.10
    highlights: list[tuple[int, int, int, str]] = []
    if rng.random() < 0.20:
        body = prepared.body  # exactly what add_parsed stores
        paras = paragraphs(body)
        for passage in _highlight_spans(rng, body):
            found = locate_passage(paras, passage)
            if found is not None:
                number, start, end = found
                highlights.append((number, start, end, paras[number][start:end]))
    return _Plan(parsed, prepared, bookmarked, highlights)


_worker_state: tuple[int, _Vocabulary] | None = None


def _init_worker(seed: int) -> None:
    global _worker_state
    _worker_state = (seed, _vocabulary(seed))


def _plan_in_worker(index: int) -> _Plan:
    assert _worker_state is not None
    seed, vocab = _worker_state
    return _plan_article(index, seed, vocab)


def _planned_batches(size: int, seed: int, workers: int) -> Iterator[tuple[int, list[_Plan]]]:
    """``(first index, plans)`` for each batch of ``BATCH_SIZE`` articles, in order. With
    several workers the next batch is planned while the caller stores this one (at most
    two batches in memory, however far the workers run ahead)."""
    starts = range(0, size, BATCH_SIZE)
    if workers <= 1:
        vocab = _vocabulary(seed)
        for first in starts:
            batch = range(first, min(size, first + BATCH_SIZE))
            yield first, [_plan_article(index, seed, vocab) for index in batch]
        return
    with multiprocessing.get_context().Pool(
        workers, initializer=_init_worker, initargs=(seed,)
    ) as pool:

        def submit(first: int) -> AsyncResult[list[_Plan]]:
            batch = range(first, min(size, first + BATCH_SIZE))
            return pool.map_async(_plan_in_worker, batch, chunksize=8)

        pending = submit(0)
        for first in starts:
            plans = pending.get()
            if first + BATCH_SIZE < size:
                pending = submit(first + BATCH_SIZE)
            yield first, plans


def _store(library: Library, plan: _Plan) -> None:
    """Store one planned article through the library's public API."""
    article = library.add_parsed(plan.parsed, prepared=plan.prepared).article
    if plan.bookmarked:
        library.set_bookmarked(article.id, True)
    for number, start, end, text in plan.highlights:
        library.add_highlight(article.id, text, paragraph=number, start=start, end=end)


def _no_fsync(fd: int) -> None:
    """Stand-in for ``os.fsync`` while building a cached library."""


def default_cache_dir() -> Path:
    """Where built libraries are kept between runs."""
    return Path(tempfile.gettempdir()) / "reader-bench-cache"


def library_path(size: int, seed: int, cache_dir: Path | None = None) -> Path:
    """The library file of the cached synthetic library of ``size`` articles."""
    folder = (cache_dir or default_cache_dir()) / f"lib-v{CACHE_VERSION}-n{size}-s{seed}"
    return folder / "library.json"


def build_library(
    size: int,
    seed: int = 1,
    cache_dir: Path | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> tuple[Path, float | None]:
    """Build (or reuse) the synthetic library; returns its path and the build seconds
    (None when it came from the cache). Built through ``Library.batch`` + ``add_parsed``
    + ``set_bookmarked`` + ``add_highlight``, committing every 500 articles. ``os.fsync``
    is a no-op while building (the files are the same; the cache need not survive a power
    cut).

    ``workers`` processes (default: 2, or 1 on a single core or for a few hundred
    articles) plan the articles (text, ``prepare_body``, highlight places); this process
    stores them in index order, so the library holds the same content whatever the number
    of workers."""
    from reader.store import Library

    path = library_path(size, seed, cache_dir)
    done_marker = path.with_name("COMPLETE")
    if done_marker.exists():
        return path, None
    if path.parent.exists():
        shutil.rmtree(path.parent)
    path.parent.mkdir(parents=True)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if size > _SERIAL_BELOW else 1
    started = time.perf_counter()
    real_fsync = os.fsync
    os.fsync = _no_fsync  # a throw-away cache: durability is not needed while building
    library = Library(path)
    batches = _planned_batches(size, seed, workers)
    try:
        for first, plans in batches:
            with library.batch():
                for plan in plans:
                    _store(library, plan)
            if progress:
                progress(f"  built {first + len(plans)}/{size} articles")
    finally:
        batches.close()  # stops the worker pool at once if storing failed
        library.close()
        os.fsync = real_fsync
    elapsed = time.perf_counter() - started
    done_marker.write_text(f"{elapsed:.1f}\n", encoding="utf-8")
    return path, elapsed


# -- HTML pages ---------------------------------------------------------------------------------
_CHROME_TOP = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site_name}</title>
<meta name="description" content="{summary}">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site_name}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="{published}T09:30:00Z">
<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body class="article-page">
<header class="site-header"><a class="logo" href="/">{site_name}</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/science">Science</a></li>
<li><a href="/culture">Culture</a></li><li><a href="/opinion">Opinion</a></li>
<li><a href="/subscribe">Subscribe</a></li><li><a href="/login">Sign in</a></li></ul></nav>
</header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article>
<h1>{title}</h1>
<p class="byline">By <a href="/authors/{author_slug}">{author}</a> ·
<time datetime="{published}">{published}</time></p>
<p class="deck">{summary}</p>
"""
_CHROME_BOTTOM = """
</article>
<aside class="related"><h3>Related</h3><ul>{related}</ul></aside>
<section class="newsletter"><h3>Get our newsletter</h3>
<form><input type="email" placeholder="you@example.com"><button>Sign up</button></form></section>
</main>
<footer><p>© 2024 {site_name}. All rights reserved.</p>
<ul><li><a href="/about">About</a></li><li><a href="/privacy">Privacy</a></li>
<li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body></html>
"""


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_to_html(markdown: str) -> str:
    out: list[str] = []
    for block in markdown.split("\n\n"):
        if block.startswith("## "):
            out.append(f"<h2>{_html_escape(block[3:])}</h2>")
        elif block.startswith("- "):
            items = "".join(f"<li>{_html_escape(line[2:])}</li>" for line in block.split("\n"))
            out.append(f"<ul>{items}</ul>")
        elif block.startswith("> "):
            out.append(f"<blockquote><p>{_html_escape(block[2:])}</p></blockquote>")
        else:
            out.append(f"<p>{_html_escape(block)}</p>")
    return "\n".join(out)


def html_page(index: int, seed: int = 1, vocab: _Vocabulary | None = None) -> str:
    """One realistic article page with header, navigation, cookie banner, related links,
    newsletter box and footer around the article (body capped at ~6,000 words)."""
    vocab = vocab or _vocabulary(seed)
    parsed = make_article(index, seed + 1000, vocab)
    blocks = parsed.markdown.split("\n\n")
    body, words = [], 0
    for block in blocks:
        body.append(block)
        words += block.count(" ") + 1
        if words > 6000:
            break
    rng = random.Random(index)
    related = "".join(
        f'<li><a href="/a/{rng.randint(1, 99999)}">{" ".join(rng.choices(vocab.words, k=5))}</a></li>'
        for _ in range(6)
    )
    site_name = (parsed.site or "Example").split(".")[0].capitalize() + " Daily"
    fields = {
        "title": _html_escape(parsed.title),
        "site_name": site_name,
        "summary": _html_escape(parsed.summary or ""),
        "author": parsed.author,
        "author_slug": (parsed.author or "").lower().replace(" ", "-"),
        "published": parsed.published,
        "related": related,
    }
    return (
        _CHROME_TOP.format(**fields)
        + _markdown_to_html("\n\n".join(body))
        + _CHROME_BOTTOM.format(**fields)
    )


def write_html_pages(count: int, seed: int = 1, cache_dir: Path | None = None) -> Path:
    """A folder of ``count`` HTML pages (cached); returns the folder."""
    folder = (cache_dir or default_cache_dir()) / f"html-v{CACHE_VERSION}-n{count}-s{seed}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocabulary(seed)
    for index in range(count):
        (folder / f"page-{index:05d}.html").write_text(
            html_page(index, seed, vocab), encoding="utf-8"
        )
    marker.write_text("ok\n", encoding="utf-8")
    return folder
