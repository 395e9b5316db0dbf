"""Crafted text cannot make a parser explode (issue 19, class 2).

Every parser that sees untrusted text (format detection, the Markdown, HTML and text
importers, the display parser, sentence selection, quotation finding, passage matching,
date lines, search tokens) gets adversarial lines of 64 KB built to make a backtracking
pattern quadratic or exponential. A hang guard (a wide margin, not a timing target)
fails any call that takes more than ``HANG_SECONDS``; the slowest is printed.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reader.ingest.importers import parse_bytes
from reader.ingest.importers.dates import find_date_line, parse_date
from reader.ingest.importers.detect import sniff_text_format
from reader.ingest.importers.markdown_file import parse_front_matter, split_front_matter
from reader.quotes import find_quotations
from reader.store.library import count_words, prepare_body
from reader.text.article_head import head_blocks
from reader.text.document import parse_document, sentence_spans
from reader.text.passages import locate_passage
from reader.text.tokens import joined_unique_tokens

HANG_SECONDS = 10.0
SIZE = 64 * 1024


def _line(unit: str, tail: str = "") -> str:
    return (unit * (SIZE // max(1, len(unit)) + 1))[:SIZE] + tail


# Each is one 64 KB line (or a few) aimed at a kind of pattern: runs a quantifier can
# split many ways, openers never closed, separators a lazy match must try at every place.
ADVERSARIAL: dict[str, str] = {
    "html comments": "<!---->" * 40 + "x\n" + _line("<!---->"),
    "open comments": _line("<!--"),
    "open tags": _line("<p "),
    "angle brackets": _line("<"),
    "doctype spaces": "<!doctype" + " " * SIZE + "x",
    "heading hashes": _line("#"),
    "heading spaces": "#" + " " * SIZE + "x",
    "heading words": "# " + _line("word "),
    "heading then spaces": "# a" + " " * SIZE + "b",
    "heading closing hashes": "# a" + _line(" #") + "x",
    "key then spaces": "---\na" + " " * SIZE + "b\n---\nText.\n",
    "value then spaces": "---\ntitle: a" + " " * SIZE + "b\n---\nText.\n",
    "separator spaces": "a" + " " * SIZE + "|",
    "setext": _line("x") + "\n" + _line("="),
    "brackets": _line("["),
    "link openers": _line("[a]("),
    "image openers": _line("!["),
    "bracket text": _line("[a"),
    "parens": _line("]("),
    "stars": _line("*"),
    "double stars": _line("**a"),
    "underscores": _line("_"),
    "backticks": _line("`"),
    "tildes": _line("~"),
    "dashes": _line("-"),
    "equals": _line("="),
    "spaces then x": " " * SIZE + "x",
    "tabs": "\t" * SIZE + "x",
    "list markers": _line("- "),
    "numbers": _line("1. "),
    "quote markers": _line("> "),
    "front matter open": "---\n" + _line("a: b\n"),
    "front matter long": "---\n" + _line("key: [a, ") + "\n---\n",
    "dots": _line("."),
    "dots then word": _line(".") + "a",
    "short sentences": _line("A b. "),
    "abbreviations": _line("Mr. "),
    "initials": _line("J. "),
    "question runs": _line("?!"),
    "quotes": _line('"'),
    "curly quotes": _line("\u201c"),
    "said": _line('"Hi," said '),
    "capitals": _line("Ab "),
    "word chars": _line("a"),
    "digits": _line("1"),
    "date pieces": _line("2024-"),
    "month names": _line("Jan 1, "),
    "urls": _line("http://"),
    "emails": _line("a@"),
    "entities": _line("&#"),
    "ampersands": _line("&"),
    "backslashes": _line("\\"),
    "pipes": _line("|"),
    "colons": _line(":"),
    "mixed punctuation": _line("*_[](`<>!#"),
    "cjk": _line("\u4e2d\u6587\u3002"),
    "newlines": "\n" * SIZE + "x",
    "blank lines": _line("\n\n x"),
}


class Hang(Exception):
    pass


@contextmanager
def hang_guard(label: str):  # type: ignore[no-untyped-def]
    def alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"{label}: still running after {HANG_SECONDS:.0f} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _sentences(text: str) -> object:
    return [sentence_spans(block.text) for block in parse_document(text)] + [sentence_spans(text)]


PARSERS: dict[str, Callable[[str], object]] = {
    "detect txt": lambda t: sniff_text_format(t, ".txt"),
    "detect md": lambda t: sniff_text_format(t, ".md"),
    "import txt": lambda t: parse_bytes(t.encode(), name="a.txt"),
    "import md": lambda t: parse_bytes(t.encode(), name="a.md"),
    "import html": lambda t: parse_bytes(
        f"<html><body><p>{t}</p></body></html>".encode(), name="a.html"
    ),
    "front matter": lambda t: parse_front_matter(split_front_matter(t)[0] or t[:SIZE]),
    "display": parse_document,
    "head": head_blocks,
    "sentences": _sentences,
    "quotes": lambda t: find_quotations(t.split("\n\n")),
    "passage": lambda t: locate_passage(t.split("\n\n"), t[SIZE // 2 : SIZE // 2 + 200] + "zz"),
    "dates": lambda t: [find_date_line(t), parse_date(t[:5000])],
    "tokens": joined_unique_tokens,
    "store body": lambda t: (prepare_body(t), count_words(t)),
}


@pytest.mark.parametrize("parser", list(PARSERS))
def test_no_parser_hangs_on_adversarial_lines(parser: str, record_property) -> None:  # type: ignore[no-untyped-def]
    """Each parser over every adversarial input finishes well inside the hang guard."""
    run = PARSERS[parser]
    slowest = (0.0, "")
    for name, text in ADVERSARIAL.items():
        started = time.perf_counter()
        with hang_guard(f"{parser} on {name!r}"):
            try:
                run(text)
            except Exception as err:  # refusing the input is fine; hanging is not
                if isinstance(err, Hang):
                    raise
        took = time.perf_counter() - started
        slowest = max(slowest, (took, name))
    print(f"{parser}: {len(ADVERSARIAL)} inputs, slowest {slowest[0]:.2f} s ({slowest[1]})")
    record_property("slowest", f"{slowest[0]:.3f} {slowest[1]}")


async def test_selecting_sentences_in_a_64_kb_paragraph_does_not_freeze(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`v`, then `j` a few times, on one 64 KB paragraph of short sentences (each full
    stop once made a search from the paragraph's start: 54 s)."""
    from reader.models import ParsedArticle
    from reader.store import Library
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.article.view import ArticleView

    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))
    library = Library(tmp_path / "lib.json")
    library.add_parsed(ParsedArticle(title="Short sentences", markdown=_line("Ab cd. ")))
    app = ReaderApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        with hang_guard("v and j on a 64 KB paragraph"):
            await pilot.press("enter", "v", "j", "j", "j")
            await pilot.pause()
        view = app.query_one(ArticleView)
        assert view.selection is not None and view.selection[3] == "Ab cd. Ab cd. Ab cd. Ab cd."
