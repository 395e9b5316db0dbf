"""The fast paths behind opening a long article give the same result as the slow ones.

``parse_document`` skips markdown-it's block parser for plain paragraphs and its inline
parser for text without inline markup; ``wrap_text`` wraps one-cell non-ASCII text (curly
quotes, accents) a row at a time. Each is checked against the general path on tricky input.
"""

from __future__ import annotations

import random

import pytest

import reader.text.document as document
import reader.tui.widgets.article.layout as article_layout
from reader.text.document import parse_document, split_plain_paragraphs
from reader.tui.widgets.article.layout import layout_article, wrap_text

# Lines that start (or interrupt) every kind of block, next to plain prose.
LINES = [
    "Plain words here.",
    "Another “quoted” line, said Ana. Wow! That is it!",
    "Bang!not an image, !x [y",
    "- item one",
    "* star item",
    "+ plus",
    "  indented two",
    "    indented four",
    "\tTabbed",
    "> quoted",
    ">> deep",
    "# Heading",
    "## Sub *em*",
    "===",
    "---",
    "***",
    "_ _ _",
    "1. first",
    "2) second",
    "10. tenth",
    "2019 was a year.",
    "1.5 units",
    '[ref]: /url "T"',
    "see [ref] and [x][ref] here",
    "*em* and **strong**",
    "| a | b |",
    "|---|---|",
    "a | b",
    ":--|--:",
    "",
    "",
    "",
    "  ",
    "\t",
    "text with two  ",
    "\u00a0nbsp start",
    "back\\slash",
    "amp &amp; x",
    "`code` x",
    "~~strike~~",
    "[link](http://x)",
    "![img](p.png)",
    "   # three-space heading",
    "   - three-space item",
    "  > indented quote",
    "Setext",
    "=",
    "-",
    "1.",
    "x\r",
    "nul\0here",
    "&#35; entity",
    "[ref]:",
    "  /continued",
    "  1. nested",
]
BLOCK_SPANNING = ["```", "```py", "~~~", "<div>", "<!-- c", "-->", "<span>x</span> text"]


def _whole_parse(markdown: str, monkeypatch: pytest.MonkeyPatch) -> list[document.Block]:
    """``parse_document`` through markdown-it alone: one block parse of the whole text and
    every paragraph through the inline parser."""
    with monkeypatch.context() as patch:
        patch.setattr(document, "split_plain_paragraphs", lambda text: [(False, text)])
        patch.setattr(document, "_INLINE_TRIGGERS", "".join(set(markdown)) + "[")
        return parse_document(markdown)


@pytest.mark.parametrize("pool", ["blocks", "with-fences-and-html"])
def test_parse_equals_a_whole_markdown_it_parse(pool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    lines = LINES + (BLOCK_SPANNING if pool != "blocks" else [])
    for _ in range(1500):
        markdown = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 14)))
        assert parse_document(markdown) == _whole_parse(markdown, monkeypatch), repr(markdown)


def test_parse_of_a_long_article_equals_a_whole_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    parts = []
    for i in range(300):
        kind = rng.random()
        if kind < 0.1:
            parts.append(f"## Section {i}")
        elif kind < 0.2:
            parts.append("- first point\n- second *point*\n\n  more of it")
        elif kind < 0.3:
            parts.append("> “A quotation,” said Someone.\n> Its second line.")
        elif kind < 0.35:
            parts.append(f"[r{i}]: http://example.invalid/{i}")
        else:
            parts.append(
                f"Paragraph {i} “quoted” words! See [r{max(0, i - 5)}] and more"
                "\nits lazy second line  \nafter a hard break."
            )
    markdown = "\n\n".join(parts)
    runs = split_plain_paragraphs(markdown)
    assert sum(plain for plain, _ in runs) > 100  # the fast path is really taken
    assert parse_document(markdown) == _whole_parse(markdown, monkeypatch)


def test_split_plain_paragraphs() -> None:
    text = "One “two”!\nthree\n\n- a list\n\n  its second paragraph\n\nFour.\n\n## Five\n"
    assert split_plain_paragraphs(text) == [
        (True, "One “two”!\nthree"),
        (False, "\n- a list\n\n  its second paragraph\n"),
        (True, "Four."),
        (False, "\n## Five\n"),
    ]
    # a fence or an HTML block may run across blank lines: the whole text is one run
    fenced = "Intro.\n\n```\ncode\n\nstill code\n```\n\nAfter."
    assert split_plain_paragraphs(fenced) == [(False, fenced)]
    assert split_plain_paragraphs("A\r\nB\r\n\r\nC") == [(True, "A\nB"), (True, "C")]


def _word_by_word(text: str, width: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    with monkeypatch.context() as patch:
        patch.setattr(article_layout, "_single_cells", lambda text: False)
        return wrap_text(text, width)


def test_wrap_of_one_cell_unicode_equals_word_by_word(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    words = ["“quoted”", "café", "naïve", "—", "Zürich", "a", "be", "sea", "long" * 9, "ελληνικά"]
    for _ in range(400):
        text = "".join(
            rng.choice(words) + rng.choice([" ", " ", "  ", "\n", " \n "]) for _ in range(30)
        )
        text = text if rng.random() < 0.5 else "  " + text + "  "
        for width in (1, 3, 8, 17, 40):
            assert wrap_text(text, width) == _word_by_word(text, width, monkeypatch)


@pytest.mark.parametrize(
    "text",
    ["wide 日本語 text", "e\u0301 combining", "no\u00a0break", "thin\u2009space", "tab\there “q”"],
)
def test_wide_or_odd_characters_take_the_word_by_word_path(text: str) -> None:
    assert not article_layout._single_cells(text)


def test_layout_of_a_quoted_article_wraps_within_the_measure() -> None:
    text = " ".join(["“Words,” she said, “keep going.”"] * 200)
    blocks = parse_document(text)
    lines = layout_article(blocks, 40)
    assert len(lines) > 100
    assert all(len(text[line.start : line.end]) <= 40 for line in lines)
    assert "".join(text[line.start : line.end] + " " for line in lines).split() == text.split()
