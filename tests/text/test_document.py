"""Tests for reader.text.document: blocks, paragraphs, sentences and hostile input."""

from __future__ import annotations

from reader.text.document import (
    MAX_QUOTE_MARKERS,
    Block,
    paragraphs,
    parse_document,
    sentence_spans,
)

SAMPLE = """# The Harbour

Boats come in at **dawn** and leave at *dusk*, with `ropes` and a
[map](https://example.org/map) of the ~~old~~ coast.

## Nets

- first net
- second net, a longer one
  1. inner step
  2. next step

3. three
4. four

> A quoted line.
>> Deeper quote.

```python
def haul():
    return "fish"
```

| Boat | Catch |
|------|------:|
| Ada  | 12 |
| Bea  | 7 |

![a gull on a post](gull.png)

<div onclick="x()">raw html</div>

---

Last words.
"""


def _kinds(blocks: list[Block]) -> list[str]:
    return [b.kind for b in blocks]


def test_block_kinds_in_order() -> None:
    blocks = parse_document(SAMPLE)
    assert _kinds(blocks) == [
        "heading",
        "paragraph",
        "heading",
        "list_item",
        "list_item",
        "list_item",
        "list_item",
        "list_item",
        "list_item",
        "quote",
        "quote",
        "code",
        "table",
        "paragraph",
        "rule",
        "paragraph",
    ]
    assert (blocks[0].text, blocks[0].level) == ("The Harbour", 1)
    assert (blocks[2].text, blocks[2].level) == ("Nets", 2)


def test_inline_spans_and_links() -> None:
    para = parse_document(SAMPLE)[1]
    assert para.text == (
        "Boats come in at dawn and leave at dusk, with ropes and a map of the old coast."
    )
    by_style = {s.style: para.text[s.start : s.end] for s in para.spans}
    assert by_style == {
        "bold": "dawn",
        "italic": "dusk",
        "code": "ropes",
        "link": "map",
        "strike": "old",
    }
    link = next(s for s in para.spans if s.style == "link")
    assert link.url == "https://example.org/map"


def test_lists_markers_and_levels() -> None:
    items = [b for b in parse_document(SAMPLE) if b.kind == "list_item"]
    assert [(b.marker, b.level, b.text) for b in items] == [
        ("•", 1, "first net"),
        ("•", 1, "second net, a longer one"),
        ("1.", 2, "inner step"),
        ("2.", 2, "next step"),
        ("3.", 1, "three"),
        ("4.", 1, "four"),
    ]


def test_quotes_code_table_image_rule() -> None:
    blocks = parse_document(SAMPLE)
    quotes = [b for b in blocks if b.kind == "quote"]
    assert [(b.text, b.level) for b in quotes] == [("A quoted line.", 1), ("Deeper quote.", 2)]
    code = next(b for b in blocks if b.kind == "code")
    assert code.text == 'def haul():\n    return "fish"'
    table = next(b for b in blocks if b.kind == "table")
    rows = table.text.split("\n")
    assert rows[0] == "Boat  Catch"
    assert set(rows[1]) == {"─", " "}
    assert rows[2] == "Ada      12"  # right-aligned column
    assert rows[3] == "Bea       7"
    assert "|" not in table.text
    assert any(b.text == "[image: a gull on a post]" for b in blocks)
    assert not any("raw html" in b.text or "<div" in b.text for b in blocks)
    assert any(b.kind == "rule" for b in blocks)


def test_paragraphs_match_blocks() -> None:
    assert paragraphs(SAMPLE) == [b.text for b in parse_document(SAMPLE)]
    assert paragraphs("") == []


def test_inline_html_is_dropped_not_interpreted() -> None:
    (block,) = parse_document("a <script>alert(1)</script> b")
    assert "<script>" not in block.text
    assert block.text.startswith("a ")


def test_sentence_spans_basic_and_abbreviations() -> None:
    text = (
        'Mr. Smith met Dr. Jones at 3.30 today. She said "Stay." Then e.g. the dog... '
        "barked! Why? J. R. R. Tolkien wrote it"
    )
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == [
        "Mr. Smith met Dr. Jones at 3.30 today.",
        'She said "Stay."',
        "Then e.g. the dog... barked!",
        "Why?",
        "J. R. R. Tolkien wrote it",
    ]


def test_sentence_spans_ellipsis_cjk_and_edges() -> None:
    text = "Wait... Then go.  東京です。次へ"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Wait...",
        "Then go.",
        "東京です。",
        "次へ",
    ]
    assert sentence_spans("") == []
    assert sentence_spans("   ") == []
    assert sentence_spans("  no end ") == [(2, 8)]


def test_huge_line_without_newline() -> None:
    text = "word " * 200_000 + "[" * 200_000
    blocks = parse_document(text)
    assert len(blocks) == 1
    assert len(blocks[0].text) >= 1_000_000


def test_markup_heavy_line_is_plain_text() -> None:
    blocks = parse_document("*a" * 50_000)
    assert len(blocks) == 1
    assert blocks[0].text.startswith("*a*a")


def test_deep_quote_nesting_keeps_text_at_bounded_depth() -> None:
    blocks = parse_document(">" * 10_000 + " deep text")
    assert [b.text for b in blocks] == ["deep text"]
    assert blocks[0].level == MAX_QUOTE_MARKERS


def test_deep_list_nesting_is_bounded() -> None:
    blocks = parse_document("- " * 10_000 + "x")
    assert 1 <= len(blocks) <= 30
    assert max(b.level for b in blocks) <= 20


def test_plain_paragraphs_skip_inline_parsing_with_the_same_text() -> None:
    from markdown_it.token import Token

    from reader.text.document import _inline, _InlineParser, _parsers

    _, inline_md = _parsers()
    parser = _InlineParser(inline_md, {})
    samples = [
        "one line",
        "two\nlines",
        "soft \nbreak",
        "hard  \nbreak   \n  indented next\tline",
        "tab\t \n\tlead",
        "symbols # $ % + - : = > @ ] ^ { } and “curly” quotes 東京 😀",
        "",
    ]
    for content in samples:
        fast = Token("inline", "", 0)
        fast.content = content
        slow = Token("inline", "", 0)
        slow.content = content
        assert parser.text_and_spans(fast) == _inline(parser(slow)), content
    # a hard break is a newline, a soft one a space, as markdown-it makes them
    blocks = parse_document("Hard  \nbreak and soft\n   one.\n\nNext.")
    assert [b.text for b in blocks] == ["Hard\nbreak and soft one.", "Next."]


def test_importing_the_module_does_not_load_markdown_it() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reader.text.document as d; "
        "assert 'markdown_it' not in sys.modules; "
        "assert d.paragraphs('*a*') == ['a']; "
        "assert 'markdown_it' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
